import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_CHANNELS, type TranscribeProgress, type VerbatimApi } from '../src-shared/ipc-contract';
import type { RecordingEvent } from '../src-shared/recording-events';

const api = {
  engineInfo: () => ipcRenderer.invoke(IPC_CHANNELS.engineInfo),
  transcribeFile: (request) => ipcRenderer.invoke(IPC_CHANNELS.transcribeFile, request),
  onTranscribeProgress: (listener) => {
    const forward = (_event: IpcRendererEvent, progress: TranscribeProgress): void => listener(progress);
    ipcRenderer.on(IPC_CHANNELS.transcribeProgress, forward);
    return () => ipcRenderer.removeListener(IPC_CHANNELS.transcribeProgress, forward);
  },
  listCaptureDevices: () => ipcRenderer.invoke(IPC_CHANNELS.listCaptureDevices),
  startRecording: (request) => ipcRenderer.invoke(IPC_CHANNELS.startRecording, request),
  pauseRecording: () => ipcRenderer.invoke(IPC_CHANNELS.pauseRecording),
  resumeRecording: () => ipcRenderer.invoke(IPC_CHANNELS.resumeRecording),
  stopRecording: () => ipcRenderer.invoke(IPC_CHANNELS.stopRecording),
  onRecordingEvent: (listener) => {
    const forward = (_event: IpcRendererEvent, recordingEvent: RecordingEvent): void => listener(recordingEvent);
    ipcRenderer.on(IPC_CHANNELS.recordingEvent, forward);
    return () => ipcRenderer.removeListener(IPC_CHANNELS.recordingEvent, forward);
  },
} satisfies VerbatimApi;

contextBridge.exposeInMainWorld('verbatim', api);
