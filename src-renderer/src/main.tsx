import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { errorMessage } from '../../src-shared/errors';
import type { VerbatimApi } from '../../src-shared/ipc-contract';
import { installBridgeClient } from './api/bridge-client';
import { App } from './App';
import { connectEngineEvents, createAppStore } from './store/app-store';
import { AppStoreProvider } from './store/store-context';
import './styles.css';

function showFatal(root: HTMLElement, text: string): void {
  const message = document.createElement('p');
  message.className = 'fatal-message';
  message.setAttribute('role', 'alert');
  message.textContent = text;
  root.replaceChildren(message);
}

async function bootstrap(root: HTMLElement): Promise<void> {
  // In Electron the preload provides the API; in a browser the bridge client installs it.
  const preloaded: VerbatimApi | undefined = window.verbatim;
  if (preloaded === undefined) await installBridgeClient();
  const api: VerbatimApi | undefined = window.verbatim;
  if (api === undefined) {
    showFatal(root, 'Verbatim could not reach its engine. Is the app (or the bridge) running?');
    return;
  }
  const store = createAppStore(api);
  connectEngineEvents(store, api);
  // Meetings deleted in the last seconds are deleted for good when the page goes (their undo ends with it).
  window.addEventListener('pagehide', () => store.getState().flushPendingDeletes());
  void store.getState().initialize();
  createRoot(root).render(
    <StrictMode>
      <AppStoreProvider store={store}>
        <App />
      </AppStoreProvider>
    </StrictMode>,
  );
}

const root = document.getElementById('root');
if (root !== null) {
  bootstrap(root).catch((error: unknown) => {
    showFatal(root, `Verbatim could not start: ${errorMessage(error)}`);
  });
}
