/**
 * The one IPC contract between the renderer and the main process.
 * The preload implements exactly `VerbatimApi` (checked with `satisfies`), the main process
 * registers exactly the channels in `IPC_CHANNELS`, and the renderer sees only `window.verbatim`.
 */
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
}

export const IPC_CHANNELS = {
  engineInfo: 'verbatim:engine-info',
  transcribeFile: 'verbatim:transcribe-file',
  transcribeProgress: 'verbatim:transcribe-progress',
} as const satisfies Record<InvokeMethod | 'transcribeProgress', string>;

/** Methods that are request/response calls (everything but the `on…` subscriptions). */
export type InvokeMethod = Exclude<keyof VerbatimApi, `on${string}`>;
