import { useId, useState } from 'react';
import type { MeetingSummary } from '../../../../src-shared/library';
import type { CodedError } from '../../../../src-shared/result';
import { useApp } from '../../store/store-context';
import { ErrorMessage } from '../ErrorMessage';

export type MeetingDialog = 'export' | 'retranscribe' | 'diarize';

interface MeetingHeaderProps {
  meetingId: string;
  meeting: MeetingSummary | undefined;
  hasTranscript: boolean;
  onOpenDialog(dialog: MeetingDialog): void;
}

/** The meeting's title (renamed in place), and what can be done with it. */
export function MeetingHeader({ meetingId, meeting, hasTranscript, onOpenDialog }: MeetingHeaderProps): React.JSX.Element {
  const navigate = useApp((state) => state.navigate);
  const renameMeeting = useApp((state) => state.renameMeeting);
  const deleteMeeting = useApp((state) => state.deleteMeeting);
  const exportHintId = useId();
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<CodedError | null>(null);
  const title = meeting?.title ?? 'Meeting';

  async function save(value: string): Promise<void> {
    const trimmed = value.trim();
    if (trimmed === '' || trimmed === meeting?.title) {
      setDraft(null);
      return;
    }
    const result = await renameMeeting(meetingId, trimmed);
    setError(result.ok ? null : result.error);
    if (result.ok) setDraft(null);
  }

  return (
    <header className="screen-header meeting-header">
      <button type="button" className="btn-link" onClick={() => navigate('library')}>
        ← Library
      </button>
      {draft === null ? (
        <h1 id="meeting-title" title={title} data-testid="meeting-title">
          {title}
        </h1>
      ) : (
        <form
          className="meeting-title-form"
          onSubmit={(event) => {
            event.preventDefault();
            void save(draft);
          }}
        >
          <h1 id="meeting-title" className="visually-hidden">
            {title}
          </h1>
          <input
            autoFocus
            data-testid="meeting-title-input"
            aria-label="Meeting title"
            value={draft}
            maxLength={500}
            onChange={(event) => setDraft(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Escape') {
                event.stopPropagation();
                setDraft(null);
              }
            }}
          />
          <button type="submit" className="btn btn-small btn-primary" data-testid="meeting-title-save">
            Save
          </button>
        </form>
      )}
      <div className="screen-actions">
        {draft === null && (
          <button
            type="button"
            className="btn"
            data-testid="meeting-rename"
            disabled={meeting === undefined}
            onClick={() => setDraft(title)}
          >
            Rename
          </button>
        )}
        <button
          type="button"
          className="btn"
          data-testid="diarize-button"
          disabled={meeting === undefined || meeting.recordingPath === null}
          onClick={() => onOpenDialog('diarize')}
        >
          Find speakers…
        </button>
        <button
          type="button"
          className="btn"
          data-testid="retranscribe-button"
          disabled={meeting === undefined || meeting.recordingPath === null}
          onClick={() => onOpenDialog('retranscribe')}
        >
          Re-transcribe…
        </button>
        <button
          type="button"
          className="btn btn-primary"
          data-testid="export-button"
          disabled={!hasTranscript}
          aria-describedby={hasTranscript ? undefined : exportHintId}
          onClick={() => onOpenDialog('export')}
        >
          Export…
        </button>
        <button
          type="button"
          className="btn btn-danger"
          data-testid="meeting-delete"
          disabled={meeting === undefined}
          onClick={() => deleteMeeting(meetingId)}
        >
          Delete
        </button>
      </div>
      {!hasTranscript && (
        <span id={exportHintId} className="visually-hidden">
          Nothing to export until the meeting has a transcript.
        </span>
      )}
      <ErrorMessage error={error} prefix="Could not rename:" />
    </header>
  );
}
