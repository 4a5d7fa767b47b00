/**
 * Offline diarization of one recording, streamed: segmentation windows every 5 s as the audio arrives,
 * speech cut into one-speaker pieces of about 2 s (see speaker-pieces.ts), one embedding per piece (each
 * second of speech is embedded once), clustering of the pieces at the end, then each piece's frames
 * labelled with its speaker. Memory: one window of audio, the fbank of the open pieces, and one small
 * record (frames + embedding) per piece, never the whole file's audio.
 */
import { errorMessage } from '../../src-shared/errors';
import { fail, ok, type Result } from '../../src-shared/result';
import type { SpeakerEmbedder } from './embedding-model';
import { FBANK_BINS, FBANK_FRAME_LENGTH, FBANK_FRAME_SHIFT } from './fbank';
import { powersetToMultilabel } from './powerset';
import { CAMPPLUS_SPEAKER_THRESHOLD, clusterPieces } from './piece-clustering';
import { speakerLabel } from './speaker-label';
import type { SpeakerSegmenter } from './segmentation-model';
import { FRAME_DURATION_SAMPLES, FRAME_STEP_SAMPLES, modelFrameCount, SEGMENTATION_SAMPLE_RATE } from './segmentation-windows';
import { SpeakerPieceTracker, type SpeakerPiece, type SpeakerPieceOptions } from './speaker-pieces';
import { StreamingFbank } from './streaming-fbank';
import { StreamingWindower, type AudioWindow } from './streaming-windows';
import { StreamingVoicedFrames } from './voice-activity';
import type { LaneVad } from './silero-lanes';
import type { SpeakerTurn } from './types';

export interface SpeakerCountHint {
  exact?: number | undefined;
  min?: number | undefined;
  max?: number | undefined;
}

/** Window step of the offline pipeline: 5 s, so each frame is read from the middle half of a 10 s window. */
export const OFFLINE_STEP_SAMPLES = 80_000;

export interface DiarizeAudioOptions {
  speakers?: SpeakerCountHint | undefined;
  /** Window step in samples at 16 kHz; default OFFLINE_STEP_SAMPLES (5 s). */
  stepSamples?: number | undefined;
  /** Windows segmented per model call; default 4. */
  batchWindows?: number;
  /** Cosine similarity below which pieces are different speakers; default the CAM++ calibration. */
  clusteringThreshold?: number | undefined;
  /** Speakers with less speech than this (seconds) are folded into the nearest one; default 3. */
  minSpeakerSeconds?: number | undefined;
  pieces?: SpeakerPieceOptions;
  signal?: AbortSignal | undefined;
  /** Called once with what was clustered (for calibration tools and benches). */
  onClustering?: (inspection: ClusteringInspection) => void;
  /** Seconds of audio processed so far (called after every batch). */
  onProgress?: (processedSeconds: number) => void;
}

/** The pieces, their embeddings (each piece's `embedding` indexes them, −1 for none) and the speaker of each embedding. */
export interface ClusteringInspection {
  pieces: readonly { track: number; frames: Int32Array; embedding: number }[];
  embeddings: readonly Float32Array[];
  weights: readonly number[];
  labels: Int32Array;
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
  /**
   * Silero VAD (or a double): where it hears pauses the pieces are cut, and speech it does not hear at all is
   * dropped (see speaker-pieces.ts). Without it the segmentation model alone decides.
   */
  vad?: LaneVad | undefined;
}

/**
 * Embedding requests (one per segmented batch) allowed in flight: two, so that an embedder on another thread
 * always has the next batch's pieces queued while this thread segments; memory stays a few batches of pieces.
 */
const MAX_REQUESTS_IN_FLIGHT = 2;

/** Stands in for an embedding still being computed. */
const NO_EMBEDDING = new Float32Array(0);

/** Fewer fbank rows than this (0.2 s) give no embedding: the piece takes its neighbour's speaker. */
const MIN_EMBEDDING_ROWS = 20;

interface StoredPiece {
  track: number;
  frames: Int32Array;
  /** Index into the embeddings, or -1. */
  embedding: number;
}

/** The fbank row j (frame centred on sample 160 j + 200) belongs to the segmentation frame whose centre is nearest. */
function ownerFrame(row: number): number {
  return Math.max(0, Math.round((row * FBANK_FRAME_SHIFT + FBANK_FRAME_LENGTH / 2 - FRAME_DURATION_SAMPLES / 2) / FRAME_STEP_SAMPLES));
}

