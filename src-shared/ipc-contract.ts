/**
 * The one contract between the renderer and the engine.
 *
 * `VerbatimApi` is what the page sees as `window.verbatim`. Two clients implement it on top of the same
 * wire: the Electron preload (IPC, `satisfies VerbatimApi`) and the browser bridge client (WebSocket +
 * HTTP). The wire (`WireRequests`, `WireEvent`) carries only JSON; every request is answered by the
 * engine-side handlers in src-main/api, which validate their arguments (the page is not trusted).
 */
import type { DiarizeJobPayload, ExportJobPayload, JobEvent, JobSummary, TranscriptionChoice } from './jobs';
import type { MeetingSummary, SearchHit, Speaker } from './library';
import type { CaptureDevice, RecordingEvent, RecordingStartRequest, RecordingSummary } from './recording-events';
import type { CodedError, Result } from './result';
import type { Transcript, TranscriptSegment } from './transcript';

export interface EngineInfo {
  version: string;
  ffmpeg: { path: string; source: 'explicit' | 'env' | 'bundled' | 'system' } | null;
  /** What the engine asked for, what runs, and why it fell back (e.g. no CUDA library found). */
  executionProvider: { requested: string; active: string; fallbackReason: string | null };
  modelsDir: string;
}

export type ExportFormat = ExportJobPayload['formats'][number];

/** How many speakers a diarization looks for: exactly, or within bounds. */
export type SpeakerCountChoice = NonNullable<DiarizeJobPayload['speakers']>;

export const EXPORT_FORMAT_LIST: readonly ExportFormat[] = ['txt', 'srt', 'vtt', 'json', 'md', 'rttm'];

/** The user's choices, kept in the data folder. */
export interface AppSettings {
  /** Catalog id (or a local model's id) used for recording and for jobs that name none. */
  modelId: string;
  /** ISO 639-1, or null to detect. */
  language: string | null;
  /** Names and words the user's meetings use (a vocabulary prompt for Whisper), used where a job names none. */
  vocabulary: string;
  /** Use a GPU execution provider when one is detected. */
  useGpu: boolean;
  /** Find who spoke when after every recording, import and re-transcription (a diarize job). */
  findSpeakers: boolean;
  /** Where the library, media and recordings live (read-only: the data folder the app was started with). */
  storageDir: string;
  inputDeviceId: string | null;
  /** A system-audio monitor recorded beside the microphone (Linux), or null. */
  monitorDeviceId: string | null;
  /**
   * The user's name: the speaker name of their own channel when a recording's channels are transcribed
   * apart (mic + system-audio monitor: "you" on the microphone, everybody else on the monitor).
   */
  userName: string;
}

export interface ModelEntry {
  id: string;
  /** "Whisper base (multilingual)", "Local model" … */
  label: string;
  multilingual: boolean;
  parametersMillions: number | null;
  /** Bytes to download for the default precision, when the catalog knows. */
  downloadBytes: number | null;
  installed: boolean;
  /** Bytes on disk when installed. */
  diskBytes: number;
  /** A folder given at start-up (never downloaded). */
  local: boolean;
}

export interface ModelDownloadProgress {
  modelId: string;
  receivedBytes: number;
  totalBytes: number | null;
  state: 'downloading' | 'done' | 'failed';
  error: CodedError | null;
}

export interface MeetingDetail {
  meeting: MeetingSummary;
  transcript: Transcript;
  speakers: Speaker[];
}

/** `savedTo` is null when the user dismissed the save dialog. */
export interface ExportOutcome {
  savedTo: string | null;
}

/** An export rendered for the client to save (the bridge offers it as a download). */
export interface RenderedExport {
  fileName: string;
  mimeType: string;
  content: string;
}

export interface VerbatimApi {
  engineInfo(): Promise<Result<EngineInfo>>;
  getSettings(): Promise<Result<AppSettings>>;
  /** `storageDir` is shown, not changed (moving the library is not offered yet). */
  updateSettings(patch: Partial<Omit<AppSettings, 'storageDir'>>): Promise<Result<AppSettings>>;
  listModels(): Promise<Result<ModelEntry[]>>;
  /** Starts a download; progress arrives through onModelDownload. */
  downloadModel(modelId: string): Promise<Result<void>>;
  onModelDownload(listener: (progress: ModelDownloadProgress) => void): () => void;

