import { describe, expect, it } from 'vitest';
import { planNextWindow, resumePointAfter, type SpeechSpan } from '../../src-main/pipeline/window-planner';

describe('planNextWindow', () => {
  it('returns null when no speech is left', () => {
    expect(planNextWindow([], 0)).toBeNull();
    expect(planNextWindow([{ start: 1, end: 2 }], 2)).toBeNull();
  });

  it('starts at the first speech and packs whole spans up to 30 s, cutting in pauses', () => {
    const spans: SpeechSpan[] = [
      { start: 2, end: 10 },
      { start: 11, end: 25 },
      { start: 26, end: 31.5 },
      { start: 33, end: 40 },
    ];
    expect(planNextWindow(spans, 0)).toEqual({ start: 2, end: 31.5, forced: false });
    expect(planNextWindow(spans, 31.5)).toEqual({ start: 33, end: 40, forced: false });
  });

  it('cuts inside speech only when a single span is longer than the window', () => {
    expect(planNextWindow([{ start: 5, end: 100 }], 0)).toEqual({ start: 5, end: 35, forced: true });
    expect(planNextWindow([{ start: 5, end: 100 }], 35)).toEqual({ start: 35, end: 65, forced: true });
  });

  it('tiles every span exactly once over a long file', () => {
    const spans: SpeechSpan[] = [];
    for (let t = 0; t < 3 * 3600; t += 7) spans.push({ start: t + 0.5, end: t + 5.5 + (t % 3) });
    let cursor = 0;
    let covered = 0;
    for (let window = planNextWindow(spans, cursor); window; window = planNextWindow(spans, cursor)) {
      expect(window.end - window.start).toBeLessThanOrEqual(30);
      expect(window.start).toBeGreaterThanOrEqual(cursor);
      covered += spans.filter((span) => span.start >= window.start && span.end <= window.end).length;
      cursor = window.end;
    }
    expect(covered).toBe(spans.length);
  });
});

describe('resumePointAfter', () => {
  it('keeps every segment after a cut in a pause', () => {
    const window = { start: 10, end: 30, forced: false };
    expect(
      resumePointAfter(window, [
        { start: 0, end: 5 },
        { start: 6, end: null },
      ]),
    ).toEqual({ resumeAt: 30, keep: 2 });
  });

  it('drops the last segment after a forced cut and resumes at its start', () => {
    const window = { start: 10, end: 40, forced: true };
    expect(
      resumePointAfter(window, [
        { start: 0, end: 12 },
        { start: 12, end: 24 },
        { start: 24, end: null },
      ]),
    ).toEqual({ resumeAt: 34, keep: 2 });
  });

  it('keeps a lone segment rather than make no progress', () => {
    const window = { start: 10, end: 40, forced: true };
    expect(resumePointAfter(window, [{ start: 0, end: null }])).toEqual({ resumeAt: 40, keep: 1 });
    expect(
      resumePointAfter(window, [
        { start: 0, end: 0.5 },
        { start: 0.5, end: null },
      ]),
    ).toEqual({ resumeAt: 40, keep: 2 });
  });
});
