import type { RecordingEvent } from '../../../src-shared/recording-events';
import type { CodedError } from '../../../src-shared/result';
import type { AsrTask } from '../../../src-shared/transcript';
import type { ExecutionPreference } from '../../onnx/execution-provider';
import type { ModelDtype } from '../../models/catalog';

/** What the live ASR worker loads and how it transcribes (given as workerData). */
export interface LiveAsrWorkerConfig {
  modelId: string;
  modelDir: string;
  dtype: ModelDtype;
  execution: ExecutionPreference;
  language: string | null;
  task: AsrTask;
  /** Names and words the speakers use (a vocabulary prompt); empty: none. */
  initialPrompt: string;
  /** The speaker-embedding model for provisional live speaker labels; null: no labels. */
  speakerModelPath: string | null;
}

export type ToLiveAsrWorker =
  | { type: 'push'; id: number; samples: Float32Array }
  | { type: 'skip'; from: number; to: number }
  | { type: 'flush'; id: number }
  | { type: 'release' };

export type FromLiveAsrWorker =
  | { type: 'opened' }
  | { type: 'open-failed'; error: CodedError }
  | { type: 'event'; event: RecordingEvent }
  | { type: 'done'; id: number; segmentsCommitted: number; detectedLanguage: string | null }
  | { type: 'failed'; id: number; message: string }
  | { type: 'released' };
