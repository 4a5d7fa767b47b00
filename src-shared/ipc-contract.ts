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
  /** `process.platform` of the engine ("linux", "darwin", "win32"): what the app can offer depends on it. */
  platform: string;
}

export type ExportFormat = ExportJobPayload['formats'][number];

/** How many speakers a diarization looks for: exactly, or within bounds. */
export type SpeakerCountChoice = NonNullable<DiarizeJobPayload['speakers']>;

export const EXPORT_FORMAT_LIST: readonly ExportFormat[] = ['txt', 'srt', 'vtt', 'json', 'md', 'docx', 'rttm'];

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
  /** A model folder (given at start-up or chosen by the user) rather than a catalog download. */
  local: boolean;
  /** The folder it is used from when installed (the models folder, a folder another Verbatim tool uses, or the user's). */
  location: string | null;
}

/** The two diarization models (who spoke when) and whether each is on this computer. */
export interface DiarizationModelEntry {
  id: string;
  role: 'segmentation' | 'embedding';
  label: string;
  installed: boolean;
  diskBytes: number;
  /** Bytes to download, when the catalog knows. */
  downloadBytes: number | null;
  location: string | null;
}

/** Segments of a transcription still running, sent as Whisper produces them (they are stored when it ends). */
export interface TranscriptDraft {
  meetingId: string;
  jobId: string;
  /** The new segments since the last draft event, in order. */
  segments: TranscriptSegment[];
}

/** The transcript a re-transcription replaced, kept so the user can go back to it. */
export interface PreviousTranscriptInfo {
  replacedAt: string;
  modelId: string;
  segmentCount: number;
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
  /** The import, re-transcription or diarization queued or running for this meeting, if any. */
  activeJob: JobSummary | null;
  /** Segments a running import has produced so far (empty otherwise). */
  draft: TranscriptSegment[];
  previousTranscript: PreviousTranscriptInfo | null;
}

/** `savedTo` is null when the user dismissed the save dialog. */
export interface ExportOutcome {
  savedTo: string | null;
}

/** An export rendered for the client to save (the bridge offers it as a download). */
export interface RenderedExport {
  fileName: string;
  mimeType: string;
  /** The file's bytes: UTF-8 text, or base64 for binary formats (DOCX). */
  content: string;
  encoding: 'utf8' | 'base64';
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
  /** Offers a Whisper model folder (transformers.js layout) on this computer as an installed model. */
  addModelFolder(path: string): Promise<Result<ModelEntry>>;
  listDiarizationModels(): Promise<Result<DiarizationModelEntry[]>>;

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
  /** Every segment of `fromLabel` becomes `intoLabel`'s; `fromLabel`'s speaker goes. */
  mergeSpeakers(meetingId: string, fromLabel: string, intoLabel: string): Promise<Result<Speaker[]>>;
  renameMeeting(meetingId: string, title: string): Promise<Result<MeetingSummary>>;
  editSegmentText(meetingId: string, segmentId: number, text: string): Promise<Result<TranscriptSegment>>;
  /** Attributes a segment to a speaker label (new or existing), or to nobody with null. */
  setSegmentSpeaker(meetingId: string, segmentId: number, label: string | null): Promise<Result<TranscriptSegment>>;
  /** Attributes a segment to the speaker of that name (case-insensitive), or to a new speaker named so. */
  setSegmentSpeakerName(meetingId: string, segmentId: number, name: string): Promise<Result<TranscriptSegment>>;
  /** Puts back the transcript the last re-transcription replaced (the current one becomes the previous). */
  restorePreviousTranscript(meetingId: string): Promise<Result<MeetingSummary>>;
  deleteMeeting(meetingId: string): Promise<Result<void>>;
  /** Where an <audio> element plays the meeting's media from. */
  mediaUrl(meetingId: string): string;

