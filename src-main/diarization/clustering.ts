import { centroidLinkage, cutAfterMerges, cutAtDistance, largeClusterCounts, type Dendrogram } from './centroid-linkage';
import { roundHalfEven } from './segmentation-windows';

/**
 * Whole-file speaker clustering after pyannote.audio 3.1's AgglomerativeClustering (method 'centroid'):
 * centroid-linkage AHC on L2-normalised embeddings cut at a distance threshold, small clusters folded into
 * the nearest large one, and the cut moved when the caller pins the number of speakers.
 */

/** pyannote/speaker-diarization-3.1's tuned threshold for WeSpeaker ResNet34 (Euclidean between unit vectors). */
export const DEFAULT_CLUSTERING_THRESHOLD = 0.7045654963945799;
export const DEFAULT_MIN_CLUSTER_SIZE = 12;
/** Largest input clustered directly; its condensed distance matrix is 4·n² bytes (16 MB at 2000). */
export const DEFAULT_MAX_AGGLOMERATIVE = 2000;

export interface ClusteringOptions {
  /** Cut the dendrogram where centroids are farther apart than this (0..2 for unit vectors). */
  threshold?: number;
  /** Exactly this many clusters (at most the number of embeddings). Overrides min and max. */
  exact?: number;
  min?: number;
  max?: number;
  /** Clusters smaller than this are folded into the nearest large one (shrinks to ~10% of short inputs). */
  minClusterSize?: number;
  /** Above this many embeddings, cluster an evenly spaced subset of this size and assign the rest. */
  maxAgglomerative?: number;
}

export interface ClusteringResult {
  /** Cluster of each embedding, numbered 0..count−1 in order of first appearance. */
  labels: Int32Array;
  /** Unit-length mean direction of each cluster's normalised members (all zeros if its members are). */
  centroids: Float32Array[];
  count: number;
}

interface Settings {
  threshold: number;
  exact: number | undefined;
  min: number | undefined;
  max: number | undefined;
  minClusterSize: number;
  maxAgglomerative: number;
}

function positiveInteger(name: string, value: number | undefined, least = 1): number | undefined {
  if (value !== undefined && (!Number.isInteger(value) || value < least)) {
    throw new RangeError(`${name} must be an integer of at least ${least}, got ${value}`);
  }
  return value;
}

function settingsFrom(options: ClusteringOptions): Settings {
  const threshold = options.threshold ?? DEFAULT_CLUSTERING_THRESHOLD;
  if (!Number.isFinite(threshold) || threshold < 0) throw new RangeError(`threshold must be finite and ≥ 0, got ${threshold}`);
  const settings: Settings = {
    threshold,
    exact: positiveInteger('exact', options.exact),
    min: positiveInteger('min', options.min),
    max: positiveInteger('max', options.max),
    minClusterSize: positiveInteger('minClusterSize', options.minClusterSize) ?? DEFAULT_MIN_CLUSTER_SIZE,
    maxAgglomerative: positiveInteger('maxAgglomerative', options.maxAgglomerative, 2) ?? DEFAULT_MAX_AGGLOMERATIVE,
  };
  if (settings.min !== undefined && settings.max !== undefined && settings.min > settings.max) {
    throw new RangeError(`min (${settings.min}) must not exceed max (${settings.max})`);
  }
  return settings;
}

function checkEmbeddings(embeddings: readonly Float32Array[]): number {
  const dimension = embeddings[0]?.length ?? 0;
  embeddings.forEach((embedding, row) => {
    if (embedding.length !== dimension) {
      throw new RangeError(`embedding ${row} has ${embedding.length} values, expected ${dimension}`);
    }
    // NaN and ±Infinity are exactly the values whose product with 0 is not 0.
    let probe = 0;
    for (let k = 0; k < dimension; k += 1) probe += embedding[k]! * 0;
    if (probe !== 0) throw new RangeError(`embedding ${row} holds a non-finite value`);
  });
  return dimension;
}

function norm(vector: ArrayLike<number>): number {
  let sum = 0;
  for (let k = 0; k < vector.length; k += 1) sum += vector[k]! * vector[k]!;
  return Math.sqrt(sum);
}

