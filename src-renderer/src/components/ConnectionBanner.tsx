import { useApp } from '../store/store-context';

/** Shown while the link to the engine is down (the bridge stopped or restarts); the client reconnects by itself. */
export function ConnectionBanner(): React.JSX.Element | null {
  const connected = useApp((state) => state.connected);
  if (connected) return null;
  return (
    <div className="connection-banner" role="alert" data-testid="connection-lost">
      <strong>Connection to Verbatim lost.</strong> Reconnecting… Nothing you recorded or imported is lost; if this lasts, check that
      Verbatim (or <code>npm run serve</code>) is still running.
    </div>
  );
}
