/** Seeded synthetic speaker embeddings: Gaussian clouds around unit centres, with known labels. */

import { seededRandom } from '../export/fixtures';

export type Random = () => number;
export { seededRandom };

export function gaussian(random: Random): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

export function unit(values: ArrayLike<number>): Float64Array {
  const length = Math.hypot(...Array.from(values));
  return Float64Array.from(values, (value) => value / length);
}

export function randomUnit(random: Random, dimension: number): Float64Array {
  return unit(Array.from({ length: dimension }, () => gaussian(random)));
}

/**
 * `centre` plus isotropic noise whose expected norm is about `spread` (so, after normalising, the sample sits
 * roughly `spread` away from the centre on the sphere when spread is small).
 */
export function noisyAround(random: Random, centre: Float64Array, spread: number): Float32Array {
  const scale = spread / Math.sqrt(centre.length);
  return Float32Array.from(centre, (value) => value + scale * gaussian(random));
}

export interface SyntheticSet {
  embeddings: Float32Array[];
  labels: number[];
  centres: Float64Array[];
}

/** `counts[k]` samples of speaker k, shuffled (seeded) so speakers interleave like turns in a meeting. */
export function speakerClouds(seed: number, dimension: number, counts: readonly number[], spread: number): SyntheticSet {
  const random = seededRandom(seed);
  const centres = counts.map(() => randomUnit(random, dimension));
  const labels = counts.flatMap((count, speaker) => Array.from({ length: count }, () => speaker));
  for (let i = labels.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [labels[i], labels[j]] = [labels[j]!, labels[i]!];
  }
  const embeddings = labels.map((speaker) => noisyAround(random, centres[speaker]!, spread));
  return { embeddings, labels, centres };
}

/** Relabels by order of first appearance, so two labelings of the same partition compare equal. */
export function canonical(labels: ArrayLike<number>): number[] {
  const mapping = new Map<number, number>();
  return Array.from(labels, (label) => {
    if (!mapping.has(label)) mapping.set(label, mapping.size);
    return mapping.get(label)!;
  });
}

/** Whether every cluster of `fine` lies inside one cluster of `coarse`. */
export function refines(fine: ArrayLike<number>, coarse: ArrayLike<number>): boolean {
  const container = new Map<number, number>();
  return Array.from(fine).every((label, index) => {
    const outer = coarse[index]!;
    if (!container.has(label)) container.set(label, outer);
    return container.get(label) === outer;
  });
}

export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let k = 0; k < a.length; k += 1) {
    dot += a[k]! * b[k]!;
    normA += a[k]! * a[k]!;
    normB += b[k]! * b[k]!;
  }
  return dot / Math.sqrt(normA * normB);
}
