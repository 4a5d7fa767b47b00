import { expect } from 'vitest';
import type { Transcript } from '../../src-shared/transcript';
import { displayWidth } from '../../src-main/export/text';
import { expectedCueText, expectedVoice } from './fixtures';
import type { ParsedCue } from './parsers';

export interface CueExpectations {
  /** 'prefix': "Speaker: " starts each cue's first line (SRT); 'voice': a `<v Speaker>` span (VTT). */
  speakerStyle: 'prefix' | 'voice';
  /** Check each segment's first start / last end against the transcript (no overlapping segments). */
  exactTimes: boolean;
  maxLineWidth?: number;
  maxLines?: number;
}

/**
 * Walks parsed cues in order and checks they spell out every non-empty segment, in order, with the
 * right speaker on every cue, sane layout, and (when asked) the segment's times within 1 ms.
 * Returns the cues grouped by segment id for further checks.
 */
export function expectCuesMatchTranscript(
  cues: readonly ParsedCue[],
  transcript: Transcript,
  expectations: CueExpectations,
): Map<number, ParsedCue[]> {
  const maxLineWidth = expectations.maxLineWidth ?? 42;
  const maxLines = expectations.maxLines ?? 2;
  const segments = transcript.segments.filter((segment) => expectedCueText(segment.text) !== '').sort((a, b) => a.start - b.start);
  const grouped = new Map<number, ParsedCue[]>();
  let cueIndex = 0;

  segments.forEach((segment, segmentIndex) => {
    const expectedText = expectedCueText(segment.text);
    const speaker = segment.speaker === null ? null : expectedCueText(segment.speaker);
    const mine: ParsedCue[] = [];
    let text = '';
    while (text.length < expectedText.length) {
      const cue = cues[cueIndex];
      expect(cue, `cue for segment ${segment.id} "${expectedText}" (have "${text}")`).toBeDefined();
      if (cue === undefined) break;
      cueIndex += 1;
      mine.push(cue);
      const lines = [...cue.lines];
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.length).toBeLessThanOrEqual(maxLines);
      for (const line of lines) expect(displayWidth(line), line).toBeLessThanOrEqual(maxLineWidth);
      if (expectations.speakerStyle === 'prefix' && speaker !== null) {
        expect(lines[0]?.startsWith(`${speaker}: `), `"${lines[0]}" starts with "${speaker}: "`).toBe(true);
        lines[0] = (lines[0] ?? '').slice(speaker.length + 2);
      }
      if (expectations.speakerStyle === 'voice') expect(cue.voice).toBe(segment.speaker === null ? null : expectedVoice(segment.speaker));
      text += (text === '' ? '' : ' ') + lines.join(' ');
    }
    expect(text).toBe(expectedText);
    grouped.set(segment.id, mine);

    if (expectations.exactTimes) {
      const first = mine[0] as ParsedCue;
      const last = mine[mine.length - 1] as ParsedCue;
      const next = segments[segmentIndex + 1];
      const expectedEnd = segment.end > segment.start ? segment.end : Math.min(segment.start + 1, next?.start ?? Infinity);
      expect(Math.abs(first.startMs - segment.start * 1000)).toBeLessThanOrEqual(1);
      expect(Math.abs(last.endMs - expectedEnd * 1000)).toBeLessThanOrEqual(1);
    }
  });
  expect(cueIndex, 'no extra cues').toBe(cues.length);
  expectMonotonicCues(cues);
  return grouped;
}

/** Every cue lasts > 0 ms and starts at or after the previous one ends. */
export function expectMonotonicCues(cues: readonly ParsedCue[]): void {
  cues.forEach((cue, index) => {
    expect(cue.endMs, `cue ${index} end > start`).toBeGreaterThan(cue.startMs);
    const previous = cues[index - 1];
    if (previous !== undefined) expect(cue.startMs, `cue ${index} starts after previous end`).toBeGreaterThanOrEqual(previous.endMs - 1e-6);
  });
}
