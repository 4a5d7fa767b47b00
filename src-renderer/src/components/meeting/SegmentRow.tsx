import { memo, useState } from 'react';
import type { CodedError, Result } from '../../../../src-shared/result';
import type { TranscriptSegment } from '../../../../src-shared/transcript';
import { ErrorMessage } from '../ErrorMessage';
import { SegmentSpeakerPicker } from './SegmentSpeakerPicker';
import { formatDuration } from '../../store/format';

interface SegmentRowProps {
  segment: TranscriptSegment;
  speakerName: string | null;
  speakerColor: string;
  current: boolean;
  onSeek(seconds: number): void;
  onSaveText(segmentId: number, text: string): Promise<Result<TranscriptSegment>>;
  speakerLabels: readonly string[];
  onSetSpeaker(segmentId: number, label: string | null): Promise<Result<TranscriptSegment>>;
}

/** One transcript line: click plays from it; double-click or the edit button edits its text. */
export const SegmentRow = memo(function SegmentRow(props: SegmentRowProps) {
  const { segment, speakerName, speakerColor, current, onSeek, onSaveText, speakerLabels, onSetSpeaker } = props;
  const [draft, setDraft] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<CodedError | null>(null);

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

  return (
    <li
      className={current ? 'segment segment-current' : 'segment'}
      data-testid="segment"
      data-segment-id={segment.id}
      aria-current={current ? 'true' : undefined}
    >
      <button type="button" className="segment-time" aria-label={`Play from ${formatDuration(segment.start)}`} onClick={() => onSeek(segment.start)}>
        {formatDuration(segment.start)}
      </button>
      <div className="segment-body">
        {speakerName !== null && (
          <span className="segment-speaker" style={{ color: speakerColor }}>
            {speakerName}
          </span>
        )}
        {draft === null ? (
          <p className="segment-text" onClick={() => onSeek(segment.start)} onDoubleClick={() => setDraft(segment.text)}>
            {segment.text}
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
                if (event.key === 'Escape') setDraft(null);
                if (event.key === 'Enter' && !event.shiftKey) {
                  event.preventDefault();
                  void save(draft);
                }
              }}
            />
            <div className="segment-edit-actions">
              <button type="submit" className="btn btn-small btn-primary" disabled={saving}>
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
      {draft === null && <SegmentSpeakerPicker segment={segment} labels={speakerLabels} onSetSpeaker={onSetSpeaker} />}
      {draft === null && (
        <button
          type="button"
          className="btn-icon segment-edit-button"
          data-testid="segment-edit-button"
          aria-label={`Edit text at ${formatDuration(segment.start)}`}
          onClick={() => setDraft(segment.text)}
        >
          ✎
        </button>
      )}
    </li>
  );
});
