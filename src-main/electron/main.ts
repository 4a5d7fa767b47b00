/**
 * Electron's entry: one process per data folder, a sandboxed window on the app page, the engine's wire
 * methods on IPC, meeting media on verbatim-media://, and a quit that waits for the engine to finish.
 * The decisions live in small Electron-free modules beside this file; this one only connects them.
 */
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  session,
  systemPreferences,
  utilityProcess,
  type IpcMainInvokeEvent,
  type Session,
} from 'electron';
import { basename, extname, join } from 'node:path';
import { createAppServices } from '../app/services';
import { installLastResortHandlers } from '../util/last-resort';
import type { AppServices } from '../api/types';
import { writeFileAtomic } from '../export/write-file';
import { devServerOrigin, resolveAppPage } from './app-page';
import { contentSecurityPolicy, withContentSecurityPolicy } from './content-security-policy';
import { forwardWireEvents, registerSaveExport, registerWireHandlers } from './ipc';
import { handleMediaProtocol, registerMediaScheme } from './media-protocol';
import { withMicrophoneAccess, type MicrophoneAccess } from './microphone-access';
import { DAMAGED_LIBRARY_BUTTONS, startWithLibraryChoice, type DamagedLibraryPrompt } from './damaged-library';
import { createQuitGuard } from './quit-guard';
import { utilityProcessLauncher } from './utility-process-launcher';
import { guardAllWebContents, isPermissionAllowed, isTrustedSender, permissionCheckQuery, permissionRequestQuery } from './security';
import { mainWindowOptions } from './window-options';
import { inBackground } from '../util/background';
import { errorMessage } from '../../src-shared/errors';
import { consoleLogger } from '../../src-shared/logger';

const DISPOSE_TIMEOUT_MS = 60_000;
// What nobody returns (a listener that threw, a damaged settings file) goes to stderr.
const logger = consoleLogger();

const appPage = resolveAppPage({
  isPackaged: app.isPackaged,
  devServerUrl: process.env.ELECTRON_RENDERER_URL,
  rendererIndexPath: join(import.meta.dirname, '../renderer/index.html'),
});

let mainWindow: BrowserWindow | null = null;
let servicesReady: Promise<AppServices | null> = Promise.resolve(null);

// A defect that escapes a request is logged; it never ends the app in the middle of a recording.
installLastResortHandlers(process, (problem) => console.error(`Verbatim: ${problem.code}: ${problem.message}`));

// Privileged schemes can only be declared before the app is ready.
registerMediaScheme();

function installSessionSecurity(ses: Session): void {
  ses.setPermissionRequestHandler((_contents, permission, callback, details) =>
    callback(isPermissionAllowed(permissionRequestQuery(permission, details), appPage)),
  );
  ses.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) =>
    isPermissionAllowed(permissionCheckQuery(permission, requestingOrigin, details), appPage),
  );
  // Applies to pages served over HTTP (the dev server); the built file:// page carries the same policy in a <meta>.
  const policy = contentSecurityPolicy({ devServerOrigin: devServerOrigin(appPage) });
  ses.webRequest.onHeadersReceived((details, callback) =>
    callback({ responseHeaders: withContentSecurityPolicy(details.responseHeaders, policy) }),
  );
}

// macOS records silence from an app the user never allowed; ask right before the first recording.
const microphoneAccess: MicrophoneAccess =
  process.platform === 'darwin' ? () => systemPreferences.askForMediaAccess('microphone') : () => Promise.resolve(true);

async function chooseSavePath(fileName: string): Promise<string | null> {
  const name = basename(fileName);
  const extension = extname(name).slice(1);
  const options = {
    defaultPath: join(app.getPath('documents'), name),
    filters: extension === '' ? [] : [{ name: extension.toUpperCase(), extensions: [extension] }],
  };
  const chosen = mainWindow === null ? await dialog.showSaveDialog(options) : await dialog.showSaveDialog(mainWindow, options);
  return chosen.canceled || chosen.filePath === undefined || chosen.filePath === '' ? null : chosen.filePath;
}

function connectServices(services: AppServices): void {
  const isTrusted = (event: IpcMainInvokeEvent): boolean => isTrustedSender(event, mainWindow, appPage);
  registerWireHandlers(ipcMain, { handlers: withMicrophoneAccess(services.handlers, microphoneAccess) }, isTrusted);
  registerSaveExport(ipcMain, services, isTrusted, {
    chooseSavePath: (_event, fileName) => chooseSavePath(fileName),
    writeFile: writeFileAtomic,
  });
  handleMediaProtocol(services);
  forwardWireEvents(services, (channel, payload) => {
    if (mainWindow !== null && !mainWindow.isDestroyed()) mainWindow.webContents.send(channel, payload);
  });
}

function createWindow(): void {
  const window = new BrowserWindow(mainWindowOptions(join(import.meta.dirname, '../preload/index.cjs')));
  mainWindow = window;
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = null;
  });
  // A page that fails to load shows Electron's error page; the rejection is reported, not left unhandled.
  inBackground(window.loadURL(appPage.url));
}

function focusMainWindow(): void {
  if (mainWindow === null) return;
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.focus();
}

const damagedLibraryPrompt: DamagedLibraryPrompt = {
  async ask(message) {
    const { response } = await dialog.showMessageBox({
      type: 'warning',
      title: 'Verbatim',
      message,
      buttons: DAMAGED_LIBRARY_BUTTONS.map((button) => button.label),
      defaultId: 0,
      cancelId: DAMAGED_LIBRARY_BUTTONS.length - 1,
      noLink: true,
    });
    return DAMAGED_LIBRARY_BUTTONS[response]?.answer ?? 'quit';
  },
};

async function start(): Promise<AppServices | null> {
  installSessionSecurity(session.defaultSession);
  // The engine's child runs as a utilityProcess: forking one would need the RunAsNode fuse, which is off.
  const engineProcess = utilityProcessLauncher(utilityProcess);
  const created = await startWithLibraryChoice(
    (onDamagedLibrary) => createAppServices({ dataDir: app.getPath('userData'), onDamagedLibrary, engineProcess, logger }),
    damagedLibraryPrompt,
  );
  if (created === null) {
    app.quit();
    return null;
  }
  if (created.ok && created.value.libraryNotice !== null) {
    await dialog.showMessageBox({ type: 'info', title: 'Verbatim', message: created.value.libraryNotice });
  }
  if (!created.ok) {
    dialog.showErrorBox('Verbatim could not start', `${created.error.message} (${created.error.code})`);
    app.quit();
    return null;
  }
  // The window opens once the handlers are registered, so the page's first requests find them.
  connectServices(created.value);
  createWindow();
  return created.value;
}

// The recorder and the job queue assume one process per data folder: a second launch focuses the first.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', focusMainWindow);
  guardAllWebContents(app);
  servicesReady = app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      dialog.showErrorBox('Verbatim could not start', errorMessage(error));
      app.quit();
      return null;
    });

  app.on(
    'before-quit',
    createQuitGuard({
      dispose: async () => (await servicesReady)?.dispose(),
      quit: () => app.quit(),
      timeoutMs: DISPOSE_TIMEOUT_MS,
      onTimeout: () => logger.error('The engine did not shut down in time; quitting anyway.'),
    }),
  );

  // Quits on every platform, macOS included: a recorder left running with no window would keep the
  // microphone open with nothing on screen to show it. Quitting finalizes the recording instead.
  app.on('window-all-closed', () => app.quit());
}
