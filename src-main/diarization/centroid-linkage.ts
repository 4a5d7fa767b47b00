/**
 * Agglomerative clustering with centroid linkage, as scipy.cluster.hierarchy.linkage(method='centroid',
 * metric='euclidean') computes it, plus the flat cuts pyannote takes from the dendrogram (fcluster).
 */

/**
 * One row per merge, in merge order, with scipy's numbering: ids below `leaves` are points, id leaves + t is
 * the cluster row t formed. `left[t] < right[t]`. Centroid linkage is not monotone, so a later row may have
 * a smaller distance than an earlier one (an inversion).
 */
export interface Dendrogram {
  readonly leaves: number;
  readonly left: Int32Array;
  readonly right: Int32Array;
  /** Euclidean distance between the two merged clusters' centroids. */
  readonly distance: Float64Array;
  /** Points in the merged cluster. */
  readonly size: Int32Array;
}

/** Start of row i of a condensed (upper triangle, no diagonal) n×n matrix, minus i + 1, so (i, j>i) is start+j. */
function condensedRowStarts(count: number): Float64Array {
  const starts = new Float64Array(count);
  for (let i = 0; i < count; i += 1) starts[i] = i * count - (i * (i + 1)) / 2 - i - 1;
  return starts;
}

function squaredDistance(points: Float64Array, dimension: number, a: number, b: number): number {
  const rowA = a * dimension;
  const rowB = b * dimension;
  let sum = 0;
  for (let k = 0; k < dimension; k += 1) {
    const difference = points[rowA + k]! - points[rowB + k]!;
    sum += difference * difference;
  }
  return sum;
}

/**
 * All pairwise squared Euclidean distances into a condensed matrix. Two rows against four at a time: eight
 * independent sums from six loads per coordinate, about 1.5× faster than row-by-row in V8. Differences are
 * squared directly (not via dot products) so close pairs keep full precision, as in scipy's pdist.
 */
function pairwiseSquared(points: Float64Array, count: number, dimension: number, starts: Float64Array): Float64Array {
  const squared = new Float64Array((count * (count - 1)) / 2);
  for (let a = 0; a + 1 < count; a += 2) {
    const rowA = a * dimension;
    const rowA1 = rowA + dimension;
    const startA = starts[a]!;
    const startA1 = starts[a + 1]!;
    squared[startA + a + 1] = squaredDistance(points, dimension, a, a + 1);
    let b = a + 2;
    for (; b + 3 < count; b += 4) {
      const row0 = b * dimension;
      const row1 = row0 + dimension;
      const row2 = row1 + dimension;
      const row3 = row2 + dimension;
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      let c0 = 0;
      let c1 = 0;
      let c2 = 0;
      let c3 = 0;
      for (let k = 0; k < dimension; k += 1) {
        const x = points[rowA + k]!;
        const y = points[rowA1 + k]!;
        const p0 = points[row0 + k]!;
        const p1 = points[row1 + k]!;
        const p2 = points[row2 + k]!;
        const p3 = points[row3 + k]!;
        a0 += (x - p0) * (x - p0);
        a1 += (x - p1) * (x - p1);
        a2 += (x - p2) * (x - p2);
        a3 += (x - p3) * (x - p3);
        c0 += (y - p0) * (y - p0);
        c1 += (y - p1) * (y - p1);
        c2 += (y - p2) * (y - p2);
        c3 += (y - p3) * (y - p3);
      }
      squared[startA + b] = a0;
      squared[startA + b + 1] = a1;
      squared[startA + b + 2] = a2;
      squared[startA + b + 3] = a3;
      squared[startA1 + b] = c0;
      squared[startA1 + b + 1] = c1;
      squared[startA1 + b + 2] = c2;
      squared[startA1 + b + 3] = c3;
    }
    for (; b < count; b += 1) {
      squared[startA + b] = squaredDistance(points, dimension, a, b);
      squared[startA1 + b] = squaredDistance(points, dimension, a + 1, b);
    }
  }
  return squared;
}

/** Binary min-heap of slots keyed by an external array, with updates and removals by slot. */
class SlotHeap {
  private readonly heap: Int32Array;
  private readonly position: Int32Array;
  private length: number;

  constructor(private readonly keys: Float64Array) {
    this.length = keys.length;
    this.heap = Int32Array.from({ length: keys.length }, (_, slot) => slot);
    this.position = Int32Array.from({ length: keys.length }, (_, slot) => slot);
    for (let at = (this.length >> 1) - 1; at >= 0; at -= 1) this.down(at);
  }

  top(): number {
    return this.heap[0]!;
  }

  /** Restores order after keys[slot] changed either way. */
  update(slot: number): void {
    this.down(this.up(this.position[slot]!));
  }

