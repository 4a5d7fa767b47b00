/**
 * Electron glue: the only main-process file that imports `electron`. It opens the window,
 * registers the contract's channels and forwards them to the plain-Node engine.
 */
import { app, BrowserWindow, ipcMain, type IpcMainInvokeEvent } from 'electron';
import { join } from 'node:path';
import { IPC_CHANNELS } from '../../src-shared/ipc-contract';
import { parseRecordingStartRequest, parseTranscribeRequest } from '../../src-shared/ipc-validation';
import { fail, type Result } from '../../src-shared/result';
import { createEngine } from '../wiring';
import { openWorkspace, type Workspace } from '../workspace';

const engine = createEngine({ userDataDir: app.getPath('userData') });
let workspace: Workspace | null = null;
let mainWindow: BrowserWindow | null = null;

function isTrustedSender(event: IpcMainInvokeEvent): boolean {
  return mainWindow !== null && event.sender === mainWindow.webContents && event.senderFrame === mainWindow.webContents.mainFrame;
}

/** Registers a request handler that refuses every frame but the app's own page. */
function handle(channel: string, run: (event: IpcMainInvokeEvent, argument: unknown) => Promise<Result<unknown>> | Result<unknown>): void {
  ipcMain.handle(channel, async (event, argument: unknown) => {
    if (!isTrustedSender(event)) return fail('IPC_UNTRUSTED_SENDER', 'Request from an unknown frame was refused.');
    return run(event, argument);
  });
}

function registerIpc(): void {
  handle(IPC_CHANNELS.engineInfo, () => engine.info());
  handle(IPC_CHANNELS.transcribeFile, (event, argument) => {
    const request = parseTranscribeRequest(argument);
    if (!request.ok) return request;
    return engine.transcribeFile(request.value, (progress) => event.sender.send(IPC_CHANNELS.transcribeProgress, progress));
  });
  handle(IPC_CHANNELS.listCaptureDevices, () => engine.recorder.listDevices());
  handle(IPC_CHANNELS.startRecording, (_event, argument) => {
    const request = parseRecordingStartRequest(argument);
    return request.ok ? engine.recorder.start(request.value) : request;
  });
  handle(IPC_CHANNELS.pauseRecording, () => engine.recorder.pause());
  handle(IPC_CHANNELS.resumeRecording, () => engine.recorder.resume());
  handle(IPC_CHANNELS.stopRecording, () => engine.recorder.stop());
  engine.onRecordingEvent((recordingEvent) => mainWindow?.webContents.send(IPC_CHANNELS.recordingEvent, recordingEvent));
}

function createWindow(): void {
  mainWindow = new BrowserWindow({
    width: 1100,
    height: 760,
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  mainWindow.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  mainWindow.webContents.on('will-navigate', (event) => event.preventDefault());
  const devServerUrl = process.env.ELECTRON_RENDERER_URL;
  if (devServerUrl) void mainWindow.loadURL(devServerUrl);
  else void mainWindow.loadFile(join(import.meta.dirname, '../renderer/index.html'));
}

void app.whenReady().then(async () => {
  registerIpc();
  createWindow();
  // The library and the queue: jobs a crash or a quit left behind resume from here.
  const opened = await openWorkspace({ dataDir: app.getPath('userData') });
  if (opened.ok) {
    workspace = opened.value;
    workspace.attachRecorder(engine, (error) => console.error(`library: ${error.code}: ${error.message}`));
  } else console.error(`library: ${opened.error.code}: ${opened.error.message}`);
  // Recordings a crash interrupted are repaired (and imported) before anything else is recorded.
  await engine.recorder.recoverAtStartup();
});

let disposed = false;
app.on('before-quit', (event) => {
  if (disposed) return;
  event.preventDefault();
  // The recording is finalized and stored first; then running jobs go back to the queue, resumable.
  void engine
    .dispose()
    .then(() => workspace?.close())
    .finally(() => {
      disposed = true;
      app.quit();
    });
});

app.on('window-all-closed', () => app.quit());