function firstRowOf(frame: number): number {
  return Math.max(
    0,
    Math.floor(((frame - 1) * FRAME_STEP_SAMPLES + FRAME_DURATION_SAMPLES / 2 - FBANK_FRAME_LENGTH / 2) / FBANK_FRAME_SHIFT),
  );
}

class DiarizationState {
  windowCount = 0;
  readonly pieces: StoredPiece[] = [];
  readonly embeddings: Float32Array[] = [];
  readonly weights: number[] = [];
  readonly fbank: StreamingFbank;
  private readonly tracker: SpeakerPieceTracker;

  readonly voice: StreamingVoicedFrames | undefined;
  /** The embedding requests being computed, oldest first (they never reject: a failure is kept in `failure`). */
  private readonly inFlight: Promise<void>[] = [];
  private failure: Error | null = null;

  constructor(
    private readonly models: DiarizationModels,
    pieceOptions: SpeakerPieceOptions = {},
  ) {
    this.fbank = new StreamingFbank(models.embedder.frontEnd);
    this.voice = models.vad === undefined ? undefined : new StreamingVoicedFrames(models.vad);
    this.tracker = new SpeakerPieceTracker(pieceOptions, this.voice);
  }

  /** Audio in: the fbank and the voice-activity detector follow the stream. */
  push(chunk: Float32Array): void {
    this.fbank.push(chunk);
    this.voice?.push(chunk);
  }

  /** Runs the segmentation model on a batch of windows. */
  segment(batch: readonly AudioWindow[]): Promise<Float32Array[]> {
    return batch.length === 0 ? Promise.resolve([]) : this.models.segmenter.segment(batch.map((window) => window.samples));
  }

  /**
   * A segmented batch, in order: the detector catches up, the windows settle frames, finished pieces go to the
   * embedder. Their embeddings are awaited later (see MAX_REQUESTS_IN_FLIGHT, and `finish`), so an embedder
   * running on another thread works while the next batches are segmented.
   */
  async consume(batch: readonly AudioWindow[], logProbs: readonly Float32Array[]): Promise<void> {
    if (batch.length === 0) return;
    // The detector must have heard every frame the windows can settle.
    await this.voice?.scoreBuffered();
    const finished: SpeakerPiece[] = [];
    batch.forEach((window, index) => {
      const output = logProbs[index];
      if (output === undefined) throw new Error(`segmentation returned ${logProbs.length} outputs for ${batch.length} windows`);
      const activity = Uint8Array.from(powersetToMultilabel(output, modelFrameCount(window.samples.length)));
      this.windowCount += 1;
      finished.push(...this.tracker.push(window.startSample, activity));
    });
    await this.settleEmbeddings(MAX_REQUESTS_IN_FLIGHT - 1);
    this.embed(finished);
  }

  /** The end of the audio: the detector settles its last region before the last windows are read. */
  async endOfAudio(): Promise<void> {
    await this.voice?.finish();
  }

  async finish(): Promise<void> {
    await this.settleEmbeddings(MAX_REQUESTS_IN_FLIGHT - 1);
    this.embed(this.tracker.finish());
    await this.settleEmbeddings(0);
  }

  /** Waits until at most `left` embedding requests are in flight; a failure of the embedder is thrown here. */
  private async settleEmbeddings(left: number): Promise<void> {
    while (this.inFlight.length > left) await this.inFlight.shift();
    if (this.failure !== null) throw this.failure;
  }

