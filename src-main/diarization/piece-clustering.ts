import { averageLinkage, cutAverageLinkage, labelsAfterMerges } from './average-linkage';

/**
 * Speakers from the embeddings of short speech pieces (one per turn piece of about 2 s): average-linkage
 * clustering on cosine similarity, stopped where two groups are no more alike than different speakers
 * usually are (`threshold`, calibrated per embedding model on speaker-verification trials), then speakers
 * with too little speech folded into the most similar one, then every piece to its nearest speaker.
 */

/**
 * CAM++ (3D-Speaker zh-en common): 99th percentile of the cosine similarity of 2 s pieces of different
 * speakers, measured on the dev/ clips (70 pieces, 13 speakers; same-speaker pairs: median 0.72). See
 * docs/diarization.md.
 */
export const CAMPPLUS_SPEAKER_THRESHOLD = 0.3;
/** A speaker needs this much speech (seconds) to stand on its own (pyannote folds small clusters alike). */
export const DEFAULT_MIN_SPEAKER_SECONDS = 3;
/**
 * Pieces embedded from less speech than this (seconds) do not shape the clusters: a short piece's embedding is
 * noisy (a breath, a laugh, a word), and a handful of them form a "speaker" of their own. They still get a
 * speaker, the nearest. pyannote does the same with its too-short (chunk, speaker) embeddings.
 */
export const DEFAULT_MIN_CLUSTERED_SECONDS = 0.5;
/** Largest input clustered directly: the distance matrix is 2·n² bytes (8 MB at 2000). */
export const DEFAULT_MAX_AGGLOMERATIVE = 2000;

export interface PieceClusteringOptions {
  /** Cosine similarity below which two groups of pieces are different speakers. */
  threshold: number;
  exact?: number | undefined;
  min?: number | undefined;
  max?: number | undefined;
  minSpeakerSeconds?: number | undefined;
  /** Pieces with less speech than this are left out of the clustering and given the nearest speaker. */
  minClusteredSeconds?: number;
  maxAgglomerative?: number;
}

export interface PieceClusteringResult {
  /** Speaker of each piece, 0..count−1 by first appearance. */
  labels: Int32Array;
  count: number;
}

function positiveInteger(name: string, value: number | undefined): number | undefined {
  if (value !== undefined && (!Number.isInteger(value) || value < 1))
    throw new RangeError(`${name} must be an integer of at least 1, got ${value}`);
  return value;
}

function unitRows(rows: readonly Float32Array[], dimension: number): Float64Array {
  const points = new Float64Array(rows.length * dimension);
  rows.forEach((row, index) => {
    let sum = 0;
    for (let k = 0; k < dimension; k += 1) {
      const value = row[k]!;
      if (!Number.isFinite(value)) throw new RangeError(`embedding ${index} holds a non-finite value`);
      sum += value * value;
    }
    const length = Math.sqrt(sum);
    if (length === 0) return;
    for (let k = 0; k < dimension; k += 1) points[index * dimension + k] = row[k]! / length;
  });
  return points;
}

function centroids(points: Float64Array, dimension: number, labels: Int32Array, count: number, rows?: readonly number[]): Float64Array[] {
  const sums = Array.from({ length: count }, () => new Float64Array(dimension));
  labels.forEach((label, index) => {
    const row = rows ? rows[index]! : index;
    const sum = sums[label]!;
    for (let k = 0; k < dimension; k += 1) sum[k]! += points[row * dimension + k]!;
  });
  return sums.map((sum) => {
    let length = 0;
    for (const value of sum) length += value * value;
    length = Math.sqrt(length);
    return length > 0 ? sum.map((value) => value / length) : sum;
  });
}

function nearest(points: Float64Array, dimension: number, row: number, candidates: readonly Float64Array[]): number {
  let best = 0;
  let bestSimilarity = -Infinity;
  candidates.forEach((centroid, index) => {
    let dot = 0;
    for (let k = 0; k < dimension; k += 1) dot += points[row * dimension + k]! * centroid[k]!;
    if (dot > bestSimilarity) {
      bestSimilarity = dot;
      best = index;
    }
  });
  return best;
}

function renumber(labels: Int32Array): PieceClusteringResult {
  const names = new Map<number, number>();
  const renumbered = labels.map((label) => {
    let name = names.get(label);
    if (name === undefined) {
      name = names.size;
      names.set(label, name);
    }
    return name;
  });
  return { labels: renumbered, count: names.size };
}