/** Row-major unit vectors in float64; a zero vector stays zero (pyannote would turn it into NaN). */
function normalisedRows(rows: readonly Float32Array[], dimension: number): Float64Array {
  const points = new Float64Array(rows.length * dimension);
  rows.forEach((row, index) => {
    const length = norm(row);
    if (length === 0) return;
    for (let k = 0; k < dimension; k += 1) points[index * dimension + k] = row[k]! / length;
  });
  return points;
}

/** Per-cluster sums of the row-major `points` (a sum points the same way as the mean). */
function clusterSums(points: Float64Array, dimension: number, labels: Int32Array, count: number): Float64Array[] {
  const sums = Array.from({ length: count }, () => new Float64Array(dimension));
  labels.forEach((label, row) => {
    const sum = sums[label]!;
    for (let k = 0; k < dimension; k += 1) sum[k] = sum[k]! + points[row * dimension + k]!;
  });
  return sums;
}

/** Cosine similarity, taking 0 when either side has no direction. */
function cosine(a: Float64Array, b: Float64Array): number {
  let dot = 0;
  for (let k = 0; k < a.length; k += 1) dot += a[k]! * b[k]!;
  const lengths = norm(a) * norm(b);
  return lengths > 0 ? dot / lengths : 0;
}

function mostSimilar(vector: Float64Array, candidates: readonly Float64Array[]): number {
  let best = 0;
  let bestSimilarity = -Infinity;
  candidates.forEach((candidate, index) => {
    const similarity = cosine(vector, candidate);
    if (similarity > bestSimilarity) {
      bestSimilarity = similarity;
      best = index;
    }
  });
  return best;
}

function renumberByFirstAppearance(labels: Int32Array): { labels: Int32Array; count: number } {
  const mapping = new Map<number, number>();
  const renumbered = labels.map((label) => {
    let next = mapping.get(label);
    if (next === undefined) {
      next = mapping.size;
      mapping.set(label, next);
    }
    return next;
  });
  return { labels: renumbered, count: mapping.size };
}

function countClusters(labels: Int32Array): number {
  return labels.reduce((largest, label) => Math.max(largest, label + 1), 0);
}

/** pyannote: fold each cluster under `minSize` into the large cluster whose centroid is most cosine-similar. */
function foldSmallClusters(points: Float64Array, dimension: number, labels: Int32Array, minSize: number): Int32Array {
  const count = countClusters(labels);
  const sizes = new Int32Array(count);
  for (const label of labels) sizes[label] = sizes[label]! + 1;
  const large = [...sizes.keys()].filter((label) => sizes[label]! >= minSize);
  if (large.length === 0) return new Int32Array(labels.length);
  if (large.length === count) return labels;
  const sums = clusterSums(points, dimension, labels, count);
  const largeSums = large.map((label) => sums[label]!);
  const target = Int32Array.from(sizes, (size, label) =>
    size >= minSize ? label : large[mostSimilar(sums[label]!, largeSums)]!,
  );
  return renumberByFirstAppearance(labels.map((label) => target[label]!)).labels;
}

/**
 * Coarsest cut of the dendrogram, walking down from the root in merge order, that has exactly `target`
 * clusters of at least `minSize` points. Returns how many merges to apply, or undefined when no cut has
 * that many large clusters.
 *
 * pyannote instead tries merge steps in order of how close their distance is to the threshold. With
 * centroid linkage on noisy high-dimensional embeddings single embeddings merge at distances near the
 * threshold while whole halves of a speaker merge far below it (inversions), so that search lands on early
 * steps where speakers are still in fragments and splits one speaker across clusters.
 */
function mergesForLargeCount(dendrogram: Dendrogram, minSize: number, target: number): number | undefined {
  const largeCounts = largeClusterCounts(dendrogram, minSize);
  for (let merges = largeCounts.length; merges > 0; merges -= 1) {
    if (largeCounts[merges - 1] === target) return merges;
  }
  const leavesAreLarge = minSize <= 1 ? dendrogram.leaves : 0;
  return leavesAreLarge === target ? 0 : undefined;
}

