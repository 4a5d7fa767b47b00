import { describe, expect, it } from 'vitest';
import { clusterPieces } from '../../src-main/diarization/piece-clustering';
import { DEFAULT_ONLINE_SIMILARITY, OnlineSpeakerTracker } from '../../src-main/diarization/online-speakers';
import { canonical, cosineSimilarity, speakerClouds } from './synthetic-embeddings';

function arc(angle: number, radius = 1): Float32Array {
  return Float32Array.of(radius * Math.cos(angle), radius * Math.sin(angle));
}

describe('OnlineSpeakerTracker', () => {
  it('joins the most similar centroid at or above the threshold, else starts a speaker', () => {
    const tracker = new OnlineSpeakerTracker({ threshold: 0.9 });
    expect(tracker.assign(arc(0))).toEqual({ speaker: 0, similarity: -1, isNew: true });

    const second = tracker.assign(arc(0.3, 5));
    expect(second.speaker).toBe(0);
    expect(second.isNew).toBe(false);
    expect(second.similarity).toBeCloseTo(Math.cos(0.3), 6);
    // Normalised before averaging: the 5× longer vector counts no more than the first.
    const [centroid] = tracker.centroids();
    expect(centroid![0]).toBeCloseTo((1 + Math.cos(0.3)) / 2, 6);
    expect(centroid![1]).toBeCloseTo(Math.sin(0.3) / 2, 6);

    // The centroid points at 0.15 rad, so (0, 1) is cos(π/2 − 0.15) = sin(0.15) similar: a new speaker.
    const third = tracker.assign(arc(Math.PI / 2));
    expect(third).toEqual({ speaker: 1, similarity: expect.closeTo(Math.sin(0.15), 6) as number, isNew: true });
    expect(tracker.assign(arc(Math.PI / 2 + 0.1)).speaker).toBe(1);
    expect(tracker.assign(arc(0.1)).speaker).toBe(0);
    expect(tracker.centroids()).toHaveLength(2);
  });

  it('weights the running mean by seconds of speech', () => {
    const probe = arc(-0.38);
    const weighted = new OnlineSpeakerTracker({ threshold: 0.88 });
    weighted.assign(arc(0), 3);
    weighted.assign(arc(0.4), 1);
    const [mean] = weighted.centroids();
    expect(mean![0]).toBeCloseTo((3 + Math.cos(0.4)) / 4, 6);
    expect(mean![1]).toBeCloseTo(Math.sin(0.4) / 4, 6);
    const towardsHeavy = weighted.assign(probe);
    expect(towardsHeavy.isNew).toBe(false);
    expect(towardsHeavy.similarity).toBeCloseTo(cosineSimilarity(probe, mean!), 6);

    const equal = new OnlineSpeakerTracker({ threshold: 0.88 });
    equal.assign(arc(0), 1);
    equal.assign(arc(0.4), 1);
    expect(equal.assign(probe).isNew).toBe(true);
  });

  it('stops creating speakers at maxSpeakers and assigns to the nearest instead', () => {
    const tracker = new OnlineSpeakerTracker({ maxSpeakers: 2 });
    expect(tracker.assign(Float32Array.of(1, 0, 0)).isNew).toBe(true);
    expect(tracker.assign(Float32Array.of(0, 1, 0)).isNew).toBe(true);
    const third = tracker.assign(Float32Array.of(0.1, 0.3, 1));
    expect(third.speaker).toBe(1);
    expect(third.isNew).toBe(false);
    expect(third.similarity).toBeLessThan(DEFAULT_ONLINE_SIMILARITY);
    expect(tracker.centroids()).toHaveLength(2);
  });

  it('keeps one centroid per speaker however long it runs, and agrees with offline clustering on clear speakers', () => {
    const { embeddings, labels } = speakerClouds(61, 256, [400, 300, 200], 0.5);
    const tracker = new OnlineSpeakerTracker();
    const online = embeddings.map((embedding) => tracker.assign(embedding, 1.5).speaker);
    expect(tracker.centroids()).toHaveLength(3);
    expect(online).toEqual(canonical(labels));
    expect(online).toEqual(
      Array.from(
        clusterPieces(
          embeddings,
          embeddings.map(() => 1.5),
          { threshold: DEFAULT_ONLINE_SIMILARITY },
        ).labels,
      ),
    );
  });

  it('uses the offline speaker threshold of the default embedding model by default', () => {
    expect(DEFAULT_ONLINE_SIMILARITY).toBe(0.3);
    const tracker = new OnlineSpeakerTracker();
    tracker.assign(arc(0));
    const angle = Math.acos(DEFAULT_ONLINE_SIMILARITY);
    expect(tracker.assign(arc(angle - 0.01)).isNew).toBe(false);
    tracker.reset();
    tracker.assign(arc(0));
    expect(tracker.assign(arc(angle + 0.01)).isNew).toBe(true);
  });

  it('reset forgets speakers and the embedding size', () => {
    const tracker = new OnlineSpeakerTracker();
    tracker.assign(arc(0));
    tracker.assign(arc(2));
    tracker.reset();
    expect(tracker.centroids()).toEqual([]);
    expect(tracker.assign(Float32Array.of(0, 0, 1))).toEqual({ speaker: 0, similarity: -1, isNew: true });
  });

  it('rejects embeddings and weights that carry no usable evidence', () => {
    const tracker = new OnlineSpeakerTracker();
    expect(() => tracker.assign(Float32Array.of(Number.NaN, 1))).toThrow(RangeError);
    expect(() => tracker.assign(Float32Array.of(0, 0))).toThrow(RangeError);
    expect(() => tracker.assign(arc(0), 0)).toThrow(RangeError);
    expect(() => tracker.assign(arc(0), Number.POSITIVE_INFINITY)).toThrow(RangeError);
    tracker.assign(arc(0));
    expect(() => tracker.assign(Float32Array.of(1, 0, 0))).toThrow(RangeError);
    expect(() => new OnlineSpeakerTracker({ maxSpeakers: 0 })).toThrow(RangeError);
    expect(() => new OnlineSpeakerTracker({ threshold: 2 })).toThrow(RangeError);
  });
});
