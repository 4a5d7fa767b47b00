/**
 * Offline diarization of one recording, streamed: segmentation windows as the audio arrives, one speaker
 * embedding per local speaker per window, global clustering of those embeddings at the end, then
 * reconstruction of who speaks when. Memory is one window of audio plus ~2 KB of activity and one embedding
 * per local speaker per window, never the whole file's audio.
 */
import { fail, ok, type Result } from '../../src-shared/result';
import { clusterEmbeddings } from './clustering';
import { WESPEAKER_FBANK, type SpeakerEmbedder } from './embedding-model';
import { FBANK_FRAME_SHIFT, KaldiFbank, fbankFrameCount } from './fbank';
import { LOCAL_SPEAKERS, powersetToMultilabel } from './powerset';
import { reconstructTurns, type WindowActivity } from './reconstruct';
import type { SpeakerSegmenter } from './segmentation-model';
import { modelFrameCount, SEGMENTATION_SAMPLE_RATE } from './segmentation-windows';
import { localSpeakerFeatures } from './speaker-features';
import { StreamingFbank } from './streaming-fbank';
import { StreamingWindower, type AudioWindow } from './streaming-windows';
import type { SpeakerTurn } from './types';

export interface SpeakerCountHint {
  exact?: number;
  min?: number;
  max?: number;
}

export interface DiarizeAudioOptions {
  speakers?: SpeakerCountHint;
  /** Window step in samples at 16 kHz; default 16000 (1 s, pyannote's 10 % of a 10 s window). */
  stepSamples?: number;
  /** Windows segmented per model call; default 8. */
  batchWindows?: number;
  /** Clustering distance threshold (cosine-like, on normalised embeddings); default pyannote 3.1's. */
  clusteringThreshold?: number;
  signal?: AbortSignal;
  /** Seconds of audio processed so far (called after every batch). */
  onProgress?: (processedSeconds: number) => void;
}

export interface DiarizationResult {
  turns: SpeakerTurn[];
  speakerCount: number;
  durationSeconds: number;
  windowCount: number;
  embeddingCount: number;
}

export type DiarizeErrorCode = 'CANCELLED' | 'DIARIZATION_FAILED';

export interface DiarizationModels {
  segmenter: SpeakerSegmenter;
  embedder: SpeakerEmbedder;
}

interface EmbeddedSpeaker {
  windowIndex: number;
  localSpeaker: number;
}

/** Accumulates per-window results; everything it keeps is small per window. */
class DiarizationState {
  readonly windows: WindowActivity[] = [];
  readonly embeddings: Float32Array[] = [];
  readonly owners: EmbeddedSpeaker[] = [];
  /** The stream's fbank, computed once and shared by the overlapping windows. */
  readonly fbank = new StreamingFbank(WESPEAKER_FBANK);
  private readonly windowFbank = new KaldiFbank(WESPEAKER_FBANK);

  constructor(private readonly models: DiarizationModels) {}

  /**
   * The window's fbank: a slice of the stream's when the window starts on a frame boundary (every regular
   * window: steps are whole multiples of 10 ms), computed from the window otherwise (the end-aligned last
   * window, or the zero-padded window of a short file).
   */
  private featuresOf(window: AudioWindow): Float32Array {
    const frames = fbankFrameCount(window.samples.length);
    const shared = window.startSample % FBANK_FRAME_SHIFT === 0 ? this.fbank.slice(window.startSample / FBANK_FRAME_SHIFT, frames) : null;
    return shared ?? this.windowFbank.compute(window.samples);
  }

  async process(batch: readonly AudioWindow[]): Promise<void> {
    if (batch.length === 0) return;
    const logProbs = await this.models.segmenter.segment(batch.map((window) => window.samples));
    const features: Float32Array[] = [];
    const owners: EmbeddedSpeaker[] = [];
    batch.forEach((window, index) => {
      const output = logProbs[index];
      if (output === undefined) throw new Error(`segmentation returned ${logProbs.length} outputs for ${batch.length} windows`);
      const frames = modelFrameCount(window.samples.length);
      const activity = Uint8Array.from(powersetToMultilabel(output, frames));
      const windowIndex = this.windows.length;
      this.windows.push({ startSample: window.startSample, activity });
      for (const speaker of localSpeakerFeatures(this.featuresOf(window), activity)) {
        features.push(speaker.features);
        owners.push({ windowIndex, localSpeaker: speaker.localSpeaker });
      }
    });
    // Later windows start after this batch's last one: its earlier frames are no longer needed.
    this.fbank.dropBefore(Math.floor(batch[batch.length - 1]!.startSample / FBANK_FRAME_SHIFT) + 1);
    if (features.length === 0) return;
    const embeddings = await this.models.embedder.embedFeatures(features);
    this.embeddings.push(...embeddings);
    this.owners.push(...owners);
  }
}

