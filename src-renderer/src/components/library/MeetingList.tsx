import { useShallow } from 'zustand/react/shallow';
import { ErrorMessage } from '../ErrorMessage';
import { formatDateTime, formatDuration } from '../../store/format';
import { useApp } from '../../store/store-context';
import { MeetingStatusBadge } from './StatusBadge';

export function MeetingList(): React.JSX.Element {
  const { meetings, loaded, error, openMeeting } = useApp(
    useShallow((state) => ({
      meetings: state.meetings,
      loaded: state.meetingsLoaded,
      error: state.meetingsError,
      openMeeting: state.openMeeting,
    })),
  );

  if (!loaded) return <p className="muted">Loading meetings…</p>;
  return (
    <section aria-label="Meetings">
      <ErrorMessage error={error} prefix="Could not load the library:" />
      {meetings.length === 0 && error === null && (
        <p className="empty">No meetings yet. Record one, or drop audio and video files anywhere on this window.</p>
      )}
      <ul className="meeting-list">
        {meetings.map((meeting) => (
          <li key={meeting.id}>
            <button
              type="button"
              className="meeting-row"
              data-testid="meeting-row"
              data-meeting-id={meeting.id}
              onClick={() => openMeeting(meeting.id)}
            >
              <span className="meeting-title">{meeting.title}</span>
              <span className="meeting-date">{formatDateTime(meeting.createdAt)}</span>
              <span className="meeting-duration">{meeting.duration === null ? '—' : formatDuration(meeting.duration)}</span>
              <MeetingStatusBadge status={meeting.status} />
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
