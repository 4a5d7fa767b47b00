import { useState } from 'react';
import type { Speaker } from '../../../../src-shared/library';
import type { CodedError } from '../../../../src-shared/result';
import { ErrorMessage } from '../ErrorMessage';
import { speakerColor, speakerDisplayName } from '../../store/speakers';
import { useApp } from '../../store/store-context';

/** One speaker: click to rename; a name another speaker already has offers to merge the two. */
function SpeakerChip({ speaker, speakers }: { speaker: Speaker; speakers: readonly Speaker[] }): React.JSX.Element {
  const renameSpeaker = useApp((state) => state.renameSpeaker);
  const mergeSpeakers = useApp((state) => state.mergeSpeakers);
  const [draft, setDraft] = useState<string | null>(null);
  const [mergeInto, setMergeInto] = useState<Speaker | null>(null);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<CodedError | null>(null);
  const name = speakerDisplayName(speaker.label, speakers);

  function namesake(value: string): Speaker | undefined {
    const wanted = value.trim().toLocaleLowerCase();
    if (wanted === '') return undefined;
    return speakers.find((other) => other.id !== speaker.id && speakerDisplayName(other.label, speakers).toLocaleLowerCase() === wanted);
  }

  async function save(value: string): Promise<void> {
    const other = namesake(value);
    if (other !== undefined) {
      setMergeInto(other);
      return;
    }
    setSaving(true);
    const trimmed = value.trim();
    const result = await renameSpeaker(speaker.id, trimmed === '' ? null : trimmed);
    setSaving(false);
    if (result.ok) {
      setDraft(null);
      setError(null);
    } else {
      setError(result.error);
    }
  }

  async function merge(into: Speaker): Promise<void> {
    setSaving(true);
    const result = await mergeSpeakers(speaker.label, into.label);
    setSaving(false);
    if (result.ok) {
      setDraft(null);
      setMergeInto(null);
      setError(null);
    } else {
      setError(result.error);
    }
  }

  return (
    <li className="speaker-chip-item">
      {draft === null ? (
        <button
          type="button"
          className="speaker-chip"
          data-testid="speaker-chip"
          data-speaker-label={speaker.label}
          aria-label={`${name}: rename`}
          title="Rename speaker"
          onClick={() => setDraft(speaker.name ?? '')}
        >
          <span className="speaker-dot" style={{ background: speakerColor(speaker.label) }} aria-hidden="true" />
          {name}
          <span className="speaker-chip-edit" aria-hidden="true">
            ✎
          </span>
        </button>
      ) : mergeInto !== null ? (
        <div className="speaker-merge" role="group" aria-label="Merge speakers" data-testid="speaker-merge">
          <span>
            “{speakerDisplayName(mergeInto.label, speakers)}” is already a speaker. Merge {name} into them?
          </span>
          <button
            type="button"
            className="btn btn-small btn-primary"
            data-testid="speaker-merge-confirm"
            disabled={saving}
            onClick={() => void merge(mergeInto)}
          >
            Merge
          </button>
          <button type="button" className="btn btn-small" disabled={saving} onClick={() => setMergeInto(null)}>
            Cancel
          </button>
        </div>
      ) : (
        <form
          className="speaker-rename"
          onSubmit={(event) => {
            event.preventDefault();
            void save(draft);
          }}
        >
          <input
            autoFocus
            data-testid="speaker-rename-input"
            aria-label={`Name for ${name}`}
            placeholder={name}
            value={draft}
            disabled={saving}
            onChange={(event) => setDraft(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Escape') {
                event.stopPropagation();
                setDraft(null);
              }
            }}
          />
          <button type="submit" className="btn btn-small" disabled={saving}>
            Save
          </button>
        </form>
      )}
      <ErrorMessage error={error} prefix="Could not rename:" />
    </li>
  );
}

export function SpeakerChips({ speakers }: { speakers: readonly Speaker[] }): React.JSX.Element | null {
  if (speakers.length === 0) return null;
  return (
    <ul className="speaker-chips" aria-label="Speakers">
      {speakers.map((speaker) => (
        <SpeakerChip key={speaker.id} speaker={speaker} speakers={speakers} />
      ))}
    </ul>
  );
}
