import { describe, expect, it } from 'vitest';
import { compressionRatio, seededRandom, trimRepetition } from '../../../src-main/asr/whisper/fallback';

describe('temperature fallback helpers', () => {
  it('computes the compression ratio as openai-whisper does (Python zlib.compress, level 6)', () => {
    // Reference values from CPython 3.11: len(b) / len(zlib.compress(b)).
    expect(compressionRatio('las arenas son blancas y '.repeat(10))).toBeCloseTo(250 / 34, 10);
    expect(
      compressionRatio('And so my fellow Americans, ask not what your country can do for you, ask what you can do for your country.'),
    ).toBeCloseTo(107 / 79, 10);
    expect(compressionRatio('안녕하세요 여러분 오늘 회의를 시작하겠습니다')).toBeCloseTo(64 / 75, 10);
    expect(compressionRatio('')).toBe(0);
  });

  it('trims a loop back to the last timestamp before it starts repeating', () => {
    // Tokens: 100+ are timestamps; text tokens decode to their words.
    const words: Record<number, string> = { 1: ' the', 2: ' sands', 3: ' are', 4: ' white', 5: ' and' };
    const decode = (tokens: readonly number[]): string => tokens.map((token) => words[token] ?? '').join('');
    const loop = [
      100, 1, 2, 3, 4, 110, 110, 5, 1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 1, 2, 3, 4, 5,
    ];
    expect(compressionRatio(decode(loop).trim())).toBeGreaterThan(2.4);
    const trimmed = trimRepetition(loop, decode, 2.4, (token) => token >= 100);
    expect(trimmed.compressionRatio).toBeLessThanOrEqual(2.4);
    expect(trimmed.tokens.at(-1)).toBeGreaterThanOrEqual(100);
    expect(trimmed.text.startsWith('the sands are white')).toBe(true);
  });

  it('samples reproducibly from a seed', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const first = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(first);
    expect(first.every((value) => value >= 0 && value < 1)).toBe(true);
    expect(new Set(first).size).toBe(5);
  });
});
