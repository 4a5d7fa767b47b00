/**
 * The beam's candidates per row: the k largest logits, best first, equal values in token order, suppressed
 * (-Infinity) tokens never among them, as a full sort of the row would give.
 */
import { describe, expect, it } from 'vitest';
import { topK } from '../../../src-main/asr/whisper/token-search';

function bySort(row: Float32Array, k: number): { token: number; value: number }[] {
  return [...row]
    .map((value, token) => ({ token, value }))
    .filter(({ value }) => value !== -Infinity)
    .sort((a, b) => b.value - a.value || a.token - b.token)
    .slice(0, k);
}

describe('topK', () => {
  it('gives what sorting the whole row gives, with ties and suppressed tokens', () => {
    let seed = 3;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (const [length, k, levels] of [
      [51865, 6, 0],
      [5000, 6, 7],
      [300, 1, 0],
      [40, 10, 3],
      [4, 6, 0],
    ] as const) {
      const row = Float32Array.from({ length }, () => {
        if (random() < 0.2) return -Infinity;
        return levels ? Math.floor(random() * levels) : random() * 20 - 5;
      });
      expect(topK(row, k)).toEqual(bySort(row, k));
    }
    expect(topK(Float32Array.from([-Infinity, -Infinity]), 3)).toEqual([]);
  });
});
