import { describe, expect, it } from 'vitest';
import { buildCues } from '../../src-main/export/cues';
import { resolveExportOptions } from '../../src-main/export/options';
import { displayWidth } from '../../src-main/export/text';
import { formatClockSeconds, formatSubtitleTime, secondsToMillis } from '../../src-main/export/timecode';
import { chunkIntoCues, joinTokens, tokenize } from '../../src-main/export/wrap';
import type { Transcript, TranscriptSegment } from '../../src-shared/transcript';

function transcriptOf(segments: TranscriptSegment[]): Transcript {
  return { source: 't', language: 'en', modelId: 'm', task: 'transcribe', duration: 10, segments };
}

const options = resolveExportOptions();
const cuesOf = (segments: TranscriptSegment[]) =>
  buildCues(transcriptOf(segments), options, { inlineSpeakerLabel: true }).map(({ startMs, endMs, lines }) => ({
    startMs,
    endMs,
    text: lines.join(' '),
  }));

describe('timecodes', () => {
  it('rounds to the nearest millisecond on the decimal value', () => {
    expect(secondsToMillis(1.0005)).toBe(1001);
    expect(secondsToMillis(1.0004999)).toBe(1000);
    expect(secondsToMillis(2.675)).toBe(2675);
    expect(secondsToMillis(0.0015)).toBe(2);
    expect(secondsToMillis(-3)).toBe(0);
    expect(secondsToMillis(Number.NaN)).toBe(0);
  });

  it('formats SRT/VTT times with hours that grow past 99', () => {
    expect(formatSubtitleTime(0, ',')).toBe('00:00:00,000');
    expect(formatSubtitleTime(59_999, '.')).toBe('00:00:59.999');
    expect(formatSubtitleTime(359_999_999, ',')).toBe('99:59:59,999');
    expect(formatSubtitleTime(360_000_000, ',')).toBe('100:00:00,000');
    expect(formatSubtitleTime(3_600_000_000 + 61_001, '.')).toBe('1000:01:01.001');
    expect(formatClockSeconds(3725.9)).toBe('01:02:05');
  });
});

describe('wrapping', () => {
  const limits = { lineWidth: 42, maxLines: 2, firstLineIndent: 0 };

  it('counts Hangul and CJK as two columns', () => {
    expect(displayWidth('안녕하세요')).toBe(10);
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('e\u0301')).toBe(1);
    expect(displayWidth('👩‍💻')).toBe(2);
  });

  it('cuts a word wider than a line at grapheme boundaries and glues it back', () => {
    const word = `${'가'.repeat(30)}👩‍💻${'x'.repeat(50)}`;
    const tokens = tokenize(word, 42);
    expect(tokens.length).toBeGreaterThan(1);
    expect(tokens.every((token) => token.width <= 42)).toBe(true);
    expect(joinTokens(tokens, 0, tokens.length)).toBe(word);
    expect(tokens.some((token) => token.text.includes('👩‍💻'))).toBe(true);
  });

  it('wraps spaceless CJK text into full-width-aware lines', () => {
    const text = '日本語の文章にはスペースがありませんので文字単位で改行する必要があります';
    const chunks = chunkIntoCues(tokenize(text, 42), limits);
    for (const chunk of chunks) for (const line of chunk.lines) expect(displayWidth(line)).toBeLessThanOrEqual(42);
    expect(chunks.flatMap((chunk) => chunk.lines).join('')).toBe(text);
  });

  it('balances two lines instead of leaving an orphan word', () => {
    const text = 'We should definitely ship the new version of the billing page tomorrow';
    const [chunk] = chunkIntoCues(tokenize(text, 42), limits);
    expect(chunk?.lines).toHaveLength(2);
    const [first = '', second = ''] = chunk?.lines ?? [];
    expect(Math.abs(first.length - second.length)).toBeLessThan(12);
  });

  it('spreads a long segment over evenly filled cues', () => {
    const text = Array.from({ length: 60 }, (_, index) => `word${index}`).join(' ');
    const chunks = chunkIntoCues(tokenize(text, 42), limits);
    const sizes = chunks.map((chunk) => chunk.tokenEnd - chunk.tokenStart);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(2);
    expect(chunks.every((chunk) => chunk.lines.length <= 2)).toBe(true);
  });
});

describe('cue timing', () => {
  it('ends a cue where the next begins when segments overlap', () => {
    expect(
      cuesOf([
        { id: 0, start: 0, end: 5, text: 'first', speaker: null },
        { id: 1, start: 4, end: 8, text: 'second', speaker: null },
      ]),
    ).toEqual([
      { startMs: 0, endMs: 4000, text: 'first' },
      { startMs: 4000, endMs: 8000, text: 'second' },
    ]);
  });

  it('gives a zero-length segment up to a second, clipped by the next one', () => {
    expect(
      cuesOf([
        { id: 0, start: 1, end: 1, text: 'okay', speaker: null },
        { id: 1, start: 1.4, end: 2, text: 'next', speaker: null },
        { id: 2, start: 5, end: 4, text: 'backwards', speaker: null },
      ]),
    ).toEqual([
      { startMs: 1000, endMs: 1400, text: 'okay' },
      { startMs: 1400, endMs: 2000, text: 'next' },
      { startMs: 5000, endMs: 6000, text: 'backwards' },
    ]);
  });

  it('keeps same-start segments apart and in order', () => {
    const cues = cuesOf([
      { id: 0, start: 2, end: 2, text: 'a', speaker: null },
      { id: 1, start: 2, end: 3, text: 'b', speaker: null },
    ]);
    expect(cues).toEqual([
      { startMs: 2000, endMs: 2001, text: 'a' },
      { startMs: 2001, endMs: 3000, text: 'b' },
    ]);
  });

  it('sorts segments by start and clamps negative times to zero', () => {
    expect(
      cuesOf([
        { id: 1, start: 3, end: 4, text: 'later', speaker: null },
        { id: 0, start: -1, end: 0.5, text: 'earlier', speaker: null },
      ]),
    ).toEqual([
      { startMs: 0, endMs: 500, text: 'earlier' },
      { startMs: 3000, endMs: 4000, text: 'later' },
    ]);
  });

  it('falls back to proportional timing when words do not match the text', () => {
    const text = Array.from({ length: 30 }, () => 'alpha beta').join(' ');
    const cues = buildCues(
      transcriptOf([{ id: 0, start: 0, end: 10, text, speaker: null, words: [{ start: 0, end: 1, text: 'other' }] }]),
      options,
      { inlineSpeakerLabel: false },
    );
    expect(cues.length).toBeGreaterThan(1);
    expect(cues[0]?.startMs).toBe(0);
    expect(cues[cues.length - 1]?.endMs).toBe(10_000);
    for (let index = 1; index < cues.length; index += 1) expect(cues[index]?.startMs).toBe(cues[index - 1]?.endMs);
  });
});
