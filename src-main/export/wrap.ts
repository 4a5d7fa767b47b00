import { displayWidth, graphemes, graphemeWidth } from './text';

/** A word of cue text, or a piece of a word too wide for one line. */
export interface Token {
  text: string;
  width: number;
  /** Index of the token's first character in the single-line text it came from. */
  offset: number;
  /** True for the 2nd+ piece of a split word: joined without a space. */
  glued: boolean;
}

export interface WrapLimits {
  /** Line width in display columns. */
  lineWidth: number;
  maxLines: number;
  /** Columns already taken at the start of each cue's first line (an inline "Speaker: " label). */
  firstLineIndent: number;
}

export interface CueChunk {
  /** Token range [tokenStart, tokenEnd) this cue shows. */
  tokenStart: number;
  tokenEnd: number;
  lines: string[];
}

/** Words of single-line text (single spaces), with over-wide words cut at grapheme boundaries. */
export function tokenize(text: string, maxTokenWidth: number): Token[] {
  const tokens: Token[] = [];
  let offset = 0;
  for (const word of text.split(' ')) {
    if (word !== '') tokens.push(...splitWideWord(word, offset, maxTokenWidth));
    offset += word.length + 1;
  }
  return tokens;
}

function splitWideWord(word: string, offset: number, maxWidth: number): Token[] {
  const width = displayWidth(word);
  if (width <= maxWidth) return [{ text: word, width, offset, glued: false }];
  const pieces: Token[] = [];
  let piece = '';
  let pieceWidth = 0;
  let pieceOffset = offset;
  for (const grapheme of graphemes(word)) {
    const w = graphemeWidth(grapheme);
    if (piece !== '' && pieceWidth + w > maxWidth) {
      pieces.push({ text: piece, width: pieceWidth, offset: pieceOffset, glued: pieces.length > 0 });
      pieceOffset += piece.length;
      piece = '';
      pieceWidth = 0;
    }
    piece += grapheme;
    pieceWidth += w;
  }
  pieces.push({ text: piece, width: pieceWidth, offset: pieceOffset, glued: pieces.length > 0 });
  return pieces;
}

/**
 * Cuts tokens into cues of at most `maxLines` lines. Uses the fewest cues greedy packing needs, then
 * balances text between those cues and between the lines of each cue, so a long segment does not end
 * in a one-word cue and a two-line cue is not one full line plus an orphan.
 */
export function chunkIntoCues(tokens: readonly Token[], limits: WrapLimits): CueChunk[] {
  if (tokens.length === 0) return [];
  const cueCount = packCues(tokens, limits, Infinity).length;
  const budget = smallestBudget(tokens, limits, cueCount);
  return packCues(tokens, limits, budget).map(([start, end]) => ({
    tokenStart: start,
    tokenEnd: end,
    lines: balancedLines(tokens, start, end, limits),
  }));
}

/** Smallest per-cue text width that still packs into `cueCount` cues (binary search; packing is monotone). */
function smallestBudget(tokens: readonly Token[], limits: WrapLimits, cueCount: number): number {
  let low = tokens.reduce((widest, token) => Math.max(widest, token.width), 0);
  let high = spanWidth(tokens, 0, tokens.length);
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if (packCues(tokens, limits, middle).length <= cueCount) high = middle;
    else low = middle + 1;
  }
  return high;
}

function packCues(tokens: readonly Token[], limits: WrapLimits, budget: number): Array<[number, number]> {
  const cues: Array<[number, number]> = [];
  let start = 0;
  while (start < tokens.length) {
    let end = start + 1;
    while (
      end < tokens.length &&
      spanWidth(tokens, start, end + 1) <= budget &&
      wrapGreedy(tokens, start, end + 1, limits.lineWidth, limits.firstLineIndent).length <= limits.maxLines
    ) {
      end += 1;
    }
    cues.push([start, end]);
    start = end;
  }
  return cues;
}

/** The narrowest wrap of one cue that keeps the greedy line count. */
function balancedLines(tokens: readonly Token[], start: number, end: number, limits: WrapLimits): string[] {
  const lineCount = wrapGreedy(tokens, start, end, limits.lineWidth, limits.firstLineIndent).length;
  let low = 1;
  let high = limits.lineWidth;
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if (wrapGreedy(tokens, start, end, middle, limits.firstLineIndent).length <= lineCount) high = middle;
    else low = middle + 1;
  }
  return wrapGreedy(tokens, start, end, high, limits.firstLineIndent).map(([from, to]) => joinTokens(tokens, from, to));
}

/** Greedy word wrap of tokens [start, end) into lines of `lineWidth` columns; a line always takes at least one token. */
function wrapGreedy(
  tokens: readonly Token[],
  start: number,
  end: number,
  lineWidth: number,
  firstLineIndent: number,
): Array<[number, number]> {
  const lines: Array<[number, number]> = [];
  let lineStart = start;
  let used = firstLineIndent;
  for (let index = start; index < end; index += 1) {
    const token = tokens[index] as Token;
    const isFirstOnLine = index === lineStart;
    const needed = isFirstOnLine ? token.width : token.width + (token.glued ? 0 : 1);
    if (!isFirstOnLine && used + needed > lineWidth) {
      lines.push([lineStart, index]);
      lineStart = index;
      used = token.width;
    } else {
      used += needed;
    }
  }
  lines.push([lineStart, end]);
  return lines;
}

function spanWidth(tokens: readonly Token[], start: number, end: number): number {
  let width = 0;
  for (let index = start; index < end; index += 1) {
    const token = tokens[index] as Token;
    width += token.width + (index > start && !token.glued ? 1 : 0);
  }
  return width;
}

export function joinTokens(tokens: readonly Token[], start: number, end: number): string {
  let text = '';
  for (let index = start; index < end; index += 1) {
    const token = tokens[index] as Token;
    text += index > start && !token.glued ? ` ${token.text}` : token.text;
  }
  return text;
}