  /** Files dropped on the window or picked; one import job each, acknowledged at once. */
  importFiles(files: readonly File[], choice?: TranscriptionChoice): Promise<Result<JobSummary[]>>;
  listJobs(): Promise<Result<JobSummary[]>>;
  cancelJob(jobId: string): Promise<Result<JobSummary>>;
  retryJob(jobId: string): Promise<Result<JobSummary>>;
  /** `keepEdits` (default true): corrected lines and chosen speakers stay where they were said. */
  retranscribe(meetingId: string, choice: TranscriptionChoice, keepEdits?: boolean): Promise<Result<JobSummary>>;
  /** Removes succeeded, failed and cancelled jobs from the list; returns how many. */
  clearFinishedJobs(): Promise<Result<number>>;
  /** Finds who spoke when (a diarize job); `speakers` fixes or bounds their number, automatic when absent. */
  diarizeMeeting(meetingId: string, speakers?: SpeakerCountChoice): Promise<Result<JobSummary>>;
  onJobEvent(listener: (event: JobEvent) => void): () => void;
  onTranscriptDraft(listener: (draft: TranscriptDraft) => void): () => void;
  /** The link to the engine went down (false) or came back (true); Electron's IPC never drops. */
  onConnectionChange(listener: (connected: boolean) => void): () => void;

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
  addModelFolder: { args: [path: string]; result: ModelEntry };
  listDiarizationModels: { args: []; result: DiarizationModelEntry[] };
  listCaptureDevices: { args: []; result: CaptureDevice[] };
  startRecording: { args: [request: RecordingStartRequest]; result: { sessionId: string } };
  pauseRecording: { args: []; result: void };
  resumeRecording: { args: []; result: void };
  stopRecording: { args: []; result: RecordingSummary };
  listMeetings: { args: []; result: MeetingSummary[] };
  getMeeting: { args: [meetingId: string]; result: MeetingDetail };
  searchLibrary: { args: [query: string]; result: SearchHit[] };
  renameSpeaker: { args: [speakerId: number, name: string | null]; result: Speaker };
  mergeSpeakers: { args: [meetingId: string, fromLabel: string, intoLabel: string]; result: Speaker[] };
  renameMeeting: { args: [meetingId: string, title: string]; result: MeetingSummary };
  editSegmentText: { args: [meetingId: string, segmentId: number, text: string]; result: TranscriptSegment };
  setSegmentSpeaker: { args: [meetingId: string, segmentId: number, label: string | null]; result: TranscriptSegment };
  setSegmentSpeakerName: { args: [meetingId: string, segmentId: number, name: string]; result: TranscriptSegment };
  restorePreviousTranscript: { args: [meetingId: string]; result: MeetingSummary };
  deleteMeeting: { args: [meetingId: string]; result: void };
  /** Files already on the engine's disk: Electron passes dropped files' paths, the bridge its uploads. */
  importPaths: { args: [paths: string[], choice: TranscriptionChoice]; result: JobSummary[] };
  listJobs: { args: []; result: JobSummary[] };
  cancelJob: { args: [jobId: string]; result: JobSummary };
  retryJob: { args: [jobId: string]; result: JobSummary };
  retranscribe: { args: [meetingId: string, choice: TranscriptionChoice, keepEdits: boolean]; result: JobSummary };
  clearFinishedJobs: { args: []; result: number };
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
  'addModelFolder',
  'listDiarizationModels',
  'listCaptureDevices',
  'startRecording',
  'pauseRecording',
  'resumeRecording',
  'stopRecording',
  'listMeetings',
  'getMeeting',
  'searchLibrary',
  'renameSpeaker',
  'mergeSpeakers',
  'renameMeeting',
  'editSegmentText',
  'setSegmentSpeaker',
  'setSegmentSpeakerName',
  'restorePreviousTranscript',
  'deleteMeeting',
  'importPaths',
  'listJobs',
  'cancelJob',
  'retryJob',
  'retranscribe',
  'clearFinishedJobs',
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
  addModelFolder: 1,
  listDiarizationModels: 0,
  listCaptureDevices: 0,
  startRecording: 1,
  pauseRecording: 0,
  resumeRecording: 0,
  stopRecording: 0,
  listMeetings: 0,
  getMeeting: 1,
  searchLibrary: 1,
  renameSpeaker: 2,
  mergeSpeakers: 3,
  renameMeeting: 2,
  editSegmentText: 3,
  setSegmentSpeaker: 3,
  setSegmentSpeakerName: 3,
  restorePreviousTranscript: 1,
  deleteMeeting: 1,
  importPaths: 2,
  listJobs: 0,
  cancelJob: 1,
  retryJob: 1,
  retranscribe: 3,
  clearFinishedJobs: 0,
  diarizeMeeting: 2,
  renderExport: 2,
} as const satisfies { readonly [M in WireMethod]: WireRequests[M]['args']['length'] };

/** exportTranscript over Electron's save-export channel: meeting id and format. */
export const SAVE_EXPORT_ARITY = 2;

/** Events pushed from the engine to every client. */
export type WireEvent =
  | { channel: 'recording'; payload: RecordingEvent }
  | { channel: 'job'; payload: JobEvent }
  | { channel: 'model-download'; payload: ModelDownloadProgress }
  | { channel: 'transcript-draft'; payload: TranscriptDraft };

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
  addModelFolder: true,
  listDiarizationModels: true,
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
  mergeSpeakers: true,
  renameMeeting: true,
  editSegmentText: true,
  setSegmentSpeaker: true,
  setSegmentSpeakerName: true,
  restorePreviousTranscript: true,
  deleteMeeting: true,
  mediaUrl: true,
  importFiles: true,
  listJobs: true,
  cancelJob: true,
  retryJob: true,
  retranscribe: true,
  clearFinishedJobs: true,
  diarizeMeeting: true,
  onJobEvent: true,
  onTranscriptDraft: true,
  onConnectionChange: true,
  exportTranscript: true,
};

// Marked pure so bundles that do not use the list (the preload, the page) drop it.
export const VERBATIM_API_METHODS = /* @__PURE__ */ Object.freeze(
  /* @__PURE__ */ Object.keys(VERBATIM_API_METHOD_SET),
) as readonly (keyof VerbatimApi)[];
