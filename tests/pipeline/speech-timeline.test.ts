import { describe, expect, it } from 'vitest';
import { SpeechTimeline } from '../../src-main/pipeline/speech-timeline';

const SR = 16_000;

describe('speech timeline (long silences shortened, times mapped back exactly)', () => {
  // Speech 1–3 s and 60–62 s of a 70 s file; each keeps 0.5 s of silence on either side.
  const timeline = SpeechTimeline.fromSpans(
    [
      { start: 1, end: 3 },
      { start: 60, end: 62 },
    ],
    70,
  );

  it('keeps the speech and half a second of silence around it, nothing else', () => {
    expect(timeline.pieces).toEqual([
      { realStart: 0.5 * SR, realEnd: 3.5 * SR, virtualStart: 0 },
      { realStart: 59.5 * SR, realEnd: 62.5 * SR, virtualStart: 3 * SR },
    ]);
    expect(timeline.length).toBe(6 * SR);
  });

  it('maps virtual times back to the file; at the seam a start belongs to the later piece and an end to the earlier', () => {
    expect(timeline.toReal(1 * SR, 'start')).toBe(1.5 * SR);
    expect(timeline.toReal(3 * SR, 'start')).toBe(59.5 * SR);
    expect(timeline.toReal(3 * SR, 'end')).toBe(3.5 * SR);
    expect(timeline.toReal(6 * SR, 'end')).toBe(62.5 * SR);
    expect(timeline.toVirtual(61 * SR)).toBe(4.5 * SR);
    expect(timeline.toVirtual(30 * SR)).toBe(3 * SR);
  });

  it('knows where the speech is, for coverage checks', () => {
    expect(timeline.speechWithin(0, timeline.length)).toBe(4 * SR);
    expect(timeline.speechWithin(2 * SR, 4 * SR)).toBe(1 * SR);
    expect(timeline.speechStretches(0, 4 * SR)).toEqual([
      { start: 0.5 * SR, end: 2.5 * SR },
      { start: 3.5 * SR, end: 4 * SR },
    ]);
    expect(timeline.speechEndAfter(2.6 * SR)).toBe(5.5 * SR);
  });

  it('keeps a word inside the speech it overlaps most, even across the cut silence', () => {
    // Virtual speech: 0.5–2.5 s and 3.5–5.5 s (the cut lies at 3 s).
    const seconds = (span: { start: number; end: number }): number[] => [span.start / SR, span.end / SR];
    // Stretched over the pause after the first stretch, and across the cut into the second.
    expect(seconds(timeline.keepInSpeech(2 * SR, 2.8 * SR))).toEqual([2, 2.5]);
    expect(seconds(timeline.keepInSpeech(2.75 * SR, 4 * SR))).toEqual([3.5, 4]);
    expect(seconds(timeline.keepInSpeech(2.25 * SR, 3.75 * SR))).toEqual([2.25, 2.5]);
    // Inside speech, or over no speech at all: as it was.
    expect(seconds(timeline.keepInSpeech(1 * SR, 1.5 * SR))).toEqual([1, 1.5]);
    expect(seconds(timeline.keepInSpeech(2.6 * SR, 3.4 * SR))).toEqual([2.6, 3.4]);
  });

  it('joins stretches whose silence between them is short, keeping that silence whole', () => {
    const joined = SpeechTimeline.fromSpans(
      [
        { start: 1, end: 2 },
        { start: 2.8, end: 4 },
      ],
      null,
    );
    expect(joined.pieces).toEqual([{ realStart: 0.5 * SR, realEnd: 4.5 * SR, virtualStart: 0 }]);
  });
});
