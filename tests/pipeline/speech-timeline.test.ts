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
