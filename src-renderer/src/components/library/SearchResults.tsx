import { useShallow } from 'zustand/react/shallow';
import { ErrorMessage } from '../ErrorMessage';
import { formatDuration } from '../../store/format';
import { useApp } from '../../store/store-context';

export function SearchResults(): React.JSX.Element {
  const { hits, searching, error, openMeeting } = useApp(
    useShallow((state) => ({
      hits: state.searchHits,
      searching: state.searching,
      error: state.searchError,
      openMeeting: state.openMeeting,
    })),
  );

  return (
    <section className="search-results" aria-label="Search results" aria-busy={searching}>
      <ErrorMessage error={error} prefix="Search failed:" />
      {!searching && error === null && hits.length === 0 && <p className="empty">No matches.</p>}
      <ul className="hit-list">
        {hits.map((hit) => (
          <li key={`${hit.meetingId}:${hit.segmentId}`}>
            <button
              type="button"
              className="hit"
              data-testid="search-hit"
              data-meeting-id={hit.meetingId}
              data-segment-id={hit.segmentId}
              onClick={() => openMeeting(hit.meetingId, hit.start)}
            >
              <span className="hit-meta">
                <strong>{hit.meetingTitle}</strong>
                <time>{formatDuration(hit.start)}</time>
              </span>
              <span className="hit-snippet">
                {hit.snippet.map((part, index) => (part.hit ? <mark key={index}>{part.text}</mark> : <span key={index}>{part.text}</span>))}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
