/**
 * The channel an engine child process talks to the app through: Electron's parentPort in a utilityProcess,
 * Node's IPC channel under child_process.fork. Both child entries (transcriber-child, live-asr-child) use it.
 */
export interface ParentChannel<Outgoing> {
  send(message: Outgoing): void;
  onMessage(listener: (message: unknown) => void): void;
  /** The app is gone: Node's channel closes; a utilityProcess is ended by Electron with its app instead. */
  onDisconnect(listener: () => void): void;
}

interface ElectronParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
}

export function parentChannel<Outgoing>(): ParentChannel<Outgoing> | null {
  const port = (process as unknown as { parentPort?: ElectronParentPort }).parentPort;
  if (port !== undefined) {
    return {
      send: (message) => port.postMessage(message),
      onMessage: (listener) => port.on('message', (event) => listener(event.data)),
      onDisconnect: () => undefined,
    };
  }
  if (typeof process.send !== 'function') return null;
  return {
    send(message) {
      if (!process.connected) return;
      process.send?.(message);
    },
    onMessage: (listener) => process.on('message', listener),
    onDisconnect: (listener) => process.on('disconnect', listener),
  };
}
