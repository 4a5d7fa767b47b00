/**
 * What the job handlers need from speech recognition: one whole file in, one transcript out. The app
 * uses ChildTranscriber (inference in a child process, off the main event loop); InProcessFileTranscriber
 * runs the engine in this process (tests, the CLI).
 */
import type { TranscribeProgress } from '../pipeline/transcribe-request';
import { fail, type Result } from '../../src-shared/result';
import type { AsrTask, Transcript, TranscriptSegment } from '../../src-shared/transcript';
import type { ExecutionPreference } from '../asr/execution-provider';
import type { ModelDtype } from '../models/catalog';
import type { Engine } from '../wiring';

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
  transcribe(request: FileTranscribeRequest, onProgress?: FileTranscribeProgressListener, signal?: AbortSignal): Promise<Result<Transcript>>;
  /** Releases the models (and any process holding them); later calls fail with ENGINE_DISPOSED. */
  dispose(): Promise<void>;
}

/** The engine in this process: simple, but its inference blocks this thread while it runs. */
export class InProcessFileTranscriber implements FileTranscriber {
  private disposed = false;

  constructor(private readonly engine: Pick<Engine, 'transcribeFile' | 'dispose'>) {}

  async transcribe(request: FileTranscribeRequest, onProgress: FileTranscribeProgressListener = () => undefined, signal?: AbortSignal): Promise<Result<Transcript>> {
    if (this.disposed) return fail('ENGINE_DISPOSED', 'The transcriber has been disposed.', request.path);
    if (signal?.aborted) return fail('CANCELLED', `Transcription of ${request.path} was cancelled.`, request.path);
    // The engine was built for one device; the request's is for transcribers that can switch.
    const { path, modelId, modelDir, dtype, language, task, prompt, channel } = request;
    try {
      return await this.engine.transcribeFile(
        { path, modelId, modelDir, dtype, language, task, prompt, channel },
        ({ stage, percent, segments }) => onProgress({ stage, percent, segments }),
        signal,
      );
    } catch (error) {
      return fail('ASR_FAILED', `Transcribing ${request.path} failed: ${error instanceof Error ? error.message : String(error)}`, request.path);
    }
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.engine.dispose();
  }
}
