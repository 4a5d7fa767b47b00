import { describe, expect, it } from 'vitest';
import {
  FRAMES_PER_WINDOW,
  FRAME_STEP_SECONDS,
  aggregate,
  binarize,
  closestFrame,
  frameCenterSeconds,
  frameStartSeconds,
  modelFrameCount,
  planWindows,
  roundHalfEven,
  speakerCountPerFrame,
  windowSamples,
  windowStartFrame,
  type WindowFrames,
} from '../../src-main/diarization/segmentation-windows';

const RATE = 16_000;
const WINDOW = 160_000;
const STEP = 16_000;
/** Frame centres written out from the receptive field (step 270, duration 991 samples), not from the module. */
const centre = (frame: number): number => (frame * 270 + 991 / 2) / RATE;

/** `frames` rows of the same per-track values. */
function constantFrames(frames: number, row: readonly number[]): Float32Array {
  const values = new Float32Array(frames * row.length);
  for (let frame = 0; frame < frames; frame += 1) values.set(row, frame * row.length);
  return values;
}

const rowAt = (values: Float32Array, tracks: number, frame: number): number[] =>
  Array.from(values.subarray(frame * tracks, (frame + 1) * tracks));

describe('frame timing', () => {
  it('gives segmentation-3.0 its 589 frames per 10 s window', () => {
    expect(FRAMES_PER_WINDOW).toBe(589);
    expect(modelFrameCount(WINDOW)).toBe(589);
    expect(modelFrameCount(990)).toBe(0);
    expect(modelFrameCount(991)).toBe(1);
  });

  it('round-trips frame ↔ time', () => {
    for (let frame = 0; frame < 5000; frame += 7) {
      expect(frameStartSeconds(frame)).toBeCloseTo((frame * 270) / RATE, 12);
      expect(frameCenterSeconds(frame)).toBeCloseTo(centre(frame), 12);
      expect(closestFrame(frameCenterSeconds(frame))).toBe(frame);
      expect(closestFrame(frameCenterSeconds(frame) + 0.4 * FRAME_STEP_SECONDS)).toBe(frame);
      expect(closestFrame(frameCenterSeconds(frame) - 0.4 * FRAME_STEP_SECONDS)).toBe(frame);
      expect(windowStartFrame(frame * 270)).toBe(frame);
    }
  });

  it('snaps window starts to the nearest frame, halves to even as numpy.rint', () => {
    expect(windowStartFrame(16_000)).toBe(59); // 59.26
    expect(windowStartFrame(135)).toBe(0); // 0.5
    expect(windowStartFrame(405)).toBe(2); // 1.5
    expect([0.5, 1.5, 2.5, -0.5, 2.4999, 2.5001].map(roundHalfEven)).toEqual([0, 2, 2, 0, 2, 3]);
  });
});

describe('planWindows', () => {
  function expectCovers(starts: number[], total: number): void {
    expect(starts[0]).toBe(0);
    expect(starts[starts.length - 1]! + WINDOW).toBe(Math.max(total, WINDOW));
    for (let i = 1; i < starts.length; i += 1) {
      expect(starts[i]! - starts[i - 1]!).toBeGreaterThan(0);
      expect(starts[i]! - starts[i - 1]!).toBeLessThanOrEqual(STEP);
      if (i < starts.length - 1) expect(starts[i]! - starts[i - 1]!).toBe(STEP);
    }
  }

  it('plans one padded window for a 5 s file', () => {
    expect(planWindows(5 * RATE)).toEqual([0]);
    expect(Array.from(windowSamples(new Float32Array(5 * RATE).fill(0.25), 0).subarray(79_999, 80_001))).toEqual([0.25, 0]);
  });

  it('plans exactly one window for a 10 s file', () => {
    expect(planWindows(10 * RATE)).toEqual([0]);
  });

  it('aligns the last window of a 10.5 s file to its end', () => {
    const starts = planWindows(10.5 * RATE);
    expect(starts).toEqual([0, 8_000]);
    expectCovers(starts, 10.5 * RATE);
  });

  it('steps 1 s through a 60 s file and ends at its end', () => {
    const starts = planWindows(60 * RATE);
    expect(starts).toHaveLength(51);
    expectCovers(starts, 60 * RATE);
  });

  it('covers odd lengths and custom steps without gaps', () => {
    for (const total of [160_001, 171_234, 333_333]) expectCovers(planWindows(total), total);
    expect(planWindows(50, { windowSamples: 20, stepSamples: 15 })).toEqual([0, 15, 30]);
    expect(planWindows(0)).toEqual([]);
    expect(() => planWindows(100, { windowSamples: 10, stepSamples: 11 })).toThrow(RangeError);
  });
});

