/**
 * Average-linkage (UPGMA) agglomerative clustering on cosine distance, by the nearest-neighbour chain
 * algorithm: O(n²) time and one condensed distance matrix (4·n²/2 bytes) of memory. Average linkage is
 * reducible, so the chain finds exactly the merges of the naive algorithm; sorted by distance they form a
 * monotone dendrogram that can be cut at a distance or at a number of clusters.
 */

export interface Merge {
  /** The two clusters joined, as indices of their first leaf (stable names while merging). */
  a: number;
  b: number;
  /** Average cosine distance (1 − similarity) between the members of the two clusters. */
  distance: number;
}

export interface AverageLinkage {
  leaves: number;
  /** n − 1 merges in increasing distance (fewer when n < 2). */
  merges: Merge[];
}

function condensedIndex(n: number, i: number, j: number): number {
  const [low, high] = i < j ? [i, j] : [j, i];
  return (low * (2 * n - low - 1)) / 2 + (high - low - 1);
}

/** `points` holds n unit vectors of `dimension` values, row-major. */
export function averageLinkage(points: Float64Array, n: number, dimension: number): AverageLinkage {
  if (n < 2) return { leaves: n, merges: [] };
  const distances = new Float32Array((n * (n - 1)) / 2);
  for (let i = 0; i < n; i += 1) {
    for (let j = i + 1; j < n; j += 1) {
      let dot = 0;
      for (let k = 0; k < dimension; k += 1) dot += points[i * dimension + k]! * points[j * dimension + k]!;
      distances[condensedIndex(n, i, j)] = 1 - dot;
    }
  }
  const size = new Int32Array(n).fill(1);
  const active = new Uint8Array(n).fill(1);
  const merges: Merge[] = [];
  const chain: number[] = [];
  let remaining = n;
  while (remaining > 1) {
    if (chain.length === 0) chain.push(active.indexOf(1));
    const a = chain[chain.length - 1]!;
    const previous = chain.length >= 2 ? chain[chain.length - 2]! : -1;
    let nearest = previous;
    let best = previous >= 0 ? distances[condensedIndex(n, a, previous)]! : Infinity;
    for (let k = 0; k < n; k += 1) {
      if (k === a || active[k] === 0) continue;
      const d = distances[condensedIndex(n, a, k)]!;
      if (d < best) {
        best = d;
        nearest = k;
      }
    }
    if (nearest !== previous) {
      chain.push(nearest);
      continue;
    }
    chain.pop();
    chain.pop();
    // Lance–Williams update for average linkage; the merged cluster keeps slot `keep`.
    const keep = Math.min(a, nearest);
    const gone = Math.max(a, nearest);
    const sizeA = size[keep]!;
    const sizeB = size[gone]!;
    for (let k = 0; k < n; k += 1) {
      if (active[k] === 0 || k === keep || k === gone) continue;
      const merged = (sizeA * distances[condensedIndex(n, keep, k)]! + sizeB * distances[condensedIndex(n, gone, k)]!) / (sizeA + sizeB);
      distances[condensedIndex(n, keep, k)] = merged;
    }
    size[keep] = sizeA + sizeB;
    active[gone] = 0;
    remaining -= 1;
    merges.push({ a: keep, b: gone, distance: best });
  }
  merges.sort((x, y) => x.distance - y.distance);
  return { leaves: n, merges };
}

function find(parent: Int32Array, i: number): number {
  let root = i;
  while (parent[root] !== root) root = parent[root]!;
  while (parent[i] !== root) {
    const next = parent[i]!;
    parent[i] = root;
    i = next;
  }
  return root;
}

/** Labels 0..k−1 (by first appearance) after applying the first `count` merges. */
export function labelsAfterMerges(tree: AverageLinkage, count: number): Int32Array {
  const parent = Int32Array.from({ length: tree.leaves }, (_, i) => i);
  // Merges name clusters by a slot the chain kept; replaying in distance order with union-find is exact
  // because each merge joins the two clusters that held those slots at the time.
  for (const merge of tree.merges.slice(0, Math.max(0, Math.min(count, tree.merges.length)))) {
    const rootA = find(parent, merge.a);
    const rootB = find(parent, merge.b);
    if (rootA !== rootB) parent[rootB] = rootA;
  }
  const names = new Map<number, number>();
  return Int32Array.from({ length: tree.leaves }, (_, i) => {
    const root = find(parent, i);
    let name = names.get(root);
    if (name === undefined) {
      name = names.size;
      names.set(root, name);
    }
    return name;
  });
}

/** Labels when every merge closer than `maxDistance` is applied. */
export function cutAverageLinkage(tree: AverageLinkage, maxDistance: number): Int32Array {
  let count = 0;
  while (count < tree.merges.length && tree.merges[count]!.distance <= maxDistance) count += 1;
  return labelsAfterMerges(tree, count);
}
