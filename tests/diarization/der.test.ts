import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { maxWeightAssignment, scoreDiarization, type DerOptions, type DiarizationScore } from '../../src-main/diarization/der';
import { parseRttm } from '../../src-main/diarization/rttm';
import type { SpeakerTurn } from '../../src-main/diarization/types';
import { SHARED_AUDIO } from '../support/paths';

const turn = (speaker: string, start: number, end: number): SpeakerTurn => ({ speaker, start, end });
const NO_COLLAR: DerOptions = { collar: 0 };

function score(reference: SpeakerTurn[], hypothesis: SpeakerTurn[], options?: DerOptions): DiarizationScore {
  const result = scoreDiarization(reference, hypothesis, options);
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

function expectScore(actual: DiarizationScore, expected: Omit<DiarizationScore, 'speakerMapping'>): void {
  for (const key of ['scoredSpeech', 'missed', 'falseAlarm', 'confusion', 'der'] as const) {
    expect(actual[key], key).toBeCloseTo(expected[key], 9);
  }
}

// Two speakers taking turns: alice [0, 10), bob [10, 20).
const aliceThenBob = [turn('alice', 0, 10), turn('bob', 10, 20)];

describe('scoreDiarization', () => {
  it('scores a perfect hypothesis 0', () => {
    const hypothesis = [turn('alice', 0, 10), turn('bob', 10, 20)];
    expectScore(score(aliceThenBob, hypothesis, NO_COLLAR), {
      scoredSpeech: 20,
      missed: 0,
      falseAlarm: 0,
      confusion: 0,
      der: 0,
    });
    // Default collar 0.25 s drops [-0.25, 0.25], [9.75, 10.25], [19.75, 20.25]: 20 − 0.25 − 0.5 − 0.25 = 19 s scored.
    expectScore(score(aliceThenBob, hypothesis), { scoredSpeech: 19, missed: 0, falseAlarm: 0, confusion: 0, der: 0 });
  });

  it('scores swapped labels 0 through the speaker mapping', () => {
    const result = score(aliceThenBob, [turn('bob', 0, 10), turn('alice', 10, 20)], NO_COLLAR);
    expect(result.der).toBe(0);
    expect(result.speakerMapping).toEqual({ bob: 'alice', alice: 'bob' });
  });

  it('scores a hypothesis with no speech 1, all of it missed', () => {
    expectScore(score(aliceThenBob, [], NO_COLLAR), { scoredSpeech: 20, missed: 20, falseAlarm: 0, confusion: 0, der: 1 });
    expect(score(aliceThenBob, []).der).toBeCloseTo(1, 9);
  });

  it('counts hypothesis speech in a reference pause as false alarm', () => {
    // Reference: alice [0, 4) and [6, 10); hypothesis: x over [0, 10).
    const reference = [turn('alice', 0, 4), turn('alice', 6, 10)];
    const hypothesis = [turn('x', 0, 10)];
    // No collar: [4, 6) has nRef 0, nHyp 1 → false alarm 2; scored speech 4 + 4 = 8; DER 2/8.
    expectScore(score(reference, hypothesis, NO_COLLAR), {
      scoredSpeech: 8,
      missed: 0,
      falseAlarm: 2,
      confusion: 0,
      der: 0.25,
    });
    // Collar 0.25 around 0, 4, 6, 10: false alarm [4.25, 5.75] = 1.5; speech 8 − 4 · 0.25 = 7; DER 1.5/7.
    expectScore(score(reference, hypothesis), {
      scoredSpeech: 7,
      missed: 0,
      falseAlarm: 1.5,
      confusion: 0,
      der: 1.5 / 7,
    });
  });

  it('counts hypothesis speech after the reference ends as false alarm (scores all time, not only the reference extent)', () => {
    // Reference alice [0, 10); hypothesis alice [0, 12): [10, 12) is false alarm 2; DER 2/10.
    expectScore(score([turn('alice', 0, 10)], [turn('alice', 0, 12)], NO_COLLAR), {
      scoredSpeech: 10,
      missed: 0,
      falseAlarm: 2,
      confusion: 0,
      der: 0.2,
    });
  });

  it('counts the wrong speaker as confusion', () => {
    // Reference alice [0, 5), bob [5, 10); hypothesis x [0, 7), y [7, 10).
    // Overlaps: x–alice 5, x–bob 2, y–bob 3 → mapping x→alice, y→bob (total 8).
    // [5, 7): bob talks, x (= alice) is hypothesised → confusion 2; DER 2/10.
    const result = score([turn('alice', 0, 5), turn('bob', 5, 10)], [turn('x', 0, 7), turn('y', 7, 10)], NO_COLLAR);
    expectScore(result, { scoredSpeech: 10, missed: 0, falseAlarm: 0, confusion: 2, der: 0.2 });
    expect(result.speakerMapping).toEqual({ x: 'alice', y: 'bob' });
  });

  it('scores overlapped speech once per speaker, and can skip it', () => {
    // Reference alice [0, 10), bob [6, 12); hypothesis x [0, 12). Overlaps x–alice 10, x–bob 6 → x→alice.
    // [0, 6): alice / x: correct, speech 6.
    // [6, 10): alice + bob / x: speech 2 · 4 = 8, missed (2 − 1) · 4 = 4, confusion min(2, 1) − 1 = 0.
    // [10, 12): bob / x (= alice): speech 2, confusion 2.
    // Scored speech 16, errors 4 + 2 = 6 → DER 6/16.
    const reference = [turn('alice', 0, 10), turn('bob', 6, 12)];
    const hypothesis = [turn('x', 0, 12)];
    expectScore(score(reference, hypothesis, NO_COLLAR), {
      scoredSpeech: 16,
      missed: 4,
      falseAlarm: 0,
      confusion: 2,
      der: 6 / 16,
    });
    // Skipping overlap drops [6, 10): speech 6 + 2 = 8, confusion 2 → DER 2/8.
    expectScore(score(reference, hypothesis, { collar: 0, skipOverlap: true }), {
      scoredSpeech: 8,
      missed: 0,
      falseAlarm: 0,
      confusion: 2,
      der: 0.25,
    });
  });

  it('does not score the collar around reference boundaries', () => {
    // The hypothesis lags by 0.2 s: alice [0.2, 10.2), bob [10.2, 20.2).
    const hypothesis = [turn('alice', 0.2, 10.2), turn('bob', 10.2, 20.2)];
    // No collar: [0, 0.2) missed 0.2; [10, 10.2) bob hypothesised as alice → confusion 0.2;
    // [20, 20.2) false alarm 0.2. DER 0.6/20 = 0.03.
    expectScore(score(aliceThenBob, hypothesis, NO_COLLAR), {
      scoredSpeech: 20,
      missed: 0.2,
      falseAlarm: 0.2,
      confusion: 0.2,
      der: 0.03,
    });
    // Collar 0.25: every error lies within 0.25 s of a reference boundary (0, 10, 20); speech 19 as above.
    expectScore(score(aliceThenBob, hypothesis, { collar: 0.25 }), {
      scoredSpeech: 19,
      missed: 0,
      falseAlarm: 0,
      confusion: 0,
      der: 0,
    });
  });

  it('handles more hypothesis speakers than reference speakers', () => {
    // Reference alice [0, 10); hypothesis x [0, 6), y [6, 10). Only one of them can be alice: x (6 s > 4 s).
    // [6, 10): y is unmapped → confusion 4; DER 4/10.
    const result = score([turn('alice', 0, 10)], [turn('x', 0, 6), turn('y', 6, 10)], NO_COLLAR);
    expectScore(result, { scoredSpeech: 10, missed: 0, falseAlarm: 0, confusion: 4, der: 0.4 });
    expect(result.speakerMapping).toEqual({ x: 'alice' });
  });

  it('maps speakers optimally where greedy matching would not', () => {
    // Reference r1 [0, 5), r2 [5, 9), r1 [9, 14), r2 [14, 15); hypothesis h1 [0, 9), h2 [9, 13), h3 [13, 15).
    // Overlaps: h1–r1 5, h1–r2 4, h2–r1 4, h3–r1 1, h3–r2 1.
    // Greedy takes the largest first: h1→r1 (5), then h3→r2 (1): total 6.
    // Optimal: h1→r2 (4) + h2→r1 (4) = 8, h3 unmapped.
    const reference = [turn('r1', 0, 5), turn('r2', 5, 9), turn('r1', 9, 14), turn('r2', 14, 15)];
    const hypothesis = [turn('h1', 0, 9), turn('h2', 9, 13), turn('h3', 13, 15)];
    const result = score(reference, hypothesis, NO_COLLAR);
    expect(result.speakerMapping).toEqual({ h1: 'r2', h2: 'r1' });
    // Confusion: [0, 5) r1 vs h1 (= r2) 5, [13, 15) h3 unmapped 2 → 7 of 15. (Greedy would give 4 + 4 + 1 = 9.)
    expectScore(result, { scoredSpeech: 15, missed: 0, falseAlarm: 0, confusion: 7, der: 7 / 15 });
  });

  it("merges a speaker's own overlapping turns", () => {
    // alice [0, 5) and [3, 8) are alice [0, 8): 8 s of speech, not 10, and no self-overlap to miss.
    expectScore(score([turn('alice', 0, 5), turn('alice', 3, 8)], [turn('x', 0, 8)], NO_COLLAR), {
      scoredSpeech: 8,
      missed: 0,
      falseAlarm: 0,
      confusion: 0,
      der: 0,
    });
  });

  it('reports no scored speech as 0 when clean and Infinity when there is only false alarm', () => {
    expect(score([], [], NO_COLLAR).der).toBe(0);
    const onlyFalseAlarm = score([], [turn('x', 0, 2)], NO_COLLAR);
    expect(onlyFalseAlarm.falseAlarm).toBeCloseTo(2, 9);
    expect(onlyFalseAlarm.der).toBe(Infinity);
  });

  it('rejects turns that end before they start and invalid collars', () => {
    const badTurn = scoreDiarization(aliceThenBob, [turn('x', 5, 4)]);
    expect(badTurn.ok ? undefined : badTurn.error.code).toBe('DER_INVALID_TURN');
    const nanTurn = scoreDiarization([turn('alice', Number.NaN, 1)], []);
    expect(nanTurn.ok ? undefined : nanTurn.error.code).toBe('DER_INVALID_TURN');
    const badCollar = scoreDiarization(aliceThenBob, aliceThenBob, { collar: -0.1 });
    expect(badCollar.ok ? undefined : badCollar.error.code).toBe('DER_INVALID_OPTION');
  });
});

describe('scoreDiarization on the real two-speaker reference', () => {
  const parsed = parseRttm(readFileSync(path.join(SHARED_AUDIO, 'two-speakers.rttm'), 'utf8'));
  if (!parsed.ok) throw new Error(parsed.error.message);
  const reference = parsed.value;

  /** Independent check: classify every millisecond by its midpoint (all times in the file are whole ms). */
  function sampledScore(hypothesis: SpeakerTurn[], mapping: Record<string, string>, collar: number): DiarizationScore {
    const talking = (turns: SpeakerTurn[], t: number): Set<string> =>
      new Set(turns.filter((item) => item.start <= t && t < item.end).map((item) => item.speaker));
    const boundaries = reference.flatMap((item) => [item.start, item.end]);
    const end = Math.max(...[...reference, ...hypothesis].map((item) => item.end));
    const totals = { scoredSpeech: 0, missed: 0, falseAlarm: 0, confusion: 0 };
    for (let ms = 0; ms < Math.ceil(end * 1000); ms++) {
      const t = (ms + 0.5) / 1000;
      if (boundaries.some((boundary) => Math.abs(t - boundary) <= collar)) continue;
      const ref = talking(reference, t);
      const hyp = [...talking(hypothesis, t)];
      const correct = hyp.filter((speaker) => ref.has(mapping[speaker] ?? '')).length;
      totals.scoredSpeech += ref.size / 1000;
      totals.missed += Math.max(0, ref.size - hyp.length) / 1000;
      totals.falseAlarm += Math.max(0, hyp.length - ref.size) / 1000;
      totals.confusion += (Math.min(ref.size, hyp.length) - correct) / 1000;
    }
    const der = (totals.missed + totals.falseAlarm + totals.confusion) / totals.scoredSpeech;
    return { ...totals, der, speakerMapping: mapping };
  }

  function expectNear(actual: DiarizationScore, expected: DiarizationScore): void {
    for (const key of ['scoredSpeech', 'missed', 'falseAlarm', 'confusion', 'der'] as const) {
      expect(actual[key], key).toBeCloseTo(expected[key], 6);
    }
  }

  it('scores itself 0 under any labels', () => {
    const relabelled = reference.map((item) => ({ ...item, speaker: item.speaker === 'speaker90' ? 'B' : 'A' }));
    const result = score(reference, relabelled);
    expect(result.der).toBe(0);
    expect(result.speakerMapping).toEqual({ B: 'speaker90', A: 'speaker91' });
    // The file has overlapped speech, so scored speaker time exceeds the scored wall-clock time.
    expect(result.scoredSpeech).toBeGreaterThan(0);
  });

  it('matches a millisecond-by-millisecond count for a one-speaker hypothesis', () => {
    // One label over all speech: it overlaps speaker91 12.5 s and speaker90 11.85 s, so it maps to speaker91.
    const hypothesis = reference.map((item) => ({ ...item, speaker: 'everyone' }));
    for (const collar of [0, 0.25]) {
      const result = score(reference, hypothesis, { collar });
      expect(result.speakerMapping).toEqual({ everyone: 'speaker91' });
      expect(result.missed).toBeGreaterThan(0);
      expectNear(result, sampledScore(hypothesis, { everyone: 'speaker91' }, collar));
    }
  });

  it('matches a millisecond-by-millisecond count for a hypothesis lagging 0.3 s', () => {
    const hypothesis = reference.map((item) => ({ start: item.start + 0.3, end: item.end + 0.3, speaker: `h-${item.speaker}` }));
    const mapping = { 'h-speaker90': 'speaker90', 'h-speaker91': 'speaker91' };
    for (const collar of [0, 0.25]) {
      const result = score(reference, hypothesis, { collar });
      expect(result.speakerMapping).toEqual(mapping);
      expect(result.der).toBeGreaterThan(0);
      expectNear(result, sampledScore(hypothesis, mapping, collar));
    }
  });
});

describe('maxWeightAssignment', () => {
  it('finds the best assignment on a rectangular matrix where greedy fails', () => {
    // Rows h1..h3, columns r1, r2. Greedy: h1→r1 (5), h3→r2 (1) = 6. Best: h1→r2 (4) + h2→r1 (4) = 8.
    const weights = [
      [5, 4],
      [4, 0],
      [1, 1],
    ];
    expect(maxWeightAssignment(weights)).toEqual([1, 0, -1]);
    // The same matrix transposed (more columns than rows).
    expect(
      maxWeightAssignment([
        [5, 4, 1],
        [4, 0, 1],
      ]),
    ).toEqual([1, 0]);
  });

  it('matches brute force on small matrices', () => {
    // Deterministic pseudo-random weights; every assignment of a 3×4 matrix is enumerated.
    let seed = 7;
    const next = (): number => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let trial = 0; trial < 20; trial++) {
      const weights = Array.from({ length: 3 }, () => Array.from({ length: 4 }, () => Math.round(next() * 10)));
      let best = -Infinity;
      for (const a of [0, 1, 2, 3])
        for (const b of [0, 1, 2, 3])
          for (const c of [0, 1, 2, 3]) {
            if (a === b || b === c || a === c) continue;
            best = Math.max(best, weights[0]![a]! + weights[1]![b]! + weights[2]![c]!);
          }
      const assignment = maxWeightAssignment(weights);
      expect(new Set(assignment).size).toBe(3);
      expect(assignment.reduce((sum, column, row) => sum + weights[row]![column]!, 0)).toBe(best);
    }
  });

  it('handles empty matrices', () => {
    expect(maxWeightAssignment([])).toEqual([]);
    expect(maxWeightAssignment([[], []])).toEqual([-1, -1]);
  });
});
