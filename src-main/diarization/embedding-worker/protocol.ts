import type { CodedError } from '../../../src-shared/result';
import type { ExecutionReport } from '../../onnx/execution-provider';
import type { EmbedderLoadOptions } from '../embedding-model';

/** What the embedding worker loads (given as workerData). */
export type EmbeddingWorkerConfig = EmbedderLoadOptions;

export type ToEmbeddingWorker = { type: 'embed'; id: number; features: Float32Array[] } | { type: 'release' };

export type FromEmbeddingWorker =
  | { type: 'opened'; dimension: number; execution: ExecutionReport }
  | { type: 'open-failed'; error: CodedError }
  | { type: 'embedded'; id: number; vectors: Float32Array[] }
  | { type: 'failed'; id: number; message: string }
  | { type: 'released' };
