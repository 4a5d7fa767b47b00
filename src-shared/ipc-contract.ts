/**
 * The one IPC contract between the renderer and the main process.
 * The preload implements exactly `VerbatimApi` (checked with `satisfies`), the main process
 * registers exactly the channels in `IPC_CHANNELS`, and the renderer sees only `window.verbatim`.
 */
import type { CaptureDevice, RecordingEvent, RecordingStartRequest, RecordingSummary } from './recording-events';
import type { Result } from './result';
import type { AsrTask, Transcript } from './transcript';

export interface EngineInfo {
  version: string;
  ffmpeg: { path: string; source: 'explicit' | 'env' | 'bundled' | 'system' } | null;
  executionProvider: { requested: string; active: string; fallbackReason: string | null };
  modelsDir: string;
}

export interface TranscribeFileRequest {
  path: string;
  modelId?: string;
  language?: string | null;
  task?: AsrTask;
}

export interface TranscribeProgress {
  path: string;
  stage: 'probe' | 'load-model' | 'decode' | 'vad' | 'transcribe' | 'done';
  /** 0–100 over the whole file. */
  percent: number;
}

export interface VerbatimApi {
  engineInfo(): Promise<Result<EngineInfo>>;
  transcribeFile(request: TranscribeFileRequest): Promise<Result<Transcript>>;
  /** Subscribes to progress events; returns the unsubscribe function. */
  onTranscribeProgress(listener: (progress: TranscribeProgress) => void): () => void;
  listCaptureDevices(): Promise<Result<CaptureDevice[]>>;
  startRecording(request: RecordingStartRequest): Promise<Result<{ sessionId: string }>>;
  pauseRecording(): Promise<Result<void>>;
  resumeRecording(): Promise<Result<void>>;
  /** Resolves once the file is finalized and the last utterance committed. */
  stopRecording(): Promise<Result<RecordingSummary>>;
  /** Status, level, partial, committed, gap, error, saved and recovered events of the recorder. */
  onRecordingEvent(listener: (event: RecordingEvent) => void): () => void;
}

export const IPC_CHANNELS = {
  engineInfo: 'verbatim:engine-info',
  transcribeFile: 'verbatim:transcribe-file',
  transcribeProgress: 'verbatim:transcribe-progress',
  listCaptureDevices: 'verbatim:list-capture-devices',
  startRecording: 'verbatim:start-recording',
  pauseRecording: 'verbatim:pause-recording',
  resumeRecording: 'verbatim:resume-recording',
  stopRecording: 'verbatim:stop-recording',
  recordingEvent: 'verbatim:recording-event',
} as const satisfies Record<InvokeMethod | 'transcribeProgress' | 'recordingEvent', string>;

/** Methods that are request/response calls (everything but the `on…` subscriptions). */
export type InvokeMethod = Exclude<keyof VerbatimApi, `on${string}`>;
