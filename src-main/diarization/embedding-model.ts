import { Tensor } from 'onnxruntime-node';
import { errorMessage } from '../../src-shared/errors';
import { fail, ok, type Result } from '../../src-shared/result';
import type { ExecutionReport } from '../onnx/execution-provider';
import { FBANK_BINS, FBANK_FRAME_LENGTH, KaldiFbank, subtractFrameMean, type FbankOptions } from './fbank';
import {
  declaredDimension,
  rankProblem,
  loadDiarizationSession,
  type DiarizationModelErrorCode,
  type DiarizationModelOptions,
  type GuardedSession,
} from './onnx-session';

const INPUT = 'feats';
const OUTPUT = 'embs';

/** WeSpeaker's front end: Kaldi fbank with a Hamming window on int16-scaled samples (then per-clip mean removal). */
export const WESPEAKER_FBANK: FbankOptions = { window: 'hamming', inputScale: 32768 };

/** The shortest clip an embedding can be computed for: one 25 ms fbank frame at 16 kHz. */
export const EMBEDDING_MIN_SAMPLES = FBANK_FRAME_LENGTH;
/** Clips of equal length per session.run, so that long lists of clips do not become one huge batch. */
const MAX_CLIPS_PER_RUN = 16;
/** Length of the silent clip used to learn the embedding size when the model does not declare it (2 s). */
const PROBE_FRAMES = 200;

/** Speaker embeddings from a Kaldi-fbank model (CAM++, WeSpeaker ResNet34): fbank in, one vector per clip out. */
export interface SpeakerEmbedder {
  /** Values per embedding (192 for CAM++, 256 for WeSpeaker ResNet34). */
  readonly dimension: number;
  /** The fbank the model was trained on; `embedFeatures` takes features computed with it. */
  readonly frontEnd: FbankOptions;
  /**
   * One embedding per clip, in order, as the model outputs it (not L2-normalised). Each clip is 16 kHz mono audio
   * in [-1, 1] of at least EMBEDDING_MIN_SAMPLES samples; shorter clips throw a RangeError.
   */
  embed(clips: readonly Float32Array[]): Promise<Float32Array[]>;
  /**
   * The same from features already computed with `frontEnd` (frames × 80 each, at least one frame, not
   * mean-normalised: that is done here, per item). Lets a caller compute the fbank of a stream once.
   */
  embedFeatures(features: readonly Float32Array[]): Promise<Float32Array[]>;
  /** Releases the model once runs in flight have finished; later calls to `embed` throw. */
  dispose(): Promise<void>;
}

class OnnxSpeakerEmbedder implements SpeakerEmbedder {
  private readonly fbank: KaldiFbank;

  constructor(
    private readonly session: GuardedSession,
    readonly dimension: number,
    readonly frontEnd: FbankOptions,
  ) {
    this.fbank = new KaldiFbank(frontEnd);
  }

  /**
   * Clips are grouped by fbank frame count and each group runs as one batch: padding shorter clips would put
   * padded frames into the model's statistics pooling and change their embeddings.
   */
  async embed(clips: readonly Float32Array[]): Promise<Float32Array[]> {
    this.session.current();
    clips.forEach((clip, index) => {
      if (clip.length < EMBEDDING_MIN_SAMPLES) {
        throw new RangeError(`clip ${index} has ${clip.length} samples, at least ${EMBEDDING_MIN_SAMPLES} are needed`);
      }
    });
    return this.embedFeatures(clips.map((clip) => this.fbank.compute(clip)));
  }

  async embedFeatures(items: readonly Float32Array[]): Promise<Float32Array[]> {
    this.session.current();
    const byFrames = new Map<number, number[]>();
    items.forEach((item, index) => {
      const frames = item.length / FBANK_BINS;
      if (!Number.isInteger(frames) || frames < 1)
        throw new RangeError(`features ${index} hold ${item.length} values, not whole frames of ${FBANK_BINS}`);
      const group = byFrames.get(frames);
      if (group === undefined) byFrames.set(frames, [index]);
      else group.push(index);
    });
    const embeddings = new Array<Float32Array>(items.length);
    for (const [frames, indices] of byFrames) {
      for (let start = 0; start < indices.length; start += MAX_CLIPS_PER_RUN) {
        const group = indices.slice(start, start + MAX_CLIPS_PER_RUN);
        const features = new Float32Array(group.length * frames * FBANK_BINS);
        group.forEach((itemIndex, row) => {
          features.set(subtractFrameMean(items[itemIndex]!), row * frames * FBANK_BINS);
        });
        const vectors = await this.runFeatures(features, group.length, frames);
        group.forEach((clipIndex, row) => {
          embeddings[clipIndex] = vectors[row]!;
        });
      }
    }
    return embeddings;
  }

