import type { Transcript, TranscriptSegment } from '../../src-shared/transcript';
import type { ResolvedExportOptions } from './options';
import { displayWidth, isBreakingWhitespace, toCueText } from './text';
import { secondsToMillis } from './timecode';
import { chunkIntoCues, tokenize, type CueChunk, type Token } from './wrap';

/** One subtitle cue, format-neutral: times in whole ms, text already wrapped and sanitized. */
export interface Cue {
  startMs: number;
  endMs: number;
  /** Wrapped text lines (without any speaker label). */
  lines: string[];
  /** Sanitized speaker label, or null when unknown or speakers are excluded. */
  speaker: string | null;
  segmentId: number;
}

export interface CueLayout {
  /** True when the format prints "Speaker: " in the cue text (SRT), so it takes line width. */
  inlineSpeakerLabel: boolean;
}

/** A zero-length segment is still shown this long (clipped to the next segment), so it can be read. */
export const MIN_DISPLAY_MS = 1000;

/**
 * Subtitle cues for a transcript: empty segments dropped, long segments split into cues of at most
 * `maxLinesPerCue` × `maxLineWidth`, and times made strictly increasing per cue (end > start) and
 * non-overlapping (a cue ends no later than the next one starts).
 */
export function buildCues(transcript: Transcript, options: ResolvedExportOptions, layout: CueLayout): Cue[] {
  const segments = transcript.segments
    .map((segment) => ({ segment, text: toCueText(segment.text) }))
    .filter((entry) => entry.text !== '')
    .sort((a, b) => a.segment.start - b.segment.start);

  const cues: Cue[] = [];
  segments.forEach(({ segment, text }, index) => {
    const next = segments[index + 1];
    const nextStartMs = next === undefined ? Infinity : secondsToMillis(next.segment.start);
    cues.push(...segmentCues(segment, text, nextStartMs, options, layout));
  });
  return removeOverlaps(cues);
}

function segmentCues(
  segment: TranscriptSegment,
  text: string,
  nextStartMs: number,
  options: ResolvedExportOptions,
  layout: CueLayout,
): Cue[] {
  const speaker = options.includeSpeakers && segment.speaker != null ? toCueText(segment.speaker) || null : null;
  const labelWidth = layout.inlineSpeakerLabel && speaker !== null ? displayWidth(`${speaker}: `) : 0;
  // An absurdly long speaker name may overflow its line rather than squeeze the text to nothing.
  const firstLineIndent = Math.min(labelWidth, Math.floor(options.maxLineWidth / 2));
  const tokens = tokenize(text, options.maxLineWidth - firstLineIndent);
  const chunks = chunkIntoCues(tokens, {
    lineWidth: options.maxLineWidth,
    maxLines: options.maxLinesPerCue,
    firstLineIndent,
  });

  const startMs = secondsToMillis(segment.start);
  let endMs = Math.max(startMs, secondsToMillis(segment.end));
  if (endMs === startMs) endMs = nextStartMs > startMs ? Math.min(startMs + MIN_DISPLAY_MS, nextStartMs) : startMs + 1;

  const boundaries =
    wordBoundaries(segment, text, tokens, chunks, startMs, endMs) ?? proportionalBoundaries(tokens, chunks, startMs, endMs);
  return chunks.map((chunk, index) => ({
    startMs: boundaries[index] as number,
    endMs: boundaries[index + 1] as number,
    lines: chunk.lines,
    speaker,
    segmentId: segment.id,
  }));
}

/** Cue boundaries [start, b1, …, end] placed at the start of each cue's first word, when words match the text. */
function wordBoundaries(
  segment: TranscriptSegment,
  text: string,
  tokens: readonly Token[],
  chunks: readonly CueChunk[],
  startMs: number,
  endMs: number,
): number[] | null {
  const words = segment.words;
  if (words === undefined || words.length === 0 || chunks.length < 2) return null;

  // Character-by-character alignment, ignoring whitespace (word texts carry their own leading spaces).
  const wordOfChar: number[] = [];
  let wordChars = '';
  words.forEach((word, wordIndex) => {
    for (const char of toCueText(word.text)) {
      if (isBreakingWhitespace(char)) continue;
      wordChars += char;
      for (let unit = 0; unit < char.length; unit += 1) wordOfChar.push(wordIndex);
    }
  });
  if (wordChars !== stripWhitespace(text)) return null;

  const boundaries = [startMs];
  for (const chunk of chunks.slice(1)) {
    const token = tokens[chunk.tokenStart] as Token;
    const charIndex = stripWhitespace(text.slice(0, token.offset)).length;
    const word = words[wordOfChar[charIndex] ?? words.length - 1];
    const wordStartMs = word === undefined ? startMs : secondsToMillis(word.start);
    boundaries.push(clamp(wordStartMs, boundaries[boundaries.length - 1] as number, endMs));
  }
  boundaries.push(endMs);
  return boundaries;
}

/** Cue boundaries spread over the segment in proportion to each cue's text width. */
function proportionalBoundaries(tokens: readonly Token[], chunks: readonly CueChunk[], startMs: number, endMs: number): number[] {
  const widths = chunks.map((chunk) => tokens.slice(chunk.tokenStart, chunk.tokenEnd).reduce((sum, token) => sum + token.width, 0));
  const total = widths.reduce((sum, width) => sum + width, 0) || 1;
  const boundaries = [startMs];
  let cumulative = 0;
  for (const width of widths.slice(0, -1)) {
    cumulative += width;
    boundaries.push(startMs + Math.round(((endMs - startMs) * cumulative) / total));
  }
  boundaries.push(endMs);
  return boundaries;
}

/**
 * Makes every cue start at or after the previous cue's end and last at least 1 ms. Overlaps are
 * resolved by ending the earlier cue sooner (text should not appear before it is spoken); only cues
 * that start at the same millisecond push the later one back.
 */
function removeOverlaps(cues: Cue[]): Cue[] {
  const result: Cue[] = [];
  let previousEnd = 0;
  cues.forEach((cue, index) => {
    const startMs = Math.max(cue.startMs, previousEnd);
    let endMs = Math.max(cue.endMs, startMs + 1);
    const next = cues[index + 1];
    if (next !== undefined && endMs > next.startMs) endMs = Math.max(next.startMs, startMs + 1);
    result.push({ ...cue, startMs, endMs });
    previousEnd = endMs;
  });
  return result;
}

function stripWhitespace(text: string): string {
  let stripped = '';
  for (const char of text) if (!isBreakingWhitespace(char)) stripped += char;
  return stripped;
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(Math.max(value, low), high);
}
