import { memo, useState } from 'react';
import type { Speaker } from '../../../../src-shared/library';
import type { CodedError, Result } from '../../../../src-shared/result';
import type { TranscriptSegment } from '../../../../src-shared/transcript';
import { formatDuration } from '../../store/format';
import { ErrorMessage } from '../ErrorMessage';
import { SegmentSpeakerPicker, type SpeakerActions } from './SegmentSpeakerPicker';
import { SegmentText } from './SegmentText';

/** The row's controls in arrow-key order: play from here, speaker, edit. */
export const SEGMENT_COLUMNS = 3;

interface SegmentRowProps extends SpeakerActions {
  segment: TranscriptSegment;
  speakers: readonly Speaker[];
  current: boolean;
  /** The playback time while this row is the one playing (for the word highlight); null otherwise. */
  currentTime: number | null;
  /** Which control holds the list's one tab stop, when this row has it; null otherwise. */
  activeColumn: number | null;
  /** Text searched for in this meeting (matches are marked), or ''. */
  query: string;
  /** This row holds the search's current match. */
  searchCurrent: boolean;
  /** A preview of a transcription still running: nothing to edit yet. */
  readOnly: boolean;
  onSeek(seconds: number): void;
  onSaveText(segmentId: number, text: string): Promise<Result<TranscriptSegment>>;
}

/** One transcript line: click (or Enter on its time) plays from it; double-click or the edit button edits its text. */
export const SegmentRow = memo(function SegmentRow(props: SegmentRowProps) {
  const {
    segment,
    speakers,
    current,
    currentTime,
    activeColumn,
    query,
    searchCurrent,
    readOnly,
    onSeek,
    onSaveText,
    onSetSpeaker,
    onSetSpeakerName,
  } = props;
  const [draft, setDraft] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<CodedError | null>(null);
  const tabIndexOf = (column: number): number => (activeColumn === column ? 0 : -1);

  async function save(text: string): Promise<void> {
    if (text.trim() === segment.text.trim()) {
      setDraft(null);
      return;
    }
    setSaving(true);
    const result = await onSaveText(segment.id, text.trim());
    setSaving(false);
    setError(result.ok ? null : result.error);
    if (result.ok) setDraft(null);
  }

  const classes = [
    'segment',
    current ? 'segment-current' : '',
    searchCurrent ? 'segment-search-current' : '',
    readOnly ? 'segment-draft' : '',
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <li
      className={classes}
      data-testid={readOnly ? 'draft-segment' : 'segment'}
      data-segment-id={segment.id}
      data-edited={segment.edited?.text === true ? 'text' : segment.edited?.speaker === true ? 'speaker' : undefined}
      aria-current={current ? 'true' : undefined}
    >
      <button
        type="button"
        className="segment-time"
        data-col={0}
        tabIndex={tabIndexOf(0)}
        aria-label={`Play from ${formatDuration(segment.start)}`}
        onClick={() => onSeek(segment.start)}
      >
        {formatDuration(segment.start)}
      </button>
      <div className="segment-body">
        {!readOnly && draft === null && (
          <SegmentSpeakerPicker
            segment={segment}
            speakers={speakers}
            tabIndex={tabIndexOf(1)}
            column={1}
            onSetSpeaker={onSetSpeaker}
            onSetSpeakerName={onSetSpeakerName}
          />
        )}
        {draft === null ? (
          <p className="segment-text" onClick={() => onSeek(segment.start)} onDoubleClick={() => !readOnly && setDraft(segment.text)}>
            <SegmentText segment={segment} currentTime={currentTime} query={query} onSeek={onSeek} />
            {segment.edited?.text === true && <span className="edited-mark"> (edited)</span>}
          </p>
        ) : (
          <form
            className="segment-edit"
            onSubmit={(event) => {
              event.preventDefault();
              void save(draft);
            }}
          >
            <textarea
              autoFocus
              data-testid="segment-text-input"
              aria-label="Segment text"
              value={draft}
              disabled={saving}
              rows={Math.min(6, Math.max(2, Math.ceil(draft.length / 80)))}
              onChange={(event) => setDraft(event.target.value)}
              onKeyDown={(event) => {
                if (event.key === 'Escape') {
                  event.stopPropagation();
                  setDraft(null);
                }
                if (event.key === 'Enter' && !event.shiftKey) {
                  event.preventDefault();
                  void save(draft);
                }
              }}
            />
            <div className="segment-edit-actions">
              <button type="submit" className="btn btn-small btn-primary" data-testid="segment-text-save" disabled={saving}>
                Save
              </button>
              <button type="button" className="btn btn-small" disabled={saving} onClick={() => setDraft(null)}>
                Cancel
              </button>
            </div>
          </form>
        )}
        <ErrorMessage error={error} prefix="Could not save:" />
      </div>
      {!readOnly && draft === null && (
        <button
          type="button"
          className="btn-icon segment-edit-button"
          data-testid="segment-edit-button"
          data-col={2}
          tabIndex={tabIndexOf(2)}
          aria-label={`Edit text at ${formatDuration(segment.start)}`}
          onClick={() => setDraft(segment.text)}
        >
          ✎
        </button>
      )}
    </li>
  );
});
