/**
 * Electron glue: the only main-process file that imports `electron`. It opens the window,
 * registers the contract's channels and forwards them to the plain-Node engine.
 */
import { app, BrowserWindow, ipcMain, type IpcMainInvokeEvent } from 'electron';
import { join } from 'node:path';
import { IPC_CHANNELS, type TranscribeFileRequest } from '../../src-shared/ipc-contract';
import { fail } from '../../src-shared/result';
import { createEngine } from '../wiring';

const engine = createEngine({ userDataDir: app.getPath('userData') });
let mainWindow: BrowserWindow | null = null;

function isTrustedSender(event: IpcMainInvokeEvent): boolean {
  return mainWindow !== null && event.sender === mainWindow.webContents && event.senderFrame === mainWindow.webContents.mainFrame;
}

function isTranscribeRequest(value: unknown): value is TranscribeFileRequest {
  if (typeof value !== 'object' || value === null) return false;
  const request = value as Record<string, unknown>;
  return typeof request.path === 'string' && request.path.length > 0;
}

function registerIpc(): void {
  ipcMain.handle(IPC_CHANNELS.engineInfo, async (event) => {
    if (!isTrustedSender(event)) return fail('IPC_UNTRUSTED_SENDER', 'Request from an unknown frame was refused.');
    return engine.info();
  });
  ipcMain.handle(IPC_CHANNELS.transcribeFile, async (event, request: unknown) => {
    if (!isTrustedSender(event)) return fail('IPC_UNTRUSTED_SENDER', 'Request from an unknown frame was refused.');
    if (!isTranscribeRequest(request)) return fail('IPC_BAD_REQUEST', 'transcribeFile needs a non-empty path.');
    return engine.transcribeFile(request, (progress) => event.sender.send(IPC_CHANNELS.transcribeProgress, progress));
  });
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

void app.whenReady().then(() => {
  registerIpc();
  createWindow();
});

let disposed = false;
app.on('before-quit', (event) => {
  if (disposed) return;
  event.preventDefault();
  void engine.dispose().finally(() => {
    disposed = true;
    app.quit();
  });
});

app.on('window-all-closed', () => app.quit());
