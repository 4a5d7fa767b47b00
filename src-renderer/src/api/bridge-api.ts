/**
 * VerbatimApi over the browser bridge: the wire methods over its WebSocket, files through HTTP uploads,
 * exports handed to a saver (the page offers them as downloads), media from the bridge's media route.
 */
import { BRIDGE_ROUTES } from '../../../src-shared/bridge-protocol';
import type { RenderedExport, VerbatimApi, WireEvent, WireMethod, WireRequests } from '../../../src-shared/ipc-contract';
import type { JobSummary, TranscriptionChoice } from '../../../src-shared/jobs';
import { fail, ok, type Result } from '../../../src-shared/result';
import type { BridgeSocket } from './bridge-socket';
import { uploadFile } from './upload';

export interface BridgeApiOptions {
  /** Saves a rendered export where the user gets it (the page: a download). */
  saveExport: (rendered: RenderedExport) => void;
  /** '' in the page (same origin); a full origin when the page is elsewhere (tests). */
  baseUrl?: string;
  fetch?: typeof fetch;
}

type Payload<C extends WireEvent['channel']> = Extract<WireEvent, { channel: C }>['payload'];

export function createBridgeApi(socket: BridgeSocket, options: BridgeApiOptions): VerbatimApi {
  const baseUrl = options.baseUrl ?? '';
  const fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));

  function call<M extends WireMethod>(method: M, ...args: WireRequests[M]['args']): Promise<Result<WireRequests[M]['result']>> {
    // The engine's handlers answer each method with its own result type; the socket only carries JSON.
    return socket.call(method, args) as Promise<Result<WireRequests[M]['result']>>;
  }

  function listen<C extends WireEvent['channel']>(channel: C, listener: (payload: Payload<C>) => void): () => void {
    return socket.onEvent((event) => {
      if (event.channel === channel) listener(event.payload as Payload<C>);
    });
  }

  async function importFiles(files: readonly File[], choice: TranscriptionChoice = {}): Promise<Result<JobSummary[]>> {
    const paths: string[] = [];
    const failures: string[] = [];
    // One at a time: the uploads share one disk and one connection; parallel ones would only interleave.
    for (const file of files) {
      const uploaded = await uploadFile(file, { baseUrl, fetch: fetchImpl });
      if (uploaded.ok) paths.push(uploaded.value);
      else failures.push(`${file.name} (${uploaded.error.message})`);
    }
    const imported = paths.length > 0 ? await call('importPaths', paths, choice) : ok<JobSummary[]>([]);
    if (failures.length > 0) {
      // The uploaded files are queued all the same; their jobs show through onJobEvent.
      return fail('UPLOAD_FAILED', `${failures.length} of ${files.length} files could not be uploaded: ${failures.join('; ')}`);
    }
    return imported;
  }

  return {
    engineInfo: () => call('engineInfo'),
    getSettings: () => call('getSettings'),
    updateSettings: (patch) => call('updateSettings', patch),
    listModels: () => call('listModels'),
    downloadModel: (modelId) => call('downloadModel', modelId),
    onModelDownload: (listener) => listen('model-download', listener),
    addModelFolder: (path) => call('addModelFolder', path),
    listDiarizationModels: () => call('listDiarizationModels'),

    listCaptureDevices: () => call('listCaptureDevices'),
    startRecording: (request) => call('startRecording', request),
    pauseRecording: () => call('pauseRecording'),
    resumeRecording: () => call('resumeRecording'),
    stopRecording: () => call('stopRecording'),
    onRecordingEvent: (listener) => listen('recording', listener),

    listMeetings: () => call('listMeetings'),
    getMeeting: (meetingId) => call('getMeeting', meetingId),
    searchLibrary: (query) => call('searchLibrary', query),
    renameSpeaker: (speakerId, name) => call('renameSpeaker', speakerId, name),
    mergeSpeakers: (meetingId, fromLabel, intoLabel) => call('mergeSpeakers', meetingId, fromLabel, intoLabel),
    renameMeeting: (meetingId, title) => call('renameMeeting', meetingId, title),
    editSegmentText: (meetingId, segmentId, text) => call('editSegmentText', meetingId, segmentId, text),
    setSegmentSpeaker: (meetingId, segmentId, label) => call('setSegmentSpeaker', meetingId, segmentId, label),
    setSegmentSpeakerName: (meetingId, segmentId, name) => call('setSegmentSpeakerName', meetingId, segmentId, name),
    restorePreviousTranscript: (meetingId) => call('restorePreviousTranscript', meetingId),
    deleteMeeting: (meetingId) => call('deleteMeeting', meetingId),
    mediaUrl: (meetingId) => `${baseUrl}${BRIDGE_ROUTES.media}${encodeURIComponent(meetingId)}`,

    importFiles,
    listJobs: () => call('listJobs'),
    cancelJob: (jobId) => call('cancelJob', jobId),
    retryJob: (jobId) => call('retryJob', jobId),
    retranscribe: (meetingId, choice, keepEdits) => call('retranscribe', meetingId, choice, keepEdits ?? true),
    clearFinishedJobs: () => call('clearFinishedJobs'),
    diarizeMeeting: (meetingId, speakers) => call('diarizeMeeting', meetingId, speakers ?? null),
    onJobEvent: (listener) => listen('job', listener),
    onTranscriptDraft: (listener) => listen('transcript-draft', listener),
    onConnectionChange: (listener) => socket.onConnectionChange(listener),

    async exportTranscript(meetingId, format) {
      const rendered = await call('renderExport', meetingId, format);
      if (!rendered.ok) return rendered;
      options.saveExport(rendered.value);
      return ok({ savedTo: rendered.value.fileName });
    },
  };
}