  listCaptureDevices(): Promise<Result<CaptureDevice[]>>;
  startRecording(request: RecordingStartRequest): Promise<Result<{ sessionId: string }>>;
  pauseRecording(): Promise<Result<void>>;
  resumeRecording(): Promise<Result<void>>;
  /** Resolves once the file is finalized and the last utterance committed. */
  stopRecording(): Promise<Result<RecordingSummary>>;
  /** Status, level, partial, committed, gap, error, saved and recovered events of the recorder. */
  onRecordingEvent(listener: (event: RecordingEvent) => void): () => void;

  /** Newest first. */
  listMeetings(): Promise<Result<MeetingSummary[]>>;
  getMeeting(meetingId: string): Promise<Result<MeetingDetail>>;
  searchLibrary(query: string): Promise<Result<SearchHit[]>>;
  renameSpeaker(speakerId: number, name: string | null): Promise<Result<Speaker>>;
  editSegmentText(meetingId: string, segmentId: number, text: string): Promise<Result<TranscriptSegment>>;
  /** Attributes a segment to a speaker label (new or existing), or to nobody with null. */
  setSegmentSpeaker(meetingId: string, segmentId: number, label: string | null): Promise<Result<TranscriptSegment>>;
  deleteMeeting(meetingId: string): Promise<Result<void>>;
  /** Where an <audio> element plays the meeting's media from. */
  mediaUrl(meetingId: string): string;

  /** Files dropped on the window or picked; one import job each, acknowledged at once. */
  importFiles(files: readonly File[], choice?: TranscriptionChoice): Promise<Result<JobSummary[]>>;
  listJobs(): Promise<Result<JobSummary[]>>;
  cancelJob(jobId: string): Promise<Result<JobSummary>>;
  retryJob(jobId: string): Promise<Result<JobSummary>>;
  retranscribe(meetingId: string, choice: TranscriptionChoice): Promise<Result<JobSummary>>;
  /** Finds who spoke when (a diarize job); `speakers` fixes or bounds their number, automatic when absent. */
  diarizeMeeting(meetingId: string, speakers?: SpeakerCountChoice): Promise<Result<JobSummary>>;
  onJobEvent(listener: (event: JobEvent) => void): () => void;

  /** Saves the meeting's transcript where the user chooses (a save dialog, or the browser's download). */
  exportTranscript(meetingId: string, format: ExportFormat): Promise<Result<ExportOutcome>>;
}

/** Request/response calls on the wire: JSON arguments in, a JSON Result out. */
export interface WireRequests {
  engineInfo: { args: []; result: EngineInfo };
  getSettings: { args: []; result: AppSettings };
  updateSettings: { args: [patch: Partial<AppSettings>]; result: AppSettings };
  listModels: { args: []; result: ModelEntry[] };
  downloadModel: { args: [modelId: string]; result: void };
  listCaptureDevices: { args: []; result: CaptureDevice[] };
  startRecording: { args: [request: RecordingStartRequest]; result: { sessionId: string } };
  pauseRecording: { args: []; result: void };
  resumeRecording: { args: []; result: void };
  stopRecording: { args: []; result: RecordingSummary };
  listMeetings: { args: []; result: MeetingSummary[] };
  getMeeting: { args: [meetingId: string]; result: MeetingDetail };
  searchLibrary: { args: [query: string]; result: SearchHit[] };
  renameSpeaker: { args: [speakerId: number, name: string | null]; result: Speaker };
  editSegmentText: { args: [meetingId: string, segmentId: number, text: string]; result: TranscriptSegment };
  setSegmentSpeaker: { args: [meetingId: string, segmentId: number, label: string | null]; result: TranscriptSegment };
  deleteMeeting: { args: [meetingId: string]; result: void };
  /** Files already on the engine's disk: Electron passes dropped files' paths, the bridge its uploads. */
  importPaths: { args: [paths: string[], choice: TranscriptionChoice]; result: JobSummary[] };
  listJobs: { args: []; result: JobSummary[] };
  cancelJob: { args: [jobId: string]; result: JobSummary };
  retryJob: { args: [jobId: string]; result: JobSummary };
  retranscribe: { args: [meetingId: string, choice: TranscriptionChoice]; result: JobSummary };
  diarizeMeeting: { args: [meetingId: string, speakers: SpeakerCountChoice | null]; result: JobSummary };
  renderExport: { args: [meetingId: string, format: ExportFormat]; result: RenderedExport };
}

