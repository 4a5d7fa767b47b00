/**
 * Text clean-up and measurement shared by the formats. Only ASCII whitespace and line separators are
 * touched: every other character (Hangul, NBSP, emoji, …) passes through unchanged.
 */

const BREAKING_WHITESPACE = /[\t\n\v\f\r \u0085\u2028\u2029]+/g;
// C0/C1 controls other than whitespace: invisible, and NUL/ESC confuse subtitle parsers and terminals.
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000E-\u001F\u007F-\u0084\u0086-\u009F]/g;
// "-->" ends the timing line in SRT/VTT and is forbidden in VTT cue text; "--->" must not collapse back into it.
const CUE_ARROW = /-{2,}>/g;

/** One line of text with single spaces: line breaks, tabs and runs of spaces collapse; controls are dropped. */
export function toSingleLine(text: string): string {
  return text.replace(CONTROL_CHARACTERS, '').replace(BREAKING_WHITESPACE, ' ').trim();
}

/** Single-line text that is also safe inside a subtitle cue. */
export function toCueText(text: string): string {
  return toSingleLine(text).replace(CUE_ARROW, '->');
}

const ONE_BREAKING_WHITESPACE = /^[\t\n\v\f\r \u0085\u2028\u2029]$/;

export function isBreakingWhitespace(char: string): boolean {
  return ONE_BREAKING_WHITESPACE.test(char);
}

const graphemeSegmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** User-perceived characters, so wrapping never splits a Hangul jamo sequence or an emoji ZWJ sequence. */
export function graphemes(text: string): string[] {
  return Array.from(graphemeSegmenter.segment(text), (part) => part.segment);
}

/** Terminal-style column width: East Asian wide/fullwidth graphemes take 2 columns, combining-only ones 0. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const grapheme of graphemes(text)) width += graphemeWidth(grapheme);
  return width;
}

export function graphemeWidth(grapheme: string): number {
  const codePoint = grapheme.codePointAt(0) ?? 0;
  if (/^\p{Mark}+$/u.test(grapheme)) return 0;
  return isWide(codePoint) ? 2 : 1;
}

const WIDE_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x1100, 0x115f], // Hangul Jamo initials
  [0x2e80, 0x303e], // CJK radicals, punctuation
  [0x3041, 0x33ff], // kana, compatibility jamo, CJK symbols
  [0x3400, 0x4dbf], // CJK extension A
  [0x4e00, 0x9fff], // CJK unified ideographs
  [0xa000, 0xa4cf], // Yi
  [0xa960, 0xa97f], // Hangul Jamo extended-A
  [0xac00, 0xd7a3], // Hangul syllables
  [0xf900, 0xfaff], // CJK compatibility ideographs
  [0xfe30, 0xfe4f], // CJK compatibility forms
  [0xff00, 0xff60], // fullwidth forms
  [0xffe0, 0xffe6], // fullwidth signs
  [0x1f300, 0x1f64f], // emoji
  [0x1f900, 0x1f9ff], // supplemental emoji
  [0x20000, 0x3fffd], // CJK extensions B+
];

function isWide(codePoint: number): boolean {
  return WIDE_RANGES.some(([low, high]) => codePoint >= low && codePoint <= high);
}
