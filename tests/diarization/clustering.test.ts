import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { centroidLinkage, cutAtDistance, type Dendrogram } from '../../src-main/diarization/centroid-linkage';
import { DEFAULT_CLUSTERING_THRESHOLD, clusterEmbeddings } from '../../src-main/diarization/clustering';
import { makeTempDir } from '../audio/helpers';
import { REPO_ROOT } from '../support/paths';
import {
  canonical,
  cosineSimilarity,
  noisyAround,
  randomUnit,
  refines,
  seededRandom,
  speakerClouds,
  unit,
} from './synthetic-embeddings';

const REFERENCE_SCRIPT = path.join(REPO_ROOT, 'tools/models/clustering_reference.py');

interface Reference {
  linkage: [number, number, number, number][];
  labels: number[][];
}

function scipyReference(embeddings: readonly Float32Array[], file: string, thresholds: readonly number[]): Reference {
  const flat = new Float32Array(embeddings.length * embeddings[0]!.length);
  embeddings.forEach((embedding, row) => flat.set(embedding, row * embedding.length));
  writeFileSync(file, Buffer.from(flat.buffer));
  const python = process.env.VERBATIM_PYTHON ?? 'python3';
  const args = [REFERENCE_SCRIPT, file, '--dim', String(embeddings[0]!.length), '--thresholds', thresholds.join(',')];
  return JSON.parse(execFileSync(python, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })) as Reference;
}

function linkageOf(embeddings: readonly Float32Array[]): Dendrogram {
  const dimension = embeddings[0]!.length;
  const points = new Float64Array(embeddings.length * dimension);
  embeddings.forEach((embedding, row) => points.set(unit(embedding), row * dimension));
  return centroidLinkage(points, embeddings.length, dimension);
}

function arc(angle: number): Float32Array {
  return Float32Array.of(Math.cos(angle), Math.sin(angle));
}

function distance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return Math.hypot(...Array.from(a, (value, k) => value - b[k]!));
}

function mean(vectors: readonly ArrayLike<number>[]): number[] {
  return Array.from(vectors[0]!, (_, k) => vectors.reduce((sum, vector) => sum + vector[k]!, 0) / vectors.length);
}

describe('centroid linkage against scipy', () => {
  let temp: { dir: string; cleanup: () => Promise<void> };
  beforeAll(async () => {
    temp = await makeTempDir('clustering');
  });
  afterAll(async () => {
    await temp.cleanup();
  });

  const cases = [
    { name: 'overlapping clouds with inversions (dim 16)', seed: 11, dimension: 16, counts: [90, 70, 50, 40, 25, 5], spread: 0.9 },
    { name: 'speaker-like clouds (dim 256)', seed: 12, dimension: 256, counts: [120, 80, 60, 30, 8], spread: 0.55 },
  ];
  for (const { name, seed, dimension, counts, spread } of cases) {
    it(`matches linkage(method='centroid') and fcluster on ${name}`, () => {
      const { embeddings } = speakerClouds(seed, dimension, counts, spread);
      const thresholds = [0.25, 0.5, DEFAULT_CLUSTERING_THRESHOLD, 0.9, 1.2];
      const reference = scipyReference(embeddings, path.join(temp.dir, `${seed}.f32`), thresholds);
      const dendrogram = linkageOf(embeddings);

      expect(reference.linkage.length).toBe(embeddings.length - 1);
      reference.linkage.forEach(([left, right, merged, size], row) => {
        expect([dendrogram.left[row], dendrogram.right[row], dendrogram.size[row]]).toEqual([left, right, size]);
        expect(Math.abs(dendrogram.distance[row]! - merged)).toBeLessThan(1e-9);
      });
      thresholds.forEach((threshold, index) => {
        expect(Array.from(cutAtDistance(dendrogram, threshold))).toEqual(canonical(reference.labels[index]!));
      });
      const atDefault = clusterEmbeddings(embeddings, { minClusterSize: 1 });
      expect(Array.from(atDefault.labels)).toEqual(canonical(reference.labels[2]!));
    });
  }

  it('the first fixture really exercises inversions (a merge closer than the one before it)', () => {
    const { embeddings } = speakerClouds(11, 16, [90, 70, 50, 40, 25, 5], 0.9);
    const reference = scipyReference(embeddings, path.join(temp.dir, 'inversions.f32'), []);
    const inversions = reference.linkage.filter((row, index) => index > 0 && row[2] < reference.linkage[index - 1]![2]);
    expect(inversions.length).toBeGreaterThan(0);
  });
});