describe('aggregate', () => {
  it('averages where two windows overlap and copies elsewhere', () => {
    const first: WindowFrames = { startSample: 0, values: constantFrames(10, [0.2, 1]) };
    const second: WindowFrames = { startSample: 5 * 270, values: constantFrames(10, [0.6, 0]) };
    const result = aggregate([first, second], { tracks: 2 });
    expect(result.frames).toBe(15);
    expect(Array.from(result.coverage)).toEqual([1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1]);
    for (let frame = 0; frame < 15; frame += 1) {
      const expected = frame < 5 ? [0.2, 1] : frame < 10 ? [0.4, 0.5] : [0.6, 0];
      const actual = rowAt(result.values, 2, frame);
      expect(actual[0], `frame ${frame}`).toBeCloseTo(expected[0]!, 6);
      expect(actual[1], `frame ${frame}`).toBeCloseTo(expected[1]!, 6);
    }
  });

  it('places real-sized windows 1 s apart at frame 59 and leaves uncovered frames at 0', () => {
    const windows = [0, STEP].map((startSample, i) => ({
      startSample,
      values: constantFrames(FRAMES_PER_WINDOW, [i === 0 ? 1 : 0]),
    }));
    const result = aggregate(windows, { tracks: 1, frames: 700 });
    expect(result.values[58]).toBe(1);
    expect(result.values[59]).toBe(0.5);
    expect(result.values[588]).toBe(0.5);
    expect(result.values[589]).toBe(0);
    expect([result.coverage[58], result.coverage[59], result.coverage[647], result.coverage[648]]).toEqual([1, 2, 1, 0]);
  });
});

describe('speakerCountPerFrame', () => {
  it('averages per-window counts of active speakers and rounds halves to even', () => {
    const twoTalking: WindowFrames = { startSample: 0, values: constantFrames(6, [1, 1, 0]) };
    const oneTalking: WindowFrames = { startSample: 3 * 270, values: constantFrames(6, [0, 0, 1]) };
    // overlap: (2 + 1) / 2 = 1.5 → 2
    expect(Array.from(speakerCountPerFrame([twoTalking, oneTalking]))).toEqual([2, 2, 2, 2, 2, 2, 1, 1, 1]);
    const silent: WindowFrames = { startSample: 0, values: constantFrames(4, [0, 0, 0]) };
    const oneLater: WindowFrames = { startSample: 2 * 270, values: constantFrames(4, [0, 1, 0]) };
    // overlap: (0 + 1) / 2 = 0.5 → 0; past the windows: 0
    expect(Array.from(speakerCountPerFrame([silent, oneLater], { frames: 8 }))).toEqual([0, 0, 0, 0, 1, 1, 0, 0]);
  });
});

describe('binarize', () => {
  const curve = Float32Array.from([0.1, 0.5, 0.7, 0.5, 0.45, 0.3, 0.2, 0.65, 0.35, 0.1]);
  const spans = (turns: { start: number; end: number }[]): [number, number][] => turns.map((t) => [t.start, t.end]);

  function expectSpans(actual: [number, number][], expected: [number, number][]): void {
    expect(actual).toHaveLength(expected.length);
    actual.forEach(([start, end], i) => {
      expect(start).toBeCloseTo(expected[i]![0], 9);
      expect(end).toBeCloseTo(expected[i]![1], 9);
    });
  }

  it('switches on above onset and off below offset, frame centre to frame centre', () => {
    expectSpans(spans(binarize(curve, 1, { onset: 0.6, offset: 0.4 })), [
      [centre(2), centre(5)],
      [centre(7), centre(8)],
    ]);
    expectSpans(spans(binarize(curve, 1)), [
      [centre(2), centre(4)],
      [centre(7), centre(8)],
    ]);
  });

  it('fills short gaps, then drops short turns', () => {
    const hysteresis = { onset: 0.6, offset: 0.4 };
    // the gap centre(5) → centre(7) is two frames, 33.75 ms
    expectSpans(spans(binarize(curve, 1, { ...hysteresis, minDurationOff: 0.034 })), [[centre(2), centre(8)]]);
    expectSpans(spans(binarize(curve, 1, { ...hysteresis, minDurationOff: 0.033 })), [
      [centre(2), centre(5)],
      [centre(7), centre(8)],
    ]);
    // the second turn lasts one frame step, 16.875 ms
    expectSpans(spans(binarize(curve, 1, { ...hysteresis, minDurationOn: 0.02 })), [[centre(2), centre(5)]]);
  });

  it('keeps tracks apart, closes turns still open at the end and honours the origin', () => {
    const activity = Float32Array.from([0.9, 0, 0.9, 0, 0.1, 0.8, 0.1, 0.8]); // 4 frames × 2 tracks
    const turns = binarize(activity, 2, { originSeconds: 10 });
    expect(turns.map((t) => t.track)).toEqual([0, 1]);
    expectSpans(spans(turns), [
      [10 + centre(0), 10 + centre(2)],
      [10 + centre(2), 10 + centre(3)],
    ]);
  });
});