  remove(slot: number): void {
    const at = this.position[slot]!;
    this.length -= 1;
    if (at === this.length) return;
    this.place(this.heap[this.length]!, at);
    this.down(this.up(at));
  }

  private less(a: number, b: number): boolean {
    const keyA = this.keys[a]!;
    const keyB = this.keys[b]!;
    return keyA < keyB || (keyA === keyB && a < b);
  }

  private place(slot: number, at: number): void {
    this.heap[at] = slot;
    this.position[slot] = at;
  }

  private up(start: number): number {
    let at = start;
    const slot = this.heap[at]!;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (!this.less(slot, this.heap[parent]!)) break;
      this.place(this.heap[parent]!, at);
      at = parent;
    }
    this.place(slot, at);
    return at;
  }

  private down(start: number): void {
    let at = start;
    const slot = this.heap[at]!;
    for (;;) {
      let child = 2 * at + 1;
      if (child >= this.length) break;
      if (child + 1 < this.length && this.less(this.heap[child + 1]!, this.heap[child]!)) child += 1;
      if (!this.less(this.heap[child]!, slot)) break;
      this.place(this.heap[child]!, at);
      at = child;
    }
    this.place(slot, at);
  }
}

/**
 * Müllner's generic AHC algorithm ("Modern hierarchical, agglomerative clustering algorithms", 2011), which
 * scipy's linkage runs for centroid linkage: it always merges the globally closest pair, like the textbook
 * algorithm, but keeps per cluster only a lower bound on the distance to its nearest higher-numbered
 * neighbour and repairs a bound only when it reaches the top of a heap. Nearest-neighbour chains would be
 * wrong here: centroid linkage violates the reducibility they rely on.
 *
 * Memory: one condensed matrix of n(n−1)/2 float64 squared distances (16 MB at n = 2000) plus O(n).
 * `points` is row-major count × dimension.
 */
export function centroidLinkage(points: Float64Array, count: number, dimension: number): Dendrogram {
  if (points.length !== count * dimension) throw new RangeError(`expected ${count}×${dimension} values, got ${points.length}`);
  const merges = Math.max(0, count - 1);
  const dendrogram: Dendrogram = {
    leaves: count,
    left: new Int32Array(merges),
    right: new Int32Array(merges),
    distance: new Float64Array(merges),
    size: new Int32Array(merges),
  };
  if (count < 2) return dendrogram;

  const starts = condensedRowStarts(count);
  const squared = pairwiseSquared(points, count, dimension, starts);

  // Slots hold live clusters; a merged cluster takes the higher of its two slots. Slot count − 1 never
  // needs a neighbour (none is higher), so it stays at +Infinity in the heap.
  const active = new Uint8Array(count).fill(1);
  const clusterId = Int32Array.from({ length: count }, (_, slot) => slot);
  const sizes = new Int32Array(count).fill(1);
  const neighbour = new Int32Array(count).fill(-1);
  const lowerBound = new Float64Array(count).fill(Infinity);

  const findNeighbour = (slot: number): void => {
    let best = -1;
    let bestSquared = Infinity;
    const start = starts[slot]!;
    for (let other = slot + 1; other < count; other += 1) {
      if (active[other] === 0) continue;
      const value = squared[start + other]!;
      if (value < bestSquared) {
        bestSquared = value;
        best = other;
      }
    }
    neighbour[slot] = best;
    lowerBound[slot] = bestSquared;
  };
  for (let slot = 0; slot < count - 1; slot += 1) findNeighbour(slot);
  const heap = new SlotHeap(lowerBound);

  for (let step = 0; step < merges; step += 1) {
    let low = heap.top();
    while (squared[starts[low]! + neighbour[low]!] !== lowerBound[low]) {
      findNeighbour(low);
      heap.update(low);
      low = heap.top();
    }
    const high = neighbour[low]!;
    const pairSquared = lowerBound[low]!;
    const lowSize = sizes[low]!;
    const highSize = sizes[high]!;
    const mergedSize = lowSize + highSize;

    dendrogram.left[step] = Math.min(clusterId[low]!, clusterId[high]!);
    dendrogram.right[step] = Math.max(clusterId[low]!, clusterId[high]!);
    dendrogram.distance[step] = Math.sqrt(pairSquared);
    dendrogram.size[step] = mergedSize;

    active[low] = 0;
    heap.remove(low);
    clusterId[high] = count + step;
    sizes[high] = mergedSize;

    // Lance–Williams for centroid linkage is exact on squared Euclidean distances between centroids.
    const lowWeight = lowSize / mergedSize;
    const highWeight = highSize / mergedSize;
    const pairTerm = lowWeight * highWeight * pairSquared;
    const lowered = (other: number, toHigh: number): void => {
      // A pointer at the retired slot now means the merged cluster; its stale bound is repaired on demand.
      if (neighbour[other] === low) neighbour[other] = high;
      if (squared[toHigh]! < lowerBound[other]!) {
        neighbour[other] = high;
        lowerBound[other] = squared[toHigh]!;
        heap.update(other);
      }
    };
    // Three ranges, so each knows which index of a condensed pair comes first.
    for (let other = 0; other < low; other += 1) {
      if (active[other] === 0) continue;
      const toHigh = starts[other]! + high;
      const updated = highWeight * squared[toHigh]! + lowWeight * squared[starts[other]! + low]! - pairTerm;
      squared[toHigh] = updated > 0 ? updated : 0;
      lowered(other, toHigh);
    }
    const lowStart = starts[low]!;
    for (let other = low + 1; other < high; other += 1) {
      if (active[other] === 0) continue;
      const toHigh = starts[other]! + high;
      const updated = highWeight * squared[toHigh]! + lowWeight * squared[lowStart + other]! - pairTerm;
      squared[toHigh] = updated > 0 ? updated : 0;
      lowered(other, toHigh);
    }
    const highStart = starts[high]!;
    for (let other = high + 1; other < count; other += 1) {
      if (active[other] === 0) continue;
      const updated = highWeight * squared[highStart + other]! + lowWeight * squared[lowStart + other]! - pairTerm;
      squared[highStart + other] = updated > 0 ? updated : 0;
    }
    if (high < count - 1) {
      findNeighbour(high);
      heap.update(high);
    }
  }
  return dendrogram;
}

