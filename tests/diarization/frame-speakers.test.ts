import { describe, expect, it } from 'vitest';
import { FrameSpeakerReconstructor, type FrameSpeakers } from '../../src-main/diarization/frame-speakers';
import { FRAME_STEP_SAMPLES } from '../../src-main/diarization/segmentation-windows';
import { centre, SR, STEP, windowActivity } from './window-activity';

function reconstruct(windows: [number, Record<number, [number, number][]>][]): FrameSpeakers[] {
  const reconstructor = new FrameSpeakerReconstructor();
  const frames: FrameSpeakers[] = [];
  for (const [start, speakers] of windows) {
    const settled = reconstructor.push(start, windowActivity(start, speakers));
    // Whatever is returned is settled for good: nothing before settledUntil comes back later.
    if (settled.length > 0) expect(settled.at(-1)!.frame).toBeLessThan(reconstructor.settledUntil);
    frames.push(...settled);
  }
  frames.push(...reconstructor.finish());
  return frames;
}

const at = (frames: readonly FrameSpeakers[], seconds: number): number[] => {
  const found = frames.find((entry) => Math.abs(centre(entry.frame) - seconds) < FRAME_STEP_SAMPLES / SR);
  if (found === undefined) throw new Error(`no frame at ${seconds} s`);
  return found.tracks;
};

describe('FrameSpeakerReconstructor', () => {
  it('returns every covered frame once, in order, and follows a voice across windows whose local numbers differ', () => {
    const frames = reconstruct([
      [0, { 0: [[1, 14]] }],
      [STEP, { 2: [[1, 14]] }],
      [2 * STEP, { 1: [[1, 14]] }],
    ]);
    const indices = frames.map((entry) => entry.frame);
    expect(indices).toEqual(Array.from({ length: indices.length }, (_, k) => k));
    expect(centre(indices.at(-1)!)).toBeGreaterThan(19.9);
    const talking = new Set(frames.flatMap((entry) => entry.tracks));
    expect(talking.size).toBe(1);
    expect(at(frames, 0.5)).toEqual([]);
    expect(at(frames, 7)).toHaveLength(1);
    expect(at(frames, 14.5)).toEqual([]);
  });

  it('counts speakers per frame over every window that covers it: overlap heard by one window of two is kept', () => {
    // Voice A (0 s – 12 s) and voice B (6 s – 9 s) overlap at 6–9 s. The first window hears both there; the
    // second window (5–15 s) hears only A from 6 s to 7.5 s, both after. 1 + 2 voices over 2 windows rounds to 2.
    const frames = reconstruct([
      [0, { 0: [[0, 12]], 1: [[6, 9]] }],
      [STEP, { 1: [[0, 12]], 0: [[7.5, 9]] }],
    ]);
    expect(at(frames, 3)).toHaveLength(1);
    expect(at(frames, 6.5)).toHaveLength(2);
    expect(at(frames, 8)).toHaveLength(2);
    expect(at(frames, 10)).toHaveLength(1);
    const [a] = at(frames, 3);
    expect(at(frames, 10)).toEqual([a]);
  });

  it('drops a voice only one window in three hears (a count that rounds down), keeping the best-supported track', () => {
    // Three windows 2.5 s apart all cover 7.5–10 s: all hear A there, only the middle one also hears B.
    const step = STEP / 2;
    const frames = reconstruct([
      [0, { 0: [[0, 12.5]] }],
      [step, { 0: [[0, 12.5]], 1: [[7.5, 10]] }],
      [2 * step, { 0: [[0, 12.5]] }],
    ]);
    const [a] = at(frames, 3);
    expect(at(frames, 8.5)).toEqual([a]);
  });

  it('refuses windows out of order or of partial frames', () => {
    const reconstructor = new FrameSpeakerReconstructor();
    reconstructor.push(STEP, windowActivity(STEP, {}));
    expect(() => reconstructor.push(0, windowActivity(0, {}))).toThrow(RangeError);
    expect(() => reconstructor.push(2 * STEP, new Uint8Array(4))).toThrow(RangeError);
  });
});
