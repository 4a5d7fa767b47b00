/**
 * Average linkage cross-checked against scipy (tools/models/clustering_reference.py), and the clustering of
 * piece embeddings on seeded synthetic speakers: the calibrated cut, fixed and bounded counts, small speakers
 * folded, the bounded-memory subset, bad input as RangeError.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { averageLinkage, cutAverageLinkage } from '../../src-main/diarization/average-linkage';
import { clusterPieces } from '../../src-main/diarization/piece-clustering';
import { makeTempDir } from '../audio/helpers';
import { REPO_ROOT } from '../support/paths';
import { canonical, speakerClouds, unit } from './synthetic-embeddings';

interface Reference {
  linkage: [number, number, number, number][];
  labels: number[][];
}

function scipyReference(embeddings: readonly Float32Array[], file: string, thresholds: readonly number[]): Reference {
  const flat = new Float32Array(embeddings.length * embeddings[0]!.length);
  embeddings.forEach((embedding, row) => flat.set(embedding, row * embedding.length));
  writeFileSync(file, Buffer.from(flat.buffer));
  const python = process.env.VERBATIM_PYTHON ?? 'python3';
  const args = [
    path.join(REPO_ROOT, 'tools/models/clustering_reference.py'),
    file,
    '--dim',
    String(embeddings[0]!.length),
    '--thresholds',
    thresholds.join(','),
  ];
  return JSON.parse(execFileSync(python, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })) as Reference;
}

function points(embeddings: readonly Float32Array[]): Float64Array {
  const dimension = embeddings[0]!.length;
  const flat = new Float64Array(embeddings.length * dimension);
  embeddings.forEach((embedding, row) => flat.set(unit(embedding), row * dimension));
  return flat;
}

describe('average linkage against scipy', () => {
  let temp: { dir: string; cleanup: () => Promise<void> };
  beforeAll(async () => {
    temp = await makeTempDir('average-linkage');
  });
  afterAll(async () => {
    await temp.cleanup();
  });

  it('merges at scipy’s distances and cuts into scipy’s clusters', () => {
    // Overlapping clouds, so that merges happen at every scale (not just within and between speakers).
    const { embeddings } = speakerClouds(5, 192, [70, 50, 40, 20], 1.4);
    const thresholds = [0.3, 0.5, 0.7, 0.9];
    const reference = scipyReference(embeddings, path.join(temp.dir, 'e.f32'), thresholds);
    const tree = averageLinkage(points(embeddings), embeddings.length, 192);
    expect(tree.merges).toHaveLength(embeddings.length - 1);
    const ours = tree.merges.map((merge) => merge.distance);
    const theirs = reference.linkage.map((row) => row[2]).sort((a, b) => a - b);
    ours.forEach((distance, index) => expect(distance).toBeCloseTo(theirs[index]!, 5));
    thresholds.forEach((threshold, index) => {
      expect(canonical(Array.from(cutAverageLinkage(tree, threshold)))).toEqual(canonical(reference.labels[index]!));
    });
  });
});

describe('clusterPieces', () => {
  const weights = (n: number, seconds = 2): number[] => Array.from({ length: n }, () => seconds);

  it('finds the speakers at the calibrated threshold, however many there are', () => {
    for (const counts of [[40], [30, 20], [25, 20, 15, 10]]) {
      const { embeddings, labels } = speakerClouds(11, 192, counts, 0.8);
      const result = clusterPieces(embeddings, weights(embeddings.length), { threshold: 0.3 });
      expect(result.count).toBe(counts.length);
      expect(Array.from(result.labels)).toEqual(canonical(labels));
    }
  });

  it('honours an exact count and bounds, and folds speakers with too little speech', () => {
    const { embeddings, labels } = speakerClouds(12, 192, [30, 25, 2], 0.8);
    // The third voice speaks 2 × 1 s: under the 3 s a speaker needs, it joins the most similar one.
    const pieceSeconds = labels.map((label) => (label === 2 ? 1 : 2));
    expect(clusterPieces(embeddings, pieceSeconds, { threshold: 0.3 }).count).toBe(2);
    expect(clusterPieces(embeddings, pieceSeconds, { threshold: 0.3, minSpeakerSeconds: 1 }).count).toBe(3);
    expect(clusterPieces(embeddings, pieceSeconds, { threshold: 0.3, exact: 3 }).count).toBe(3);
    expect(clusterPieces(embeddings, pieceSeconds, { threshold: 0.3, exact: 1 }).count).toBe(1);
    expect(clusterPieces(embeddings, pieceSeconds, { threshold: 0.3, min: 3 }).count).toBe(3);
    expect(clusterPieces(embeddings, pieceSeconds, { threshold: 0.3, max: 1 }).count).toBe(1);
  });

  it('leaves pieces of under half a second out of the clustering: a dozen short noises make no speaker, yet get one', () => {
    const { embeddings, labels } = speakerClouds(15, 192, [20, 20, 12], 0.8);
    // The third "voice" is 12 pieces of 0.4 s (4.8 s in all, enough for a speaker were they clustered).
    const pieceSeconds = labels.map((label) => (label === 2 ? 0.4 : 2));
    const withShort = clusterPieces(embeddings, pieceSeconds, { threshold: 0.3, minClusteredSeconds: 0 });
    expect(withShort.count).toBe(3);
    const result = clusterPieces(embeddings, pieceSeconds, { threshold: 0.3 });
    expect(result.count).toBe(2);
    expect(result.labels.length).toBe(embeddings.length);
    // The long pieces keep their own speakers.
    const long = labels.flatMap((label, index) => (label === 2 ? [] : [index]));
    expect(canonical(long.map((index) => result.labels[index]!))).toEqual(canonical(long.map((index) => labels[index]!)));
  });

  it('clusters a spread-out subset above maxAgglomerative and gives every piece a speaker', () => {
    const { embeddings, labels } = speakerClouds(13, 64, [600, 400], 0.8);
    const result = clusterPieces(embeddings, weights(embeddings.length), { threshold: 0.3, maxAgglomerative: 200 });
    expect(result.count).toBe(2);
    expect(Array.from(result.labels)).toEqual(canonical(labels));
  });

  it('refuses what it cannot cluster', () => {
    const { embeddings } = speakerClouds(14, 8, [3], 0.5);
    expect(() => clusterPieces([...embeddings, new Float32Array(8).fill(Number.NaN)], weights(4), { threshold: 0.3 })).toThrow(RangeError);
    expect(() => clusterPieces([...embeddings, new Float32Array(7)], weights(4), { threshold: 0.3 })).toThrow(RangeError);
    expect(() => clusterPieces(embeddings, weights(2), { threshold: 0.3 })).toThrow(RangeError);
    expect(() => clusterPieces(embeddings, weights(3), { threshold: 0.3, min: 3, max: 2 })).toThrow(RangeError);
    expect(() => clusterPieces(embeddings, weights(3), { threshold: 2 })).toThrow(RangeError);
    expect(clusterPieces([], [], { threshold: 0.3 })).toEqual({ labels: new Int32Array(0), count: 0 });
  });
});