  /**
   * One embedding per piece, from the fbank rows of its embedding frames: the rows are taken now (and the fbank
   * no longer needed is dropped), the embedder runs in the background.
   */
  private embed(pieces: readonly SpeakerPiece[]): void {
    const features: Float32Array[] = [];
    const slots: number[] = [];
    for (const piece of pieces) {
      const rows = this.rowsOf(piece.embeddingFrames);
      if (rows === null || rows.length < MIN_EMBEDDING_ROWS * FBANK_BINS) {
        this.pieces.push({ track: piece.track, frames: piece.frames, embedding: -1 });
        continue;
      }
      this.pieces.push({ track: piece.track, frames: piece.frames, embedding: this.embeddings.length });
      slots.push(this.embeddings.length);
      this.embeddings.push(NO_EMBEDDING);
      this.weights.push((piece.embeddingFrames.length * FRAME_STEP_SAMPLES) / SEGMENTATION_SAMPLE_RATE);
      features.push(rows);
    }
    const earliest = this.tracker.earliestFrameNeeded();
    this.fbank.dropBefore(firstRowOf(earliest));
    this.voice?.forgetBefore(earliest);
    if (features.length === 0) return;
    const request = this.models.embedder
      .embedFeatures(features)
      .then((vectors) => {
        if (vectors.length !== slots.length)
          throw new Error(`the embedder returned ${vectors.length} embeddings for ${slots.length} pieces`);
        slots.forEach((slot, k) => (this.embeddings[slot] = vectors[k]!));
      })
      .catch((error: unknown) => {
        this.failure ??= error instanceof Error ? error : new Error(String(error));
      });
    this.inFlight.push(request);
  }

  /** The fbank rows whose segmentation frame is one of `frames` (sorted), or null when they are not held. */
  private rowsOf(frames: Int32Array): Float32Array | null {
    if (frames.length === 0) return null;
    const first = frames[0]!;
    const last = frames[frames.length - 1]!;
    const wanted = new Uint8Array(last - first + 1);
    for (const frame of frames) wanted[frame - first] = 1;
    const fromRow = firstRowOf(first);
    const toRow = Math.min(this.fbank.frameCount, firstRowOf(last + 2) + 1);
    const span = this.fbank.slice(fromRow, Math.max(0, toRow - fromRow));
    if (span === null) return null;
    const picked: number[] = [];
    for (let row = fromRow; row < toRow; row += 1) {
      const owner = ownerFrame(row) - first;
      if (owner >= 0 && owner < wanted.length && wanted[owner] === 1) picked.push(row - fromRow);
    }
    const out = new Float32Array(picked.length * FBANK_BINS);
    picked.forEach((row, index) => out.set(span.subarray(row * FBANK_BINS, (row + 1) * FBANK_BINS), index * FBANK_BINS));
    return out;
  }
}

/** Diarizes a stream of 16 kHz mono chunks in [-1, 1]. */
export async function diarizeChunks(
  chunks: AsyncIterable<Float32Array>,
  models: DiarizationModels,
  options: DiarizeAudioOptions = {},
): Promise<Result<DiarizationResult, DiarizeErrorCode>> {
  const windower = new StreamingWindower({ stepSamples: options.stepSamples ?? OFFLINE_STEP_SAMPLES });
  const batchSize = Math.max(1, options.batchWindows ?? 4);
  const state = new DiarizationState(models, options.pieces);
  const cancelled = (): Result<never, DiarizeErrorCode> => fail('CANCELLED', 'Diarization was cancelled.');
  let pending: AudioWindow[] = [];
  // onnxruntime-node (1.30) runs a session synchronously on the calling thread: the segmentation of a batch
  // overlaps the previous batch's embeddings only when the embedder runs on another thread (embedding-worker/).
  const next = async (batch: AudioWindow[]): Promise<void> => state.consume(batch, await state.segment(batch));
  try {
    for await (const chunk of chunks) {
      if (options.signal?.aborted) return cancelled();
      state.push(chunk);
      pending.push(...windower.push(chunk));
      if (pending.length >= batchSize) {
        await next(pending);
        pending = [];
        options.onProgress?.(windower.totalSamples / SEGMENTATION_SAMPLE_RATE);
      }
    }
    if (options.signal?.aborted) return cancelled();
    await state.endOfAudio();
    pending.push(...windower.finish());
    await next(pending);
    await state.finish();
    options.onProgress?.(windower.totalSamples / SEGMENTATION_SAMPLE_RATE);
  } catch (error) {
    return fail('DIARIZATION_FAILED', `Diarization failed: ${errorMessage(error)}`);
  }
  if (options.signal?.aborted) return cancelled();

  const totalSamples = windower.totalSamples;
  let turns: SpeakerTurn[];
  try {
    turns = speakerTurnsOf(state, totalSamples, options);
  } catch (error) {
    // A model that returned unusable embeddings (NaN) or impossible speaker counts end here, as a value.
    return fail('DIARIZATION_FAILED', `Clustering speakers failed: ${errorMessage(error)}`);
  }
  return ok({
    turns,
    speakerCount: new Set(turns.map((turn) => turn.speaker)).size,
    durationSeconds: totalSamples / SEGMENTATION_SAMPLE_RATE,
    windowCount: state.windowCount,
    embeddingCount: state.embeddings.length,
  });
}

