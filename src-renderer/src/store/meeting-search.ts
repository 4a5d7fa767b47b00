/** Search inside one meeting's transcript: case- and accent-insensitive substring matches, in time order. */

function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Mark}/gu, '')
    .toLocaleLowerCase();
}

/**
 * Folding can change lengths (decomposed accents are dropped), so matches are found in a folded copy
 * built one character at a time, with a map back to the original positions.
 */
function foldWithMap(text: string): { folded: string; origin: number[] } {
  let folded = '';
  const origin: number[] = [];
  let position = 0;
  for (const char of text) {
    const piece = fold(char);
    for (let index = 0; index < piece.length; index += 1) origin.push(position);
    folded += piece;
    position += char.length;
  }
  origin.push(text.length);
  return { folded, origin };
}

export interface TextPart {
  text: string;
  match: boolean;
}

/** The text split into plain and matching parts. */
export function splitByQuery(text: string, query: string): TextPart[] {
  const needle = fold(query.trim());
  if (needle === '') return [{ text, match: false }];
  const { folded, origin } = foldWithMap(text);
  const parts: TextPart[] = [];
  let from = 0;
  let at = folded.indexOf(needle);
  while (at !== -1) {
    const start = origin[at] ?? text.length;
    const end = origin[at + needle.length] ?? text.length;
    if (start > from) parts.push({ text: text.slice(from, start), match: false });
    parts.push({ text: text.slice(start, end), match: true });
    from = end;
    at = folded.indexOf(needle, at + needle.length);
  }
  if (from < text.length) parts.push({ text: text.slice(from), match: false });
  return parts;
}

/** Ids of the segments whose text holds the query, in the order given (time order). */
export function matchingSegmentIds(segments: readonly { id: number; text: string }[], query: string): number[] {
  const needle = fold(query.trim());
  if (needle === '') return [];
  return segments.filter((segment) => fold(segment.text).includes(needle)).map((segment) => segment.id);
}