export type WireMethod = keyof WireRequests;

export const WIRE_METHODS: readonly WireMethod[] = [
  'engineInfo',
  'getSettings',
  'updateSettings',
  'listModels',
  'downloadModel',
  'listCaptureDevices',
  'startRecording',
  'pauseRecording',
  'resumeRecording',
  'stopRecording',
  'listMeetings',
  'getMeeting',
  'searchLibrary',
  'renameSpeaker',
  'editSegmentText',
  'setSegmentSpeaker',
  'deleteMeeting',
  'importPaths',
  'listJobs',
  'cancelJob',
  'retryJob',
  'retranscribe',
  'diarizeMeeting',
  'renderExport',
];

/**
 * How many arguments each wire method takes: every transport refuses a request with more before the
 * arguments are touched (spread, copied or passed on). Checked against `WireRequests` by the compiler.
 */
export const WIRE_ARITY = {
  engineInfo: 0,
  getSettings: 0,
  updateSettings: 1,
  listModels: 0,
  downloadModel: 1,
  listCaptureDevices: 0,
  startRecording: 1,
  pauseRecording: 0,
  resumeRecording: 0,
  stopRecording: 0,
  listMeetings: 0,
  getMeeting: 1,
  searchLibrary: 1,
  renameSpeaker: 2,
  editSegmentText: 3,
  setSegmentSpeaker: 3,
  deleteMeeting: 1,
  importPaths: 2,
  listJobs: 0,
  cancelJob: 1,
  retryJob: 1,
  retranscribe: 2,
  diarizeMeeting: 2,
  renderExport: 2,
} as const satisfies { readonly [M in WireMethod]: WireRequests[M]['args']['length'] };

/** exportTranscript over Electron's save-export channel: meeting id and format. */
export const SAVE_EXPORT_ARITY = 2;

/** Events pushed from the engine to every client. */
export type WireEvent =
  | { channel: 'recording'; payload: RecordingEvent }
  | { channel: 'job'; payload: JobEvent }
  | { channel: 'model-download'; payload: ModelDownloadProgress };

export type WireEventChannel = WireEvent['channel'];

/** Electron IPC channel names: one per wire method, one per event channel, and the save-dialog export. */
export const IPC_CHANNELS = {
  request: (method: WireMethod): string => `verbatim:${method}`,
  event: (channel: WireEventChannel): string => `verbatim:event:${channel}`,
  /** Electron only: the main process shows the save dialog and writes the file. */
  saveExport: 'verbatim:save-export',
} as const;

/** Engine-side handlers for every wire method (src-main/api builds them; Electron and the bridge dispatch to them). */
export type WireHandlers = {
  [M in WireMethod]: (...args: unknown[]) => Promise<Result<WireRequests[M]['result']>>;
};

/**
 * Every key of `VerbatimApi`, for clients and tests that check a surface is complete. Listed as a Record so
 * the compiler refuses a missing key and (excess property check) an extra one.
 */
const VERBATIM_API_METHOD_SET: Record<keyof VerbatimApi, true> = {
  engineInfo: true,
  getSettings: true,
  updateSettings: true,
  listModels: true,
  downloadModel: true,
  onModelDownload: true,
  listCaptureDevices: true,
  startRecording: true,
  pauseRecording: true,
  resumeRecording: true,
  stopRecording: true,
  onRecordingEvent: true,
  listMeetings: true,
  getMeeting: true,
  searchLibrary: true,
  renameSpeaker: true,
  editSegmentText: true,
  setSegmentSpeaker: true,
  deleteMeeting: true,
  mediaUrl: true,
  importFiles: true,
  listJobs: true,
  cancelJob: true,
  retryJob: true,
  retranscribe: true,
  diarizeMeeting: true,
  onJobEvent: true,
  exportTranscript: true,
};

// Marked pure so bundles that do not use the list (the preload, the page) drop it.
export const VERBATIM_API_METHODS = /* @__PURE__ */ Object.freeze(
  /* @__PURE__ */ Object.keys(VERBATIM_API_METHOD_SET),
) as readonly (keyof VerbatimApi)[];
