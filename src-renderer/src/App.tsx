import { ConnectionBanner } from './components/ConnectionBanner';
import { DropOverlay } from './components/DropOverlay';
import { ErrorMessage } from './components/ErrorMessage';
import { NavBar } from './components/NavBar';
import { Notices } from './components/Notices';
import { FirstRunScreen } from './screens/FirstRunScreen';
import { LibraryScreen } from './screens/LibraryScreen';
import { MeetingScreen } from './screens/MeetingScreen';
import { QueueScreen } from './screens/QueueScreen';
import { RecordScreen } from './screens/RecordScreen';
import { SettingsScreen } from './screens/SettingsScreen';
import { useApp } from './store/store-context';

function CurrentScreen(): React.JSX.Element {
  const screen = useApp((state) => state.route.screen);
  switch (screen) {
    case 'record':
      return <RecordScreen />;
    case 'library':
      return <LibraryScreen />;
    case 'meeting':
      return <MeetingScreen />;
    case 'queue':
      return <QueueScreen />;
    case 'settings':
      return <SettingsScreen />;
  }
}

export function App(): React.JSX.Element {
  const startup = useApp((state) => state.startup);
  const initialize = useApp((state) => state.initialize);

  if (startup.phase === 'loading') {
    return (
      <>
        <ConnectionBanner />
        <main className="startup" role="status">
          Starting Verbatim…
        </main>
      </>
    );
  }
  if (startup.phase === 'failed') {
    return (
      <>
        <ConnectionBanner />
        <main className="startup">
          <h1>Verbatim could not start</h1>
          <ErrorMessage error={startup.error} />
          <button type="button" className="btn btn-primary" onClick={() => void initialize()}>
            Try again
          </button>
        </main>
      </>
    );
  }
  if (startup.phase === 'first-run') {
    return (
      <>
        <ConnectionBanner />
        <FirstRunScreen />
        <Notices />
      </>
    );
  }

  return (
    <div className="app-shell">
      <ConnectionBanner />
      <NavBar />
      <main className="screen">
        <CurrentScreen />
      </main>
      <DropOverlay />
      <Notices />
    </div>
  );
}