describe('centroid linkage by hand', () => {
  it('merges the closest pair, then measures from the size-weighted centroid', () => {
    const points = [arc(0), arc(0.1), arc(0.25), arc(2)];
    const dendrogram = linkageOf(points);
    const firstPair = mean([points[0]!, points[1]!]);
    const firstThree = mean([points[0]!, points[1]!, points[2]!]);
    expect(Array.from(dendrogram.left)).toEqual([0, 2, 3]);
    expect(Array.from(dendrogram.right)).toEqual([1, 4, 5]);
    expect(Array.from(dendrogram.size)).toEqual([2, 3, 4]);
    // float32 inputs: the hand values hold to about 1e-8.
    expect(dendrogram.distance[0]).toBeCloseTo(2 * Math.sin(0.05), 7);
    expect(dendrogram.distance[1]).toBeCloseTo(distance(firstPair, points[2]!), 7);
    expect(dendrogram.distance[2]).toBeCloseTo(distance(firstThree, points[3]!), 7);
    expect(Array.from(clusterEmbeddings(points).labels)).toEqual([0, 0, 0, 1]);
  });

  it('cuts below an inverted merge like fcluster: the whole subtree must be within the threshold', () => {
    // Three nearly equidistant directions: the first merge is at ≈ d, the centroid then sits ≈ 0.87·d from the third.
    const tilt = 0.3;
    const points = [0, 2.1, 4.2].map((azimuth) =>
      Float32Array.of(Math.sin(tilt) * Math.cos(azimuth), Math.sin(tilt) * Math.sin(azimuth), Math.cos(tilt)),
    );
    const dendrogram = linkageOf(points);
    const [first, second] = [dendrogram.distance[0]!, dendrogram.distance[1]!];
    expect(second).toBeLessThan(first);
    const between = (first + second) / 2;
    expect(Array.from(cutAtDistance(dendrogram, between))).toEqual([0, 1, 2]);
    expect(new Set(cutAtDistance(dendrogram, first)).size).toBe(1);
    expect(clusterEmbeddings(points, { threshold: between }).count).toBe(3);
  });
});

