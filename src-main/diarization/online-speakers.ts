import { CAMPPLUS_SPEAKER_THRESHOLD } from './piece-clustering';

/**
 * Provisional speaker labels while recording: each embedding joins the most similar running centroid or
 * starts a new speaker. The whole-file clustering replaces these labels once the recording ends.
 */

/** The offline speaker threshold of the default embedding model (CAM++): more alike than 99 % of different-speaker pairs. */
export const DEFAULT_ONLINE_SIMILARITY = CAMPPLUS_SPEAKER_THRESHOLD;

export interface OnlineSpeakerOptions {
  /** Join an existing speaker when the cosine similarity to its centroid is at least this (−1..1). */
  threshold?: number;
  /** Once this many speakers exist, every embedding joins the nearest one. No limit by default. */
  maxSpeakers?: number;
}

export interface SpeakerAssignment {
  speaker: number;
  /**
   * Cosine similarity to the chosen speaker's centroid before this embedding was added. For a new speaker,
   * the best similarity any existing speaker reached (−1 when there were none): how clearly it was new.
   */
  similarity: number;
  isNew: boolean;
}

interface RunningSpeaker {
  /** Sum of weight × unit embedding; points the same way as the weighted mean. */
  sum: Float64Array;
  sumLength: number;
  weight: number;
}

export class OnlineSpeakerTracker {
  private readonly threshold: number;
  private readonly maxSpeakers: number;
  private speakers: RunningSpeaker[] = [];
  private dimension: number | undefined;

  constructor(options: OnlineSpeakerOptions = {}) {
    this.threshold = options.threshold ?? DEFAULT_ONLINE_SIMILARITY;
    if (!(this.threshold >= -1 && this.threshold <= 1)) throw new RangeError(`threshold must be in [-1, 1], got ${this.threshold}`);
    const maxSpeakers = options.maxSpeakers ?? Infinity;
    if (maxSpeakers !== Infinity && (!Number.isInteger(maxSpeakers) || maxSpeakers < 1)) {
      throw new RangeError(`maxSpeakers must be a positive integer, got ${maxSpeakers}`);
    }
    this.maxSpeakers = maxSpeakers;
  }

  /**
   * Labels one embedding. `weight` is how much speech it stands for (seconds; default 1). Throws RangeError
   * on a zero or non-finite embedding, a dimension change, or a weight that is not finite and positive.
   */
  assign(embedding: Float32Array, weight = 1): SpeakerAssignment {
    if (!(Number.isFinite(weight) && weight > 0)) throw new RangeError(`weight must be finite and positive, got ${weight}`);
    const unit = this.unitVector(embedding);

    let best = -1;
    let bestSimilarity = -1;
    this.speakers.forEach((speaker, index) => {
      const similarity = speaker.sumLength > 0 ? dot(unit, speaker.sum) / speaker.sumLength : 0;
      if (best < 0 || similarity > bestSimilarity) {
        best = index;
        bestSimilarity = similarity;
      }
    });

    const full = this.speakers.length >= this.maxSpeakers;
    if (best >= 0 && (bestSimilarity >= this.threshold || full)) {
      this.addTo(this.speakers[best]!, unit, weight);
      return { speaker: best, similarity: bestSimilarity, isNew: false };
    }
    const speaker: RunningSpeaker = { sum: new Float64Array(unit.length), sumLength: 0, weight: 0 };
    this.addTo(speaker, unit, weight);
    this.speakers.push(speaker);
    return { speaker: this.speakers.length - 1, similarity: bestSimilarity, isNew: true };
  }

  /** Each speaker's weighted mean of unit embeddings (length ≤ 1: shorter when its embeddings disagree). */
  centroids(): Float32Array[] {
    return this.speakers.map((speaker) => Float32Array.from(speaker.sum, (value) => value / speaker.weight));
  }

  reset(): void {
    this.speakers = [];
    this.dimension = undefined;
  }

  private unitVector(embedding: Float32Array): Float64Array {
    if (this.dimension !== undefined && embedding.length !== this.dimension) {
      throw new RangeError(`embedding has ${embedding.length} values, expected ${this.dimension}`);
    }
    let squared = 0;
    for (const value of embedding) {
      if (!Number.isFinite(value)) throw new RangeError('embedding holds a non-finite value');
      squared += value * value;
    }
    if (squared === 0) throw new RangeError('embedding has no direction (all zeros)');
    this.dimension = embedding.length;
    const length = Math.sqrt(squared);
    return Float64Array.from(embedding, (value) => value / length);
  }

  private addTo(speaker: RunningSpeaker, unit: Float64Array, weight: number): void {
    for (let k = 0; k < unit.length; k += 1) speaker.sum[k] = speaker.sum[k]! + weight * unit[k]!;
    speaker.weight += weight;
    speaker.sumLength = Math.sqrt(dot(speaker.sum, speaker.sum));
  }
}

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let k = 0; k < a.length; k += 1) sum += a[k]! * b[k]!;
  return sum;
}
