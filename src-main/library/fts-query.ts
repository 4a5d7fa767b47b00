/**
 * Turns what a user typed into FTS5 MATCH expressions that cannot be misread as query syntax: every term is
 * emitted as an FTS5 string literal (double quotes, inner quotes doubled), so `AND`, `NEAR`, `*`, `:`, `^`,
 * parentheses and stray quotes are plain text. Double-quoted parts of the input stay together as phrases.
 */

export interface QueryTerm {
  text: string;
  /** From a "quoted part": matched as written, words in order, no prefix expansion. */
  phrase: boolean;
}

/** Longer input is cut; a search box never needs more, and it bounds the work of one query. */
const MAX_TERMS = 16;
/** The trigram tokenizer cannot match anything shorter. */
export const MIN_SUBSTRING_CHARS = 3;

const PART = /"([^"]*)"|([^\s"]+)/gu;
const HAS_WORD_CHARACTER = /[\p{L}\p{N}]/u;
const CONTROL = /\p{Cc}/gu;

export function parseSearchQuery(query: string): QueryTerm[] {
  const terms: QueryTerm[] = [];
  // Control characters (a NUL ends an FTS5 string literal early) separate terms, like spaces.
  for (const match of query.normalize('NFC').replace(CONTROL, ' ').matchAll(PART)) {
    const phraseText = match[1];
    const text = (phraseText ?? match[2] ?? '').trim().replace(/\s+/gu, ' ');
    // Text without a letter or digit has no token to find ("-", "*", "…").
    if (!HAS_WORD_CHARACTER.test(text)) continue;
    terms.push({ text, phrase: phraseText !== undefined });
    if (terms.length === MAX_TERMS) break;
  }
  return terms;
}

function literal(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}

/** For the unicode61 word index: every term must occur; bare terms also match as word prefixes. */
export function wordIndexQuery(terms: readonly QueryTerm[]): string | null {
  if (terms.length === 0) return null;
  return terms.map((term) => (term.phrase ? literal(term.text) : `${literal(term.text)}*`)).join(' AND ');
}

/** For the trigram index: every term must occur anywhere, inside words too; null when a term is too short. */
export function substringIndexQuery(terms: readonly QueryTerm[]): string | null {
  if (terms.length === 0) return null;
  if (terms.some((term) => [...term.text].length < MIN_SUBSTRING_CHARS)) return null;
  return terms.map((term) => literal(term.text)).join(' AND ');
}
