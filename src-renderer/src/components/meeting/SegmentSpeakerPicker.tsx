import { useId, useState } from 'react';
import type { CodedError, Result } from '../../../../src-shared/result';
import type { TranscriptSegment } from '../../../../src-shared/transcript';
import { ErrorMessage } from '../ErrorMessage';

interface SegmentSpeakerPickerProps {
  segment: TranscriptSegment;
  /** Labels already used in this meeting, offered as suggestions. */
  labels: readonly string[];
  onSetSpeaker(segmentId: number, label: string | null): Promise<Result<TranscriptSegment>>;
}

/** Says who spoke a segment: pick an existing speaker or type a new one; empty clears it. */
export function SegmentSpeakerPicker({ segment, labels, onSetSpeaker }: SegmentSpeakerPickerProps): React.JSX.Element {
  const listId = useId();
  const [draft, setDraft] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<CodedError | null>(null);

  async function save(value: string): Promise<void> {
    setSaving(true);
    const result = await onSetSpeaker(segment.id, value.trim() === '' ? null : value.trim());
    setSaving(false);
    setError(result.ok ? null : result.error);
    if (result.ok) setDraft(null);
  }

  if (draft === null) {
    return (
      <button type="button" className="btn-icon segment-speaker-button" data-testid="segment-speaker-button" title="Who said this?" onClick={() => setDraft(segment.speaker ?? '')}>
        Speaker…
      </button>
    );
  }
  return (
    <form
      className="segment-speaker-form"
      onSubmit={(event) => {
        event.preventDefault();
        void save(draft);
      }}
    >
      <input
        autoFocus
        data-testid="segment-speaker-input"
        aria-label="Speaker of this segment"
        placeholder="Speaker"
        list={listId}
        value={draft}
        disabled={saving}
        onChange={(event) => setDraft(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape') setDraft(null);
        }}
      />
      <datalist id={listId}>
        {labels.map((label) => (
          <option key={label} value={label} />
        ))}
      </datalist>
      <button type="submit" className="btn btn-small" data-testid="segment-speaker-save" disabled={saving}>
        Save
      </button>
      <ErrorMessage error={error} prefix="Could not set the speaker:" />
    </form>
  );
}