/** The speaker of a piece with no embedding of its own: that of the nearest embedded piece, on its track if it has one. */
function borrowedLabels(pieces: readonly StoredPiece[], labels: Int32Array): Int32Array {
  const result = new Int32Array(pieces.length).fill(-1);
  const middle = (piece: StoredPiece): number => (piece.frames[0]! + piece.frames[piece.frames.length - 1]!) / 2;
  const embedded = pieces.map((piece, index) => ({ piece, index })).filter(({ piece }) => piece.embedding >= 0);
  pieces.forEach((piece, index) => {
    if (piece.embedding >= 0) {
      result[index] = labels[piece.embedding]!;
      return;
    }
    let best = -1;
    let bestDistance = Infinity;
    for (const candidate of embedded) {
      const distance = Math.abs(middle(candidate.piece) - middle(piece)) + (candidate.piece.track === piece.track ? 0 : 1e9);
      if (distance < bestDistance) {
        bestDistance = distance;
        best = candidate.index;
      }
    }
    if (best >= 0) result[index] = labels[pieces[best]!.embedding]!;
  });
  return result;
}

/** Speakers for the pieces, then each speaker's frames as turns (a frame covers its 16.875 ms step). */
function speakerTurnsOf(state: DiarizationState, totalSamples: number, options: DiarizeAudioOptions): SpeakerTurn[] {
  const clustering = clusterPieces(state.embeddings, state.weights, {
    threshold: options.clusteringThreshold ?? CAMPPLUS_SPEAKER_THRESHOLD,
    ...options.speakers,
    minSpeakerSeconds: options.minSpeakerSeconds,
  });
  const labels = borrowedLabels(state.pieces, clustering.labels);
  options.onClustering?.({
    pieces: state.pieces.map((piece) => ({ track: piece.track, frames: piece.frames, embedding: piece.embedding })),
    embeddings: state.embeddings,
    weights: state.weights,
    labels: clustering.labels,
  });
  const bySpeaker = new Map<number, [number, number][]>();
  state.pieces.forEach((piece, index) => {
    const label = labels[index]!;
    if (label < 0) return;
    let runs = bySpeaker.get(label);
    if (runs === undefined) bySpeaker.set(label, (runs = []));
    let start = piece.frames[0]!;
    for (let k = 1; k <= piece.frames.length; k += 1) {
      const frame = piece.frames[k];
      if (frame === undefined || frame !== piece.frames[k - 1]! + 1) {
        runs.push([start, piece.frames[k - 1]!]);
        if (frame !== undefined) start = frame;
      }
    }
  });
  const durationSeconds = totalSamples / SEGMENTATION_SAMPLE_RATE;
  const half = FRAME_STEP_SAMPLES / 2;
  const seconds = (sample: number): number => Math.min(durationSeconds, Math.max(0, sample / SEGMENTATION_SAMPLE_RATE));
  const turns: { speaker: number; start: number; end: number }[] = [];
  for (const [speaker, runs] of bySpeaker) {
    runs.sort((a, b) => a[0] - b[0]);
    let current: [number, number] | null = null;
    const flush = (): void => {
      if (current === null) return;
      const [first, last] = current;
      const start = seconds(first * FRAME_STEP_SAMPLES + FRAME_DURATION_SAMPLES / 2 - half);
      const end = seconds(last * FRAME_STEP_SAMPLES + FRAME_DURATION_SAMPLES / 2 + half);
      if (end > start) turns.push({ speaker, start, end });
    };
    for (const run of runs) {
      if (current !== null && run[0] <= current[1] + 1) current[1] = Math.max(current[1], run[1]);
      else {
        flush();
        current = [run[0], run[1]];
      }
    }
    flush();
  }
  turns.sort((a, b) => a.start - b.start || a.speaker - b.speaker);
  const names = new Map<number, string>();
  return turns.map((turn) => {
    let name = names.get(turn.speaker);
    if (name === undefined) {
      name = speakerLabel(names.size);
      names.set(turn.speaker, name);
    }
    return { start: turn.start, end: turn.end, speaker: name };
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