/** Diarizes a stream of 16 kHz mono chunks in [-1, 1]. */
export async function diarizeChunks(
  chunks: AsyncIterable<Float32Array>,
  models: DiarizationModels,
  options: DiarizeAudioOptions = {},
): Promise<Result<DiarizationResult, DiarizeErrorCode>> {
  const windower = new StreamingWindower({ stepSamples: options.stepSamples });
  const batchSize = Math.max(1, options.batchWindows ?? 8);
  const state = new DiarizationState(models);
  const cancelled = (): Result<never, DiarizeErrorCode> => fail('CANCELLED', 'Diarization was cancelled.');
  let pending: AudioWindow[] = [];
  try {
    for await (const chunk of chunks) {
      if (options.signal?.aborted) return cancelled();
      state.fbank.push(chunk);
      pending.push(...windower.push(chunk));
      if (pending.length >= batchSize) {
        await state.process(pending);
        pending = [];
        options.onProgress?.(windower.totalSamples / SEGMENTATION_SAMPLE_RATE);
      }
    }
    if (options.signal?.aborted) return cancelled();
    pending.push(...windower.finish());
    await state.process(pending);
    options.onProgress?.(windower.totalSamples / SEGMENTATION_SAMPLE_RATE);
  } catch (error) {
    return fail('DIARIZATION_FAILED', `Diarization failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (options.signal?.aborted) return cancelled();

  const totalSamples = windower.totalSamples;
  let turns: SpeakerTurn[];
  try {
    turns = speakerTurnsOf(state, totalSamples, options);
  } catch (error) {
    // A model that returned unusable embeddings (NaN) or impossible speaker counts end here, as a value.
    return fail('DIARIZATION_FAILED', `Clustering speakers failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return ok({
    turns,
    speakerCount: new Set(turns.map((turn) => turn.speaker)).size,
    durationSeconds: totalSamples / SEGMENTATION_SAMPLE_RATE,
    windowCount: state.windows.length,
    embeddingCount: state.embeddings.length,
  });
}

/** Global speakers for every local speaker, then who speaks when. */
function speakerTurnsOf(state: DiarizationState, totalSamples: number, options: DiarizeAudioOptions): SpeakerTurn[] {
  const clustering = clusterEmbeddings(state.embeddings, { ...options.speakers, threshold: options.clusteringThreshold });
  const labels = new Int32Array(state.windows.length * LOCAL_SPEAKERS).fill(-1);
  state.owners.forEach((owner, index) => {
    labels[owner.windowIndex * LOCAL_SPEAKERS + owner.localSpeaker] = clustering.labels[index]!;
  });
  return reconstructTurns(state.windows, {
    speakerCount: clustering.count,
    labelOf: (windowIndex, localSpeaker) => labels[windowIndex * LOCAL_SPEAKERS + localSpeaker]!,
    totalSamples,
  });
}

/** Diarizes audio already in memory (tests, short clips). */
export function diarizeSamples(
  samples: Float32Array,
  models: DiarizationModels,
  options: DiarizeAudioOptions = {},
): Promise<Result<DiarizationResult, DiarizeErrorCode>> {
  // eslint-disable-next-line @typescript-eslint/require-await -- an async generator is what the streaming windows consume
  async function* oneSecondChunks(): AsyncGenerator<Float32Array> {
    for (let start = 0; start < samples.length; start += SEGMENTATION_SAMPLE_RATE) {
      yield samples.subarray(start, Math.min(samples.length, start + SEGMENTATION_SAMPLE_RATE));
    }
  }
  return diarizeChunks(oneSecondChunks(), models, options);
}
