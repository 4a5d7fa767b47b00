import { useShallow } from 'zustand/react/shallow';
import { useApp } from '../store/store-context';
import type { NavScreen } from '../store/ui-slice';

const ITEMS: readonly { screen: NavScreen; label: string }[] = [
  { screen: 'record', label: 'Record' },
  { screen: 'library', label: 'Library' },
  { screen: 'queue', label: 'Queue' },
  { screen: 'settings', label: 'Settings' },
];

export function NavBar(): React.JSX.Element {
  const { screen, navigate, recordingStatus } = useApp(
    useShallow((state) => ({ screen: state.route.screen, navigate: state.navigate, recordingStatus: state.recordingStatus })),
  );
  const activeJobs = useApp((state) => state.jobs.filter((job) => job.state === 'queued' || job.state === 'running').length);
  const current: NavScreen = screen === 'meeting' ? 'library' : screen;

  return (
    <nav className="nav" aria-label="Main">
      <div className="nav-brand">Verbatim</div>
      <ul>
        {ITEMS.map((item) => (
          <li key={item.screen}>
            <button
              type="button"
              className="nav-button"
              data-testid={`nav-${item.screen}`}
              aria-current={current === item.screen ? 'page' : undefined}
              onClick={() => navigate(item.screen)}
            >
              {item.label}
              {item.screen === 'record' && recordingStatus !== 'idle' && (
                <span className={`nav-dot nav-dot-${recordingStatus}`} aria-label={`(${recordingStatus})`} />
              )}
              {item.screen === 'queue' && activeJobs > 0 && (
                <span className="nav-count" aria-label={`(${activeJobs} active)`}>
                  {activeJobs}
                </span>
              )}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
