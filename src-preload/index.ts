import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_CHANNELS, type TranscribeProgress, type VerbatimApi } from '../src-shared/ipc-contract';

const api = {
  engineInfo: () => ipcRenderer.invoke(IPC_CHANNELS.engineInfo),
  transcribeFile: (request) => ipcRenderer.invoke(IPC_CHANNELS.transcribeFile, request),
  onTranscribeProgress: (listener) => {
    const forward = (_event: IpcRendererEvent, progress: TranscribeProgress): void => listener(progress);
    ipcRenderer.on(IPC_CHANNELS.transcribeProgress, forward);
    return () => ipcRenderer.removeListener(IPC_CHANNELS.transcribeProgress, forward);
  },
} satisfies VerbatimApi;

contextBridge.exposeInMainWorld('verbatim', api);
