/**
 * What the job handlers need from speech recognition: one whole file in, one transcript out. The app, the
 * bridge and the CLI all use ChildTranscriber (inference in a child process, off the main event loop);
 * tests pass doubles.
 */
import type { TranscribeProgress } from '../pipeline/transcribe-request';
import type { Result } from '../../src-shared/result';
import type { AsrTask, Transcript, TranscriptSegment } from '../../src-shared/transcript';
import type { ExecutionPreference } from '../onnx/execution-provider';
import type { ModelDtype } from '../models/catalog';

export interface FileTranscribeRequest {
  path: string;
  /** Catalog id; the engine's default (or the folder's name, with modelDir) when absent. */
  modelId?: string | undefined;
  /** A local model folder used instead of the catalog. */
  modelDir?: string | undefined;
  dtype?: ModelDtype | undefined;
  /** ISO 639-1 code; null or absent detects the language. */
  language?: string | null | undefined;
  task?: AsrTask | undefined;
  /** Names and words the speakers use (a vocabulary prompt); absent or empty: none. */
  prompt?: string | undefined;
  /** Where inference runs; the transcriber's default when absent. */
  device?: ExecutionPreference | undefined;
  /** Transcribe this channel alone (0 = first; e.g. the microphone of a mic + monitor recording) instead of the mix. */
  channel?: number | undefined;
}

export type FileTranscribeStage = TranscribeProgress['stage'];

export interface FileTranscribeProgress {
  stage: FileTranscribeStage;
  /** 0–100 over the whole file, except `load-model`, whose percent is the model download's. */
  percent: number;
  /** Segments transcribed since the last report (absolute times), when the engine gives them. */
  segments?: TranscriptSegment[] | undefined;
}

export type FileTranscribeProgressListener = (progress: FileTranscribeProgress) => void;

export interface FileTranscriber {
  /**
   * Transcribes one file. Never throws: bad input, a model that cannot load or a dead engine come back
   * as coded errors, and an aborted `signal` ends the call promptly with `CANCELLED`.
   */
  transcribe(
    request: FileTranscribeRequest,
    onProgress?: FileTranscribeProgressListener,
    signal?: AbortSignal,
  ): Promise<Result<Transcript>>;
  /** Releases the models now if nothing is being transcribed (the next call loads them again). */
  releaseIdle?(): void;
  /** Releases the models (and any process holding them); later calls fail with ENGINE_DISPOSED. */
  dispose(): Promise<void>;
}