/** Leaf labels when exactly the rows flagged in `applied` are merged (children of an applied row must be applied). */
function labelsFromAppliedRows(dendrogram: Dendrogram, applied: (row: number) => boolean): Int32Array {
  const { leaves } = dendrogram;
  const parent = new Int32Array(Math.max(0, 2 * leaves - 1)).fill(-1);
  for (let row = 0; row < dendrogram.left.length; row += 1) {
    if (!applied(row)) continue;
    parent[dendrogram.left[row]!] = leaves + row;
    parent[dendrogram.right[row]!] = leaves + row;
  }
  const rootLabel = new Map<number, number>();
  const labels = new Int32Array(leaves);
  for (let leaf = 0; leaf < leaves; leaf += 1) {
    let node = leaf;
    while (parent[node]! >= 0) node = parent[node]!;
    let label = rootLabel.get(node);
    if (label === undefined) {
      label = rootLabel.size;
      rootLabel.set(node, label);
    }
    labels[leaf] = label;
  }
  return labels;
}

/**
 * scipy fcluster(criterion='distance'): a cluster may not contain a merge above `threshold` anywhere in its
 * subtree (with inversions, a low merge on top of a high one is cut too). Labels in order of first appearance.
 */
export function cutAtDistance(dendrogram: Dendrogram, threshold: number): Int32Array {
  const { leaves } = dendrogram;
  const subtreeMax = new Float64Array(dendrogram.left.length);
  const nodeMax = (node: number): number => (node < leaves ? -Infinity : subtreeMax[node - leaves]!);
  for (let row = 0; row < subtreeMax.length; row += 1) {
    subtreeMax[row] = Math.max(dendrogram.distance[row]!, nodeMax(dendrogram.left[row]!), nodeMax(dendrogram.right[row]!));
  }
  return labelsFromAppliedRows(dendrogram, (row) => subtreeMax[row]! <= threshold);
}

/** The partition after the first `merges` rows (leaves − merges clusters). Labels in order of first appearance. */
export function cutAfterMerges(dendrogram: Dendrogram, merges: number): Int32Array {
  return labelsFromAppliedRows(dendrogram, (row) => row < merges);
}

/** For each row t, how many clusters of at least `minSize` points exist once rows 0..t are merged. */
export function largeClusterCounts(dendrogram: Dendrogram, minSize: number): Int32Array {
  const { leaves } = dendrogram;
  const sizeOf = (node: number): number => (node < leaves ? 1 : dendrogram.size[node - leaves]!);
  const counts = new Int32Array(dendrogram.left.length);
  let large = minSize <= 1 ? leaves : 0;
  for (let row = 0; row < counts.length; row += 1) {
    if (sizeOf(dendrogram.left[row]!) >= minSize) large -= 1;
    if (sizeOf(dendrogram.right[row]!) >= minSize) large -= 1;
    if (dendrogram.size[row]! >= minSize) large += 1;
    counts[row] = large;
  }
  return counts;
}
