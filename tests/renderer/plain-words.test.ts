import { describe, expect, it } from 'vitest';
import { PLAIN_WORDS, type PlainWordsTable } from '../../src-renderer/src/store/error-text';
import { ERROR_CODES } from '../../src-shared/errors';

// Type-level: the table must decide the words of every code (`npm run typecheck` checks these lines).
const withoutOneCode: Omit<PlainWordsTable, 'FILE_EMPTY'> = PLAIN_WORDS;
// @ts-expect-error FILE_EMPTY has no entry: a code without words does not type-check.
const missingACode: PlainWordsTable = withoutOneCode;
// @ts-expect-error A code outside the vocabulary has no place in the table.
const extraCode: PlainWordsTable = { ...PLAIN_WORDS, NOT_A_CODE: 'words' };

describe('the plain-words table', () => {
  it('has an entry for exactly the codes of the vocabulary', () => {
    expect(Object.keys(PLAIN_WORDS).sort()).toEqual(Object.values(ERROR_CODES).flat().sort());
    expect(missingACode).toBe(PLAIN_WORDS);
    expect(extraCode).toHaveProperty('NOT_A_CODE');
  });

  it('says each decided code in a sentence', () => {
    for (const words of Object.values(PLAIN_WORDS)) if (words !== null) expect(words).toMatch(/^[A-Z].*[.?]$/);
  });
});