/** pyannote AgglomerativeClustering.cluster on unit vectors; labels numbered by first appearance. */
function clusterPoints(points: Float64Array, count: number, dimension: number, settings: Settings): Int32Array {
  const clamp = (value: number): number => Math.max(1, Math.min(count, value));
  const min = clamp(settings.exact ?? settings.min ?? 1);
  const max = clamp(settings.exact ?? settings.max ?? count);
  if (count === 1 || max < 2) return new Int32Array(count);
  const minSize = Math.min(settings.minClusterSize, Math.max(1, roundHalfEven(0.1 * count)));

  const dendrogram = centroidLinkage(points, count, dimension);
  let labels = cutAtDistance(dendrogram, settings.threshold);
  const largeCount = countLarge(labels, minSize);
  const target = min === max ? min : largeCount < min ? min : largeCount > max ? max : undefined;
  if (target !== undefined && largeCount !== target) {
    const merges = mergesForLargeCount(dendrogram, minSize, target);
    // No cut has that many large clusters: cut at exactly that many clusters, small ones included.
    if (merges === undefined) return cutAfterMerges(dendrogram, count - target);
    labels = cutAfterMerges(dendrogram, merges);
  }
  return foldSmallClusters(points, dimension, labels, minSize);
}

function countLarge(labels: Int32Array, minSize: number): number {
  const sizes = new Int32Array(countClusters(labels));
  for (const label of labels) sizes[label] = sizes[label]! + 1;
  return sizes.filter((size) => size >= minSize).length;
}

function evenlySpaced(total: number, wanted: number): number[] {
  return Array.from({ length: wanted }, (_, index) => Math.floor((index * total) / wanted));
}

function toUnit(vector: Float64Array): Float64Array {
  const length = norm(vector);
  return length > 0 ? vector.map((value) => value / length) : vector;
}

/**
 * Every embedding to the cluster whose subset centroid is most cosine-similar. Dividing by the embedding's
 * own length would not change which centroid wins, so only the centroids are normalised.
 */
function assignToNearest(
  embeddings: readonly Float32Array[],
  dimension: number,
  subsetPoints: Float64Array,
  subsetLabels: Int32Array,
): Int32Array {
  const directions = clusterSums(subsetPoints, dimension, subsetLabels, countClusters(subsetLabels)).map(toUnit);
  const labels = new Int32Array(embeddings.length);
  embeddings.forEach((embedding, row) => {
    let best = 0;
    let bestDot = -Infinity;
    directions.forEach((direction, cluster) => {
      let dot = 0;
      for (let k = 0; k < dimension; k += 1) dot += embedding[k]! * direction[k]!;
      if (dot > bestDot) {
        bestDot = dot;
        best = cluster;
      }
    });
    labels[row] = best;
  });
  return labels;
}

function unitCentroids(embeddings: readonly Float32Array[], dimension: number, labels: Int32Array, count: number): Float32Array[] {
  const sums = Array.from({ length: count }, () => new Float64Array(dimension));
  embeddings.forEach((embedding, row) => {
    const length = norm(embedding);
    if (length === 0) return;
    const sum = sums[labels[row]!]!;
    for (let k = 0; k < dimension; k += 1) sum[k] = sum[k]! + embedding[k]! / length;
  });
  return sums.map((sum) => Float32Array.from(toUnit(sum)));
}

/**
 * Clusters speaker embeddings into speakers. Throws RangeError on non-finite values, mismatched dimensions
 * or invalid options. Memory is bounded by maxAgglomerative (4·m² bytes for the distance matrix) plus O(n·k).
 */
export function clusterEmbeddings(embeddings: readonly Float32Array[], options: ClusteringOptions = {}): ClusteringResult {
  const settings = settingsFrom(options);
  const dimension = checkEmbeddings(embeddings);
  if (embeddings.length === 0) return { labels: new Int32Array(0), centroids: [], count: 0 };

  let labels: Int32Array;
  if (embeddings.length > settings.maxAgglomerative) {
    const subset = evenlySpaced(embeddings.length, settings.maxAgglomerative).map((row) => embeddings[row]!);
    const points = normalisedRows(subset, dimension);
    labels = assignToNearest(embeddings, dimension, points, clusterPoints(points, subset.length, dimension, settings));
  } else {
    labels = clusterPoints(normalisedRows(embeddings, dimension), embeddings.length, dimension, settings);
  }
  const renumbered = renumberByFirstAppearance(labels);
  return {
    labels: renumbered.labels,
    centroids: unitCentroids(embeddings, dimension, renumbered.labels, renumbered.count),
    count: renumbered.count,
  };
}
