import { useShallow } from 'zustand/react/shallow';
import { ErrorMessage } from '../ErrorMessage';
import { describeError } from '../../store/error-text';
import { formatDateTime, formatDuration } from '../../store/format';
import { useApp } from '../../store/store-context';
import { MeetingStatusBadge } from './StatusBadge';

export function MeetingList(): React.JSX.Element {
  const { meetings, pendingDeletes, loaded, error, openMeeting, deleteMeeting } = useApp(
    useShallow((state) => ({
      meetings: state.meetings,
      pendingDeletes: state.pendingDeletes,
      loaded: state.meetingsLoaded,
      error: state.meetingsError,
      openMeeting: state.openMeeting,
      deleteMeeting: state.deleteMeeting,
    })),
  );
  const shown = meetings.filter((meeting) => !pendingDeletes.includes(meeting.id));

  if (!loaded) return <p className="muted">Loading meetings…</p>;
  return (
    <section aria-label="Meetings">
      <ErrorMessage error={error} prefix="Could not load the library:" />
      {shown.length === 0 && error === null && (
        <p className="empty">No meetings yet. Record one, or drop audio and video files anywhere on this window.</p>
      )}
      <ul className="meeting-list">
        {shown.map((meeting) => {
          const failure = meeting.status === 'failed' && meeting.failure !== null ? describeError(meeting.failure) : null;
          return (
            <li key={meeting.id} className="meeting-item">
              <button
                type="button"
                className="meeting-row"
                data-testid="meeting-row"
                data-meeting-id={meeting.id}
                title={failure === null ? meeting.title : `${meeting.title}\nFailed: ${failure}`}
                onClick={() => openMeeting(meeting.id)}
              >
                <span className="meeting-title" data-testid="meeting-row-title">
                  {meeting.title}
                </span>
                <span className="meeting-date">{formatDateTime(meeting.createdAt)}</span>
                <span className="meeting-duration">{meeting.duration === null ? '—' : formatDuration(meeting.duration)}</span>
                <MeetingStatusBadge status={meeting.status} />
                {failure !== null && (
                  <span className="meeting-row-failure" data-testid="meeting-row-failure">
                    {failure}
                  </span>
                )}
              </button>
              <button
                type="button"
                className="btn-icon meeting-delete"
                data-testid="meeting-row-delete"
                aria-label={`Delete “${meeting.title}”`}
                title="Delete (you can undo for a few seconds)"
                onClick={() => deleteMeeting(meeting.id)}
              >
                🗑
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
