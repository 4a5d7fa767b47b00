import { useEffect, useId, useRef, useState } from 'react';
import type { Speaker } from '../../../../src-shared/library';
import type { CodedError, Result } from '../../../../src-shared/result';
import type { TranscriptSegment } from '../../../../src-shared/transcript';
import { speakerColor, speakerDisplayName, speakerTextColor } from '../../store/speakers';
import { ErrorMessage } from '../ErrorMessage';

export interface SpeakerActions {
  /** A speaker of the meeting by label, or nobody. */
  onSetSpeaker(segmentId: number, label: string | null): Promise<Result<TranscriptSegment>>;
  /** The speaker of that name, or a new one named so. */
  onSetSpeakerName(segmentId: number, name: string): Promise<Result<TranscriptSegment>>;
}

interface SegmentSpeakerPickerProps extends SpeakerActions {
  segment: TranscriptSegment;
  speakers: readonly Speaker[];
  /** Roving focus: the button's tab stop, and where arrow keys find it. */
  tabIndex: number;
  column: number;
}

/**
 * Who said this line: the button shows the speaker (or "Add speaker"); it opens a list of the meeting's
 * speakers by name, "Nobody", and a field for a new name. A name that is already a speaker's picks that
 * speaker, so typing "Diane" twice never makes two Dianes.
 */
export function SegmentSpeakerPicker({
  segment,
  speakers,
  tabIndex,
  column,
  onSetSpeaker,
  onSetSpeakerName,
}: SegmentSpeakerPickerProps): React.JSX.Element {
  const menuId = useId();
  const [open, setOpen] = useState(false);
  const [newName, setNewName] = useState('');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<CodedError | null>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const name = segment.speaker === null ? null : speakerDisplayName(segment.speaker, speakers);

  useEffect(() => {
    if (!open) return undefined;
    menuRef.current?.querySelector<HTMLElement>('[aria-pressed="true"], button')?.focus();
    const onPointer = (event: MouseEvent): void => {
      if (event.target instanceof Node && !menuRef.current?.contains(event.target) && !buttonRef.current?.contains(event.target))
        setOpen(false);
    };
    document.addEventListener('mousedown', onPointer);
    return () => document.removeEventListener('mousedown', onPointer);
  }, [open]);

  function close(): void {
    setOpen(false);
    setNewName('');
    buttonRef.current?.focus();
  }

  async function run(action: () => Promise<Result<TranscriptSegment>>): Promise<void> {
    setSaving(true);
    const result = await action();
    setSaving(false);
    setError(result.ok ? null : result.error);
    if (result.ok) close();
  }

  const existing =
    newName.trim() === ''
      ? undefined
      : speakers.find((speaker) => speakerDisplayName(speaker.label, speakers).toLocaleLowerCase() === newName.trim().toLocaleLowerCase());

  return (
    <div className="segment-speaker-picker">
      <button
        ref={buttonRef}
        type="button"
        className={name === null ? 'segment-speaker-button segment-speaker-empty' : 'segment-speaker-button'}
        data-testid="segment-speaker-button"
        data-col={column}
        tabIndex={tabIndex}
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        aria-label={name === null ? 'Add the speaker of this line' : `Speaker: ${name}. Change`}
        style={name === null ? undefined : { color: speakerTextColor(segment.speaker) }}
        onClick={() => setOpen((value) => !value)}
      >
        {name ?? '+ Speaker'}
      </button>
      {open && (
        <div
          className="speaker-menu"
          id={menuId}
          ref={menuRef}
          role="group"
          aria-label="Who said this?"
          data-testid="speaker-menu"
          onKeyDown={(event) => {
            if (event.key === 'Escape') {
              event.stopPropagation();
              close();
            }
          }}
        >
          <ul className="speaker-options">
            {speakers.map((speaker) => (
              <li key={speaker.id}>
                <button
                  type="button"
                  className="speaker-option"
                  data-testid="speaker-option"
                  data-speaker-label={speaker.label}
                  aria-pressed={speaker.label === segment.speaker}
                  disabled={saving}
                  onClick={() => void run(() => onSetSpeaker(segment.id, speaker.label))}
                >
                  <span className="speaker-dot" style={{ background: speakerColor(speaker.label) }} aria-hidden="true" />
                  {speakerDisplayName(speaker.label, speakers)}
                </button>
              </li>
            ))}
            {segment.speaker !== null && (
              <li>
                <button
                  type="button"
                  className="speaker-option"
                  data-testid="speaker-option-none"
                  disabled={saving}
                  onClick={() => void run(() => onSetSpeaker(segment.id, null))}
                >
                  Nobody (clear)
                </button>
              </li>
            )}
          </ul>
          <form
            className="speaker-new"
            onSubmit={(event) => {
              event.preventDefault();
              const typed = newName.trim();
              if (typed === '') return;
              void run(() => (existing ? onSetSpeaker(segment.id, existing.label) : onSetSpeakerName(segment.id, typed)));
            }}
          >
            <input
              data-testid="segment-speaker-input"
              aria-label="Name of a new speaker"
              placeholder="New speaker’s name"
              value={newName}
              disabled={saving}
              onChange={(event) => setNewName(event.target.value)}
            />
            <button type="submit" className="btn btn-small" data-testid="segment-speaker-save" disabled={saving || newName.trim() === ''}>
              {existing ? `Use ${speakerDisplayName(existing.label, speakers)}` : 'Add'}
            </button>
          </form>
          <ErrorMessage error={error} prefix="Could not set the speaker:" />
        </div>
      )}
    </div>
  );
}