describe('clusterEmbeddings', () => {
  const five = speakerClouds(21, 256, [70, 60, 50, 40, 30], 0.5);

  it('recovers well-separated speakers with the default threshold, labelled by first appearance', () => {
    const result = clusterEmbeddings(five.embeddings);
    expect(result.count).toBe(5);
    expect(Array.from(result.labels)).toEqual(canonical(five.labels));
    expect(result.centroids).toHaveLength(5);
    result.centroids.forEach((centroid, label) => {
      expect(Math.hypot(...centroid)).toBeCloseTo(1, 5);
      const speaker = five.labels[result.labels.indexOf(label)]!;
      expect(cosineSimilarity(centroid, five.centres[speaker]!)).toBeGreaterThan(0.97);
    });
  });

  it('exact cuts the dendrogram at that many clusters, whatever the threshold', () => {
    const truth = canonical(five.labels);
    const three = clusterEmbeddings(five.embeddings, { exact: 3 });
    expect(three.count).toBe(3);
    expect(refines(truth, three.labels)).toBe(true);
    const fromCoarse = clusterEmbeddings(five.embeddings, { exact: 5, threshold: 1.9 });
    expect(Array.from(fromCoarse.labels)).toEqual(truth);
    const fromFine = clusterEmbeddings(five.embeddings, { exact: 5, threshold: 0.05 });
    expect(Array.from(fromFine.labels)).toEqual(truth);
    const seven = clusterEmbeddings(five.embeddings, { exact: 7 });
    expect(seven.count).toBe(7);
    expect(refines(seven.labels, truth)).toBe(true);
    expect(clusterEmbeddings(five.embeddings, { exact: 1 }).count).toBe(1);
  });

  it('min and max move the cut only when the threshold’s count falls outside them', () => {
    const free = clusterEmbeddings(five.embeddings);
    expect(Array.from(clusterEmbeddings(five.embeddings, { min: 2, max: 8 }).labels)).toEqual(Array.from(free.labels));
    expect(clusterEmbeddings(five.embeddings, { min: 6 }).count).toBe(6);
    expect(clusterEmbeddings(five.embeddings, { max: 2 }).count).toBe(2);
    expect(clusterEmbeddings(five.embeddings, { min: 4, max: 4 }).count).toBe(4);
  });

  it('never asks for more clusters than embeddings', () => {
    const few = speakerClouds(22, 8, [2, 1], 0.1).embeddings;
    expect(clusterEmbeddings(few, { exact: 10 }).count).toBe(3);
    expect(clusterEmbeddings(few, { min: 10 }).count).toBe(3);
  });

  it('folds clusters under minClusterSize into the most similar large cluster', () => {
    const random = seededRandom(31);
    const base = speakerClouds(32, 64, [40, 40, 40], 0.4);
    // Each stray is far from every speaker (its own cluster at the default threshold) yet nearest to one.
    const strays = [0, 1, 2, 1].map((speaker) => ({ speaker, embedding: noisyAround(random, base.centres[speaker]!, 2.2) }));
    for (const stray of strays) {
      const similarities = base.centres.map((centre) => cosineSimilarity(stray.embedding, centre));
      expect(similarities.indexOf(Math.max(...similarities))).toBe(stray.speaker);
      expect(Math.max(...similarities)).toBeLessThan(1 - DEFAULT_CLUSTERING_THRESHOLD ** 2 / 2);
    }
    const embeddings = [...base.embeddings, ...strays.map((stray) => stray.embedding)];
    const truth = canonical([...base.labels, ...strays.map((stray) => stray.speaker)]);

    const folded = clusterEmbeddings(embeddings);
    expect(folded.count).toBe(3);
    expect(Array.from(folded.labels)).toEqual(truth);
    expect(clusterEmbeddings(embeddings, { minClusterSize: 1 }).count).toBe(7);
    // A pinned count counts large clusters only, so strays do not use up speakers.
    expect(Array.from(clusterEmbeddings(embeddings, { exact: 3, threshold: 0.3 }).labels)).toEqual(truth);
  });

  it('shrinks minClusterSize to round-half-even(10%) of short inputs', () => {
    const random = seededRandom(41);
    const base = speakerClouds(42, 32, [11, 11], 0.3);
    const pairCentre = randomUnit(random, 32);
    const pair = [noisyAround(random, pairCentre, 0.05), noisyAround(random, pairCentre, 0.05)];
    const single = noisyAround(random, randomUnit(random, 32), 0.05);
    // 25 embeddings → round(2.5) = 2: the pair stays a speaker, the single one is folded away.
    const result = clusterEmbeddings([...base.embeddings, ...pair, single]);
    expect(result.count).toBe(3);
    expect(result.labels[22]).toBe(result.labels[23]);
    expect(result.labels[22]).not.toBe(result.labels[0]);
    expect(result.labels[22]).not.toBe(result.labels.find((_, row) => base.labels[row] !== base.labels[0]));
    // 8 embeddings → round(0.8) = 1: nothing is folded.
    const short = speakerClouds(43, 32, [4, 3, 1], 0.2);
    expect(clusterEmbeddings(short.embeddings).count).toBe(3);
  });

  it('clusters an evenly spaced subset above maxAgglomerative and agrees with the full run', () => {
    const many = speakerClouds(51, 64, [1200, 900, 600, 300], 0.5);
    const full = clusterEmbeddings(many.embeddings, { maxAgglomerative: many.embeddings.length });
    const subset = clusterEmbeddings(many.embeddings, { maxAgglomerative: 400 });
    expect(full.count).toBe(4);
    expect(Array.from(subset.labels)).toEqual(Array.from(full.labels));
    expect(Array.from(full.labels)).toEqual(canonical(many.labels));
    const pinned = clusterEmbeddings(many.embeddings, { maxAgglomerative: 400, exact: 4 });
    expect(Array.from(pinned.labels)).toEqual(Array.from(full.labels));
  });

  it('handles empty, single and zero-vector inputs', () => {
    expect(clusterEmbeddings([])).toEqual({ labels: new Int32Array(0), centroids: [], count: 0 });
    const single = clusterEmbeddings([Float32Array.of(3, 4)]);
    expect(Array.from(single.labels)).toEqual([0]);
    expect(Array.from(single.centroids[0]!)).toEqual([Math.fround(0.6), Math.fround(0.8)]);
    const zero = new Float32Array(2);
    const withZeros = clusterEmbeddings([arc(0), zero, arc(0.05), zero]);
    expect(Array.from(withZeros.labels)).toEqual([0, 1, 0, 1]);
    expect(Array.from(withZeros.centroids[1]!)).toEqual([0, 0]);
  });

  it('rejects non-finite values, mixed dimensions and impossible options', () => {
    expect(() => clusterEmbeddings([arc(0), Float32Array.of(Number.NaN, 1)])).toThrow(RangeError);
    expect(() => clusterEmbeddings([Float32Array.of(Infinity, 1)])).toThrow(RangeError);
    expect(() => clusterEmbeddings([arc(0), Float32Array.of(1, 0, 0)])).toThrow(RangeError);
    expect(() => clusterEmbeddings([arc(0)], { min: 3, max: 2 })).toThrow(RangeError);
    expect(() => clusterEmbeddings([arc(0)], { exact: 0 })).toThrow(RangeError);
    expect(() => clusterEmbeddings([arc(0)], { threshold: Number.NaN })).toThrow(RangeError);
    expect(() => clusterEmbeddings([arc(0)], { maxAgglomerative: 1 })).toThrow(RangeError);
  });
});
