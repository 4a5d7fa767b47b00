import { describe, expect, it } from 'vitest';
import { wordErrorRate } from '../support/wer';

describe('wordErrorRate', () => {
  it('ignores case and punctuation', () => {
    expect(wordErrorRate('And so, my fellow Americans.', 'and so my fellow americans')).toBe(0);
  });
  it('counts substitutions, deletions and insertions over reference length', () => {
    expect(wordErrorRate('a b c d', 'a x c')).toBe(0.5);
    expect(wordErrorRate('a b', 'a b c d')).toBe(1);
  });
});
