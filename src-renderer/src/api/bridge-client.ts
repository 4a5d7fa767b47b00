/** `window.verbatim` in a browser served by `npm run serve` (the Electron preload defines it otherwise). */
import { BRIDGE_ROUTES } from '../../../src-shared/bridge-protocol';
import { createBridgeApi } from './bridge-api';
import { BridgeSocket } from './bridge-socket';
import { saveDownload } from './download';

/** The bridge's socket on this page's own origin (the bridge refuses any other). */
export function bridgeSocketUrl(location: Pick<Location, 'protocol' | 'host'>): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}${BRIDGE_ROUTES.socket}`;
}

/**
 * Installs the bridge client as `window.verbatim` unless something (the Electron preload) already did.
 * Resolves once the socket is open (or after a few seconds; requests then wait for it a while).
 */
export async function installBridgeClient(): Promise<void> {
  const existing = (window as Partial<Pick<Window, 'verbatim'>>).verbatim;
  if (existing !== undefined) return;
  // The cookie the bridge set when the page was opened with its token authorizes the socket.
  const socket = new BridgeSocket(bridgeSocketUrl(window.location), (url) => new WebSocket(url));
  window.verbatim = createBridgeApi(socket, { saveExport: saveDownload });
  await socket.start();
}
