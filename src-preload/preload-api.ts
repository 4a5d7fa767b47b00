/**
 * `window.verbatim` on top of Electron IPC, built from injected ports so it can be tested without Electron.
 * Every request goes through the invoke channel of its wire method; the page never sees ipcRenderer.
 */
import {
  IPC_CHANNELS,
  WIRE_ARITY,
  type ExportFormat,
  type ExportOutcome,
  type VerbatimApi,
  type WireEvent,
  type WireEventChannel,
  type WireMethod,
  type WireRequests,
} from '../src-shared/ipc-contract';
import type { TranscriptionChoice } from '../src-shared/jobs';
import { checkArity } from '../src-shared/ipc-validation';
import { fail, type Result } from '../src-shared/result';

/** The part of ipcRenderer the API uses. Listeners receive the IPC event first, which is never passed on to the page. */
export interface PreloadIpc {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): void;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): void;
}

/** webUtils.getPathForFile: '' for a File that is not backed by a file on disk. */
export interface PreloadFiles {
  pathForFile(file: File): string;
}

type PayloadOf<C extends WireEventChannel> = Extract<WireEvent, { channel: C }>['payload'];

export const MEDIA_URL_PREFIX = 'verbatim-media://meeting/';

export function mediaUrlFor(meetingId: string): string {
  return `${MEDIA_URL_PREFIX}${encodeURIComponent(meetingId)}`;
}

export function createPreloadApi(ipc: PreloadIpc, files: PreloadFiles): VerbatimApi {
  // The main process answers every channel with a Result (see src-main/electron/ipc.ts). Too many
  // arguments are refused here already, before they are copied across the process boundary.
  const request =
    <M extends WireMethod>(method: M) =>
    (...args: WireRequests[M]['args']): Promise<Result<WireRequests[M]['result']>> => {
      const arity = checkArity(method, args, WIRE_ARITY[method]);
      if (!arity.ok) return Promise.resolve(arity);
      return ipc.invoke(IPC_CHANNELS.request(method), ...args) as Promise<Result<WireRequests[M]['result']>>;
    };

  const subscribe =
    <C extends WireEventChannel>(channel: C) =>
    (listener: (payload: PayloadOf<C>) => void): (() => void) => {
      const forward = (_event: unknown, payload: unknown): void => listener(payload as PayloadOf<C>);
      ipc.on(IPC_CHANNELS.event(channel), forward);
      return () => ipc.removeListener(IPC_CHANNELS.event(channel), forward);
    };

  const importPaths = request('importPaths');

  return {
    engineInfo: request('engineInfo'),
    getSettings: request('getSettings'),
    updateSettings: request('updateSettings'),
    listModels: request('listModels'),
    downloadModel: request('downloadModel'),
    onModelDownload: subscribe('model-download'),
    addModelFolder: request('addModelFolder'),
    listDiarizationModels: request('listDiarizationModels'),

    listCaptureDevices: request('listCaptureDevices'),
    startRecording: request('startRecording'),
    pauseRecording: request('pauseRecording'),
    resumeRecording: request('resumeRecording'),
    stopRecording: request('stopRecording'),
    onRecordingEvent: subscribe('recording'),

    listMeetings: request('listMeetings'),
    getMeeting: request('getMeeting'),
    searchLibrary: request('searchLibrary'),
    renameSpeaker: request('renameSpeaker'),
    mergeSpeakers: request('mergeSpeakers'),
    renameMeeting: request('renameMeeting'),
    editSegmentText: request('editSegmentText'),
    setSegmentSpeaker: request('setSegmentSpeaker'),
    setSegmentSpeakerName: request('setSegmentSpeakerName'),
    restorePreviousTranscript: request('restorePreviousTranscript'),
    deleteMeeting: request('deleteMeeting'),
    mediaUrl: mediaUrlFor,

    importFiles: async (dropped: readonly File[], choice?: TranscriptionChoice) => {
      const paths = dropped.map((file) => files.pathForFile(file));
      // A File built in the page (not picked or dropped) has no path; the engine could not read it.
      const withoutPath = dropped.filter((_file, index) => paths[index] === '').map((file) => file.name);
      if (withoutPath.length > 0) {
        return fail('IMPORT_FILE_NOT_ON_DISK', `Only files from disk can be imported: ${withoutPath.join(', ')}.`, withoutPath[0]);
      }
      return importPaths(paths, choice ?? {});
    },
    listJobs: request('listJobs'),
    cancelJob: request('cancelJob'),
    retryJob: request('retryJob'),
    retranscribe: (meetingId, choice, keepEdits) => request('retranscribe')(meetingId, choice, keepEdits ?? true),
    clearFinishedJobs: request('clearFinishedJobs'),
    diarizeMeeting: (meetingId, speakers) => request('diarizeMeeting')(meetingId, speakers ?? null),
    onJobEvent: subscribe('job'),
    onTranscriptDraft: subscribe('transcript-draft'),
    // IPC to the main process does not drop: there is never a change to report.
    onConnectionChange: () => () => undefined,

    exportTranscript: (meetingId: string, format: ExportFormat) =>
      ipc.invoke(IPC_CHANNELS.saveExport, meetingId, format) as Promise<Result<ExportOutcome>>,
  } satisfies VerbatimApi;
}
