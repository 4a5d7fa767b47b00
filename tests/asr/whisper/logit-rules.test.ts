import { describe, expect, it } from 'vitest';
import { applyLogitRules, buildLogitRules, logNormalizer, logNormalizerWithMax } from '../../../src-main/asr/whisper/logit-rules';

// A toy vocabulary: text 0–9, <|endoftext|> 10, specials 11–13, <|notimestamps|> 14, timestamps 15–29 (0.00–0.28 s).
const EOT = 10;
const NO_TIMESTAMPS = 14;
const TS = 15;
const VOCAB = 30;
const rules = buildLogitRules({
  vocabSize: VOCAB,
  eot: EOT,
  noTimestamps: NO_TIMESTAMPS,
  timestampBegin: TS,
  suppressTokens: [3],
  beginSuppressTokens: [0, EOT],
  specialTokens: [11, 12, 13],
  withTimestamps: true,
  maxInitialTimestampIndex: 2,
});

/** Text and the end likelier than any timestamp, unless a test says otherwise. */
function textFavoured(): Float32Array {
  const logits = new Float32Array(VOCAB);
  logits.fill(5, 0, TS);
  return logits;
}

function allowed(sampled: number[], logits: Float32Array = textFavoured()): number[] {
  const row = logits.slice();
  applyLogitRules(row, sampled, rules);
  return [...row.keys()].filter((token) => row[token] !== -Infinity);
}

describe('Whisper logit rules (openai decoding.py)', () => {
  it('starts with a timestamp no later than the initial limit', () => {
    expect(allowed([])).toEqual([TS, TS + 1, TS + 2]);
  });

  it('never samples suppressed, special or <|notimestamps|> tokens', () => {
    const open = allowed([TS, 1]);
    for (const token of [3, 11, 12, 13, NO_TIMESTAMPS]) expect(open).not.toContain(token);
    expect(open).toContain(EOT);
  });

  it('suppresses blank and <|endoftext|> only at the first sampled position', () => {
    const rulesWithoutTimestamps = buildLogitRules({
      ...{ vocabSize: VOCAB, eot: EOT, noTimestamps: NO_TIMESTAMPS, timestampBegin: TS },
      suppressTokens: [],
      beginSuppressTokens: [0, EOT],
      specialTokens: [],
      withTimestamps: false,
      maxInitialTimestampIndex: null,
    });
    const first = new Float32Array(VOCAB);
    applyLogitRules(first, [], rulesWithoutTimestamps);
    expect(first[0]).toBe(-Infinity);
    expect(first[EOT]).toBe(-Infinity);
    expect(first[TS]).toBe(-Infinity);
    const later = new Float32Array(VOCAB);
    applyLogitRules(later, [1], rulesWithoutTimestamps);
    expect(later[0]).toBe(0);
    expect(later[EOT]).toBe(0);
  });

  it('pairs timestamps: after text and a timestamp comes its partner or the end, after a pair comes text', () => {
    // [<|0.02|>, text, <|0.10|>]: the segment is open → a timestamp ≥ 0.10 or <|endoftext|>, no text.
    const afterLone = allowed([TS + 1, 4, TS + 5]);
    expect(afterLone.filter((token) => token < EOT)).toEqual([]);
    expect(afterLone).toContain(EOT);
    expect(afterLone).toContain(TS + 5);
    expect(afterLone).not.toContain(TS + 4);
    // [<|0.02|>, text, <|0.10|>, <|0.10|>]: a pair closed the segment → text (or the end), no timestamp.
    const afterPair = allowed([TS + 1, 4, TS + 5, TS + 5]);
    expect(afterPair.filter((token) => token >= TS)).toEqual([]);
    expect(afterPair).toContain(4);
  });

  it('keeps timestamps increasing: a new segment starts after the last one ended', () => {
    const next = allowed([TS + 1, 4, TS + 5, TS + 5, 6]);
    expect(next.filter((token) => token >= TS)).toEqual(Array.from({ length: VOCAB - TS - 6 }, (_, i) => TS + 6 + i));
  });

  it('forces a timestamp when the timestamps together outweigh every text token', () => {
    const logits = new Float32Array(VOCAB).fill(-5);
    logits[4] = 0; // the best text token
    for (let token = TS + 6; token < VOCAB; token += 1) logits[token] = -1.5; // 9 × e^-1.5 > e^0
    const open = allowed([TS + 1, 4], logits);
    expect(open.every((token) => token >= TS)).toBe(true);
  });
});

describe('log-softmax normaliser', () => {
  it('is log Σ exp(row) within the exp table error of 3.1e-5, given its maximum or not', () => {
    let state = 11;
    const row = Float32Array.from({ length: 51_865 }, () => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return (state / 2147483648) * 30 - 20;
    });
    row[7] = -Infinity;
    let max = -Infinity;
    for (const value of row) max = Math.max(max, value);
    let sum = 0;
    for (const value of row) sum += Math.exp(value - max);
    const exact = max + Math.log(sum);
    expect(Math.abs(logNormalizer(row) - exact)).toBeLessThan(3.1e-5);
    expect(logNormalizerWithMax(row, max)).toBe(logNormalizer(row));
    expect(logNormalizer(new Float32Array(4).fill(-Infinity))).toBe(-Infinity);
  });
});