/** Folds clusters with less than `minSeconds` of speech into the most similar larger one. */
function foldSmall(
  points: Float64Array,
  dimension: number,
  labels: Int32Array,
  weights: readonly number[],
  rows: readonly number[],
  minSeconds: number,
): Int32Array {
  const count = labels.reduce((most, label) => Math.max(most, label + 1), 0);
  const seconds = new Float64Array(count);
  labels.forEach((label, index) => {
    seconds[label]! += weights[rows[index]!]!;
  });
  let large = [...seconds.keys()].filter((label) => seconds[label]! >= minSeconds);
  if (large.length === count) return labels;
  if (large.length === 0) large = [seconds.indexOf(Math.max(...seconds))];
  const all = centroids(points, dimension, labels, count, rows);
  const largeCentroids = large.map((label) => all[label]!);
  const target = Int32Array.from({ length: count }, (_, label) =>
    large.includes(label) ? label : large[nearest(all[label]!, dimension, 0, largeCentroids)]!,
  );
  return labels.map((label) => target[label]!);
}

function evenlySpaced(total: number, wanted: number): number[] {
  return Array.from({ length: wanted }, (_, index) => Math.floor((index * total) / wanted));
}

/**
 * Clusters piece embeddings. `weights` are the seconds of speech behind each embedding. Throws RangeError
 * on non-finite values, mismatched lengths or impossible options.
 */
export function clusterPieces(
  embeddings: readonly Float32Array[],
  weights: readonly number[],
  options: PieceClusteringOptions,
): PieceClusteringResult {
  const exact = positiveInteger('exact', options.exact);
  const min = positiveInteger('min', options.min);
  const max = positiveInteger('max', options.max);
  if (min !== undefined && max !== undefined && min > max) throw new RangeError(`min (${min}) must not exceed max (${max})`);
  if (!(options.threshold >= -1 && options.threshold <= 1))
    throw new RangeError(`threshold must be a cosine similarity in [-1, 1], got ${options.threshold}`);
  if (weights.length !== embeddings.length) throw new RangeError(`${weights.length} weights for ${embeddings.length} embeddings`);
  const n = embeddings.length;
  if (n === 0) return { labels: new Int32Array(0), count: 0 };
  const dimension = embeddings[0]!.length;
  embeddings.forEach((embedding, index) => {
    if (embedding.length !== dimension) throw new RangeError(`embedding ${index} has ${embedding.length} values, expected ${dimension}`);
  });
  const points = unitRows(embeddings, dimension);
  const limit = Math.max(2, options.maxAgglomerative ?? DEFAULT_MAX_AGGLOMERATIVE);
  const minClustered = options.minClusteredSeconds ?? DEFAULT_MIN_CLUSTERED_SECONDS;
  const long = weights.flatMap((seconds, index) => (seconds >= minClustered ? [index] : []));
  // Too few long pieces to say anything on their own: all of them.
  const eligible = long.length >= 2 ? long : Array.from({ length: n }, (_, i) => i);
  const rows = eligible.length > limit ? evenlySpaced(eligible.length, limit).map((k) => eligible[k]!) : eligible;
  const subset = new Float64Array(rows.length * dimension);
  rows.forEach((row, index) => subset.set(points.subarray(row * dimension, (row + 1) * dimension), index * dimension));
  const tree = averageLinkage(subset, rows.length, dimension);
  const clamp = (value: number): number => Math.max(1, Math.min(rows.length, value));

  let labels: Int32Array;
  if (exact !== undefined) {
    labels = labelsAfterMerges(tree, rows.length - clamp(exact));
  } else {
    labels = foldSmall(
      subset,
      dimension,
      cutAverageLinkage(tree, 1 - options.threshold),
      weights,
      rows,
      options.minSpeakerSeconds ?? DEFAULT_MIN_SPEAKER_SECONDS,
    );
    const found = renumber(labels).count;
    const wanted = min !== undefined && found < min ? min : max !== undefined && found > max ? max : undefined;
    if (wanted !== undefined) labels = labelsAfterMerges(tree, rows.length - clamp(wanted));
  }
  const grouped = renumber(labels);
  // Every piece (the subset's too) joins its nearest speaker: a centroid averages many pieces and says more
  // than the one merge that placed a piece.
  const speakerCentroids = centroids(subset, dimension, grouped.labels, grouped.count);
  const assigned = renumber(Int32Array.from({ length: n }, (_, row) => nearest(points, dimension, row, speakerCentroids)));
  // A speaker emptied by the reassignment would break a number the caller asked for.
  return assigned.count === grouped.count || rows.length < n ? assigned : grouped;
}
