/**
 * The main process's IPC: one invoke handler per wire method, the save-dialog export, and the engine's
 * events forwarded to the window. Electron is injected (ipcMain, the dialog, the window's send) so the
 * wiring is tested without it. Every handler answers a Result; nothing throws across the IPC boundary.
 */
import { errorMessage } from '../../src-shared/errors';
import {
  IPC_CHANNELS,
  SAVE_EXPORT_ARITY,
  WIRE_METHODS,
  type ExportOutcome,
  type WireEvent,
  type WireHandlers,
} from '../../src-shared/ipc-contract';
import { checkArity, checkWireCall } from '../../src-shared/ipc-validation';
import { fail, ok, type Result } from '../../src-shared/result';

export interface IpcMainLike<E> {
  handle(channel: string, listener: (event: E, ...args: unknown[]) => Promise<unknown>): void;
}

const untrusted = () => fail('IPC_UNTRUSTED_SENDER', 'A request from a frame other than the app page was refused.');

async function guarded<T>(run: () => Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await run();
  } catch (error) {
    // Handlers return errors as values; this only catches a defect, so the page gets a Result either way.
    return fail('IPC_HANDLER_FAILED', errorMessage(error));
  }
}

/**
 * One handler per wire method. The arity is checked before the arguments go on (a request with more
 * arguments than the method takes is refused unread); the engine's handlers check their types.
 */
export function registerWireHandlers<E>(
  ipcMain: IpcMainLike<E>,
  services: { readonly handlers: WireHandlers },
  isTrusted: (event: E) => boolean,
): void {
  for (const method of WIRE_METHODS) {
    ipcMain.handle(IPC_CHANNELS.request(method), async (event, ...args) => {
      if (!isTrusted(event)) return untrusted();
      const call = checkWireCall(method, args);
      if (!call.ok) return call;
      const handler: (...args: unknown[]) => Promise<Result<unknown>> = services.handlers[call.value.method];
      return guarded(() => handler(...call.value.args));
    });
  }
}

export interface SaveExportPorts<E> {
  /** The save dialog, defaulting to `fileName`; null when the user cancels. */
  chooseSavePath(event: E, fileName: string): Promise<string | null>;
  writeFile(path: string, content: string | Uint8Array): Promise<Result<unknown>>;
}

/** exportTranscript in Electron: the engine renders, the user picks where, the main process writes. */
export function registerSaveExport<E>(
  ipcMain: IpcMainLike<E>,
  services: { readonly handlers: Pick<WireHandlers, 'renderExport'> },
  isTrusted: (event: E) => boolean,
  ports: SaveExportPorts<E>,
): void {
  ipcMain.handle(IPC_CHANNELS.saveExport, async (event, ...args) => {
    if (!isTrusted(event)) return untrusted();
    const arity = checkArity('exportTranscript', args, SAVE_EXPORT_ARITY);
    if (!arity.ok) return arity;
    const [meetingId, format] = args;
    return guarded(async (): Promise<Result<ExportOutcome>> => {
      const rendered = await services.handlers.renderExport(meetingId, format);
      if (!rendered.ok) return rendered;
      const savePath = await ports.chooseSavePath(event, rendered.value.fileName);
      if (savePath === null) return ok({ savedTo: null });
      const { content, encoding } = rendered.value;
      const written = await ports.writeFile(savePath, encoding === 'base64' ? Buffer.from(content, 'base64') : content);
      return written.ok ? ok({ savedTo: savePath }) : written;
    });
  });
}

/** Every engine event goes to the page on its event channel. Returns the unsubscribe. */
export function forwardWireEvents(
  services: { onEvent(listener: (event: WireEvent) => void): () => void },
  send: (channel: string, payload: WireEvent['payload']) => void,
): () => void {
  return services.onEvent((event) => send(IPC_CHANNELS.event(event.channel), event.payload));
}