  /** Runs mean-normalised fbank features (clips × frames × 80) through the model. */
  private async runFeatures(features: Float32Array, clips: number, frames: number): Promise<Float32Array[]> {
    const { input, output } = this.session.io;
    const outputs = await this.session.run({ [input]: new Tensor('float32', features, [clips, frames, FBANK_BINS]) });
    const embs = outputs[output];
    const dims = embs?.dims ?? [];
    if (embs === undefined || embs.type !== 'float32' || dims.length !== 2 || dims[0] !== clips || dims[1] !== this.dimension) {
      throw new Error(`embedding model returned ${output} of shape [${dims.join(', ')}], expected [${clips}, ${this.dimension}]`);
    }
    const values = embs.data as Float32Array;
    return Array.from({ length: clips }, (_, row) => values.slice(row * this.dimension, (row + 1) * this.dimension));
  }

  dispose(): Promise<void> {
    return this.session.dispose();
  }
}

async function probeDimension(session: GuardedSession): Promise<number | null> {
  const outputs = await session.run({
    [session.io.input]: new Tensor('float32', new Float32Array(PROBE_FRAMES * FBANK_BINS), [1, PROBE_FRAMES, FBANK_BINS]),
  });
  const dims = outputs[session.io.output]?.dims ?? [];
  return dims.length === 2 && dims[0] === 1 && (dims[1] ?? 0) > 0 ? dims[1]! : null;
}

export interface EmbedderLoadOptions extends DiarizationModelOptions {
  /** The fbank the model was trained on (the catalog says, per model); default WeSpeaker's. */
  frontEnd?: FbankOptions | undefined;
}

/**
 * Loads a speaker-embedding ONNX export (input `feats` [batch, frames, 80], output `embs` [batch, dimension];
 * or any one input and one output of those ranks).
 */
export async function loadOnnxEmbedder(
  options: EmbedderLoadOptions,
): Promise<Result<{ embedder: SpeakerEmbedder; execution: ExecutionReport }, DiarizationModelErrorCode>> {
  const description = 'a speaker-embedding model';
  const loaded = await loadDiarizationSession(
    options,
    {
      description,
      input: INPUT,
      output: OUTPUT,
      check: (session, io) => {
        const rank = rankProblem(session, io, 3, 2);
        if (rank !== null) return rank;
        const bins = declaredDimension(session.inputMetadata, io.input, 2);
        return bins === null || bins === FBANK_BINS ? null : `${io.input} takes ${bins} values per frame, expected ${FBANK_BINS}`;
      },
    },
    'SpeakerEmbedder',
  );
  if (!loaded.ok) return fail(loaded.error.code, loaded.error.message, loaded.error.subject);
  const { session, execution } = loaded.value;
  let dimension = declaredDimension(session.current().outputMetadata, session.io.output, 1);
  if (dimension === null) {
    try {
      dimension = await probeDimension(session);
    } catch (error) {
      await session.dispose();
      return fail(
        'DIARIZATION_MODEL_INVALID',
        `${options.modelPath} is not ${description}: ${errorMessage(error).split('\n')[0]}`,
        options.modelPath,
      );
    }
  }
  if (dimension === null) {
    await session.dispose();
    return fail(
      'DIARIZATION_MODEL_INVALID',
      `${options.modelPath} is not ${description}: ${session.io.output} is not [batch, dimension]`,
      options.modelPath,
    );
  }
  const frontEnd = options.frontEnd ?? WESPEAKER_FBANK;
  return ok({ embedder: new OnnxSpeakerEmbedder(session, dimension, frontEnd), execution });
}
