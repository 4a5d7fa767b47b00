/**
 * What the diarize job needs: one recording in, speaker turns out. The models are loaded for the run and
 * disposed explicitly when it ends, whatever the outcome; the embedding model runs in a worker thread, and the
 * audio is streamed from ffmpeg, so memory stays bounded for recordings of any length.
 */
import { availableParallelism } from 'node:os';
import { fail, ok, type Result } from '../../src-shared/result';
import type { ExecutionPreference, ExecutionReport } from '../onnx/execution-provider';
import type { AudioDecoder } from '../audio/types';
import { diarizeChunks, type DiarizationModels, type DiarizationResult, type SpeakerCountHint } from './diarize-audio';
import type { DiarizationModelPaths } from './diarization-models';
import { loadWorkerEmbedder } from './embedding-worker/worker-embedder';
import { loadOnnxSegmenter } from './segmentation-model';
import { SileroLaneVad } from './silero-lanes';

export interface FileDiarizeRequest {
  path: string;
  speakers?: SpeakerCountHint | undefined;
  /** Window step in samples (default 5 s). */
  stepSamples?: number;
  /** Diarize this channel alone (0 = first) instead of the mix: the others' side of a mic + monitor recording. */
  channel?: number | undefined;
}

export interface FileDiarizeProgress {
  stage: 'load-models' | 'diarize';
  /** 0–100 over the file (0 while loading models). */
  percent: number;
}

export interface FileDiarization extends DiarizationResult {
  execution: { segmentation: ExecutionReport; embedding: ExecutionReport };
}

export interface FileDiarizer {
  /** Never throws: bad input, missing models and cancellation come back as coded errors. */
  diarize(
    request: FileDiarizeRequest,
    onProgress?: (progress: FileDiarizeProgress) => void,
    signal?: AbortSignal,
  ): Promise<Result<FileDiarization>>;
}

export interface OnnxFileDiarizerDeps {
  decoder: AudioDecoder;
  /** Finds (or downloads) the two models; called per run. */
  models(signal?: AbortSignal): Promise<Result<DiarizationModelPaths>>;
  device?: ExecutionPreference | undefined;
  /** onnxruntime intra-op threads per model (default: half the cores, see defaultDiarizationThreads). */
  threads?: number | undefined;
}

export interface LoadedDiarizationModels extends DiarizationModels {
  execution: FileDiarization['execution'];
  /** The embedding model's calibrated clustering threshold, when the catalog knows it. */
  threshold?: number | undefined;
}

/** Intra-op threads per model: the segmentation and the embedding model run at the same time, on half the cores each. */
export function defaultDiarizationThreads(): number {
  return Math.max(1, Math.floor(availableParallelism() / 2));
}

/**
 * The models of one run, as the app loads them: segmentation and Silero on this thread, the embedding model in a
 * worker thread (so the two overlap, see diarize-audio.ts).
 */
export async function loadDiarizationModels(
  paths: DiarizationModelPaths,
  options: { device?: ExecutionPreference | undefined; threads?: number | undefined } = {},
): Promise<Result<LoadedDiarizationModels>> {
  const execution = options.device ?? 'auto';
  const threads = options.threads ?? defaultDiarizationThreads();
  const segmentation = await loadOnnxSegmenter({ modelPath: paths.segmentation, execution, threads });
  if (!segmentation.ok) return segmentation;
  const embedding = await loadWorkerEmbedder({
    modelPath: paths.embedding,
    execution,
    threads,
    frontEnd: paths.embeddingProfile?.frontEnd,
  });
  if (!embedding.ok) {
    await segmentation.value.segmenter.dispose();
    return embedding;
  }
  // Silero ships with the app (an npm package), so a failure here is a broken install: said, not skipped.
  const vad = await SileroLaneVad.load();
  if (!vad.ok) {
    await Promise.all([segmentation.value.segmenter.dispose(), embedding.value.embedder.dispose()]);
    return vad;
  }
  return ok({
    segmenter: segmentation.value.segmenter,
    embedder: embedding.value.embedder,
    vad: vad.value,
    execution: { segmentation: segmentation.value.execution, embedding: embedding.value.execution },
    threshold: paths.embeddingProfile?.speakerThreshold,
  });
}

export class OnnxFileDiarizer implements FileDiarizer {
  constructor(private readonly deps: OnnxFileDiarizerDeps) {}

  async diarize(
    request: FileDiarizeRequest,
    onProgress: (progress: FileDiarizeProgress) => void = () => undefined,
    signal?: AbortSignal,
  ): Promise<Result<FileDiarization>> {
    const cancelled = (): Result<FileDiarization> => fail('CANCELLED', `Diarization of ${request.path} was cancelled.`, request.path);
    if (signal?.aborted) return cancelled();
    const probe = await this.deps.decoder.probe(request.path);
    if (!probe.ok) return probe;
    const { channel } = request;
    if (channel !== undefined && !(Number.isInteger(channel) && channel >= 0 && channel < probe.value.channels)) {
      return fail(
        'CHANNEL_NOT_FOUND',
        `${request.path} has ${probe.value.channels} channel(s); channel ${channel + 1} was asked for.`,
        request.path,
      );
    }
    onProgress({ stage: 'load-models', percent: 0 });
    const paths = await this.deps.models(signal);
    if (!paths.ok) return paths;
    if (signal?.aborted) return cancelled();
    const models = await loadDiarizationModels(paths.value, {
      device: this.deps.device,
      threads: this.deps.threads,
    });
    if (!models.ok) return models;
    const duration = probe.value.durationSeconds;
    const decoderFailure: { error: Result<never> | null } = { error: null };
    const decoder = this.deps.decoder;
    async function* chunks(): AsyncGenerator<Float32Array> {
      for await (const item of decoder.decode(request.path, { signal, channel: request.channel })) {
        if (!item.ok) {
          decoderFailure.error = item;
          return;
        }
        yield item.value.samples;
      }
    }
    try {
      const result = await diarizeChunks(chunks(), models.value, {
        speakers: request.speakers,
        stepSamples: request.stepSamples || undefined,
        clusteringThreshold: models.value.threshold,
        signal,
        onProgress: (seconds) => onProgress({ stage: 'diarize', percent: duration ? Math.min(99, (100 * seconds) / duration) : 0 }),
      });
      if (signal?.aborted) return cancelled();
      if (decoderFailure.error) return decoderFailure.error;
      if (!result.ok) return fail(result.error.code, `${result.error.message} (${request.path})`, request.path);
      onProgress({ stage: 'diarize', percent: 100 });
      return ok({ ...result.value, execution: models.value.execution });
    } finally {
      await Promise.all([models.value.segmenter.dispose(), models.value.embedder.dispose(), models.value.vad?.dispose()]);
    }
  }
}
