import { describe, expect, it } from 'vitest';
import { LOCAL_SPEAKERS } from '../../src-main/diarization/powerset';
import { reconstructTurns, speakerLabel, type WindowActivity } from '../../src-main/diarization/reconstruct';
import { FRAMES_PER_WINDOW, FRAME_STEP_SAMPLES, frameCenterSeconds } from '../../src-main/diarization/segmentation-windows';

const SR = 16_000;

/** One window whose local speakers are active over the given global time spans (seconds). */
function windowWith(startSample: number, spans: Array<{ local: number; from: number; to: number }>): WindowActivity {
  const activity = new Uint8Array(FRAMES_PER_WINDOW * LOCAL_SPEAKERS);
  const origin = startSample / SR;
  for (let frame = 0; frame < FRAMES_PER_WINDOW; frame += 1) {
    const time = origin + frameCenterSeconds(frame);
    for (const span of spans) if (time >= span.from && time < span.to) activity[frame * LOCAL_SPEAKERS + span.local] = 1;
  }
  return { startSample, activity };
}

describe('reconstructTurns', () => {
  it('maps local speakers through clustering labels and names speakers by first appearance', () => {
    // Two windows; local speaker numbering differs between them (the model's permutation is per window).
    const windows = [
      windowWith(0, [{ local: 0, from: 0, to: 4 }, { local: 1, from: 5, to: 10 }]),
      windowWith(5 * SR, [{ local: 2, from: 5, to: 10 }, { local: 0, from: 11, to: 15 }]),
    ];
    // Cluster 1 = A (talks first), cluster 0 = B.
    const labels: Record<string, number> = { '0:0': 1, '0:1': 0, '1:2': 0, '1:0': 1 };
    const turns = reconstructTurns(windows, { speakerCount: 2, labelOf: (w, l) => labels[`${w}:${l}`] ?? -1, totalSamples: 15 * SR });
    expect(turns.map((t) => t.speaker)).toEqual(['SPEAKER_00', 'SPEAKER_01', 'SPEAKER_00']);
    const tolerance = FRAME_STEP_SAMPLES / SR + 0.01;
    expect(turns[0]!.start).toBeLessThan(frameCenterSeconds(0) + 0.001);
    expect(Math.abs(turns[0]!.end - 4)).toBeLessThan(tolerance);
    expect(Math.abs(turns[1]!.start - 5)).toBeLessThan(tolerance);
    expect(Math.abs(turns[1]!.end - 10)).toBeLessThan(tolerance);
    expect(Math.abs(turns[2]!.start - 11)).toBeLessThan(tolerance);
    expect(turns[2]!.end).toBeLessThanOrEqual(15);
  });

  it('keeps overlapped speech as two speakers where the windows count two', () => {
    const windows = [windowWith(0, [{ local: 0, from: 1, to: 6 }, { local: 1, from: 4, to: 9 }])];
    const turns = reconstructTurns(windows, { speakerCount: 2, labelOf: (_w, l) => (l < 2 ? l : -1), totalSamples: 10 * SR });
    expect(turns).toHaveLength(2);
    const overlap = Math.min(turns[0]!.end, turns[1]!.end) - Math.max(turns[0]!.start, turns[1]!.start);
    expect(overlap).toBeGreaterThan(1.9);
  });

  it('counts two local speakers clustered together once, and leaves unlabelled speakers out', () => {
    const windows = [windowWith(0, [{ local: 0, from: 0, to: 3 }, { local: 1, from: 2, to: 5 }, { local: 2, from: 7, to: 8 }])];
    const turns = reconstructTurns(windows, { speakerCount: 1, labelOf: (_w, l) => (l < 2 ? 0 : -1), totalSamples: 10 * SR });
    expect(turns).toHaveLength(1);
    expect(turns[0]!.speaker).toBe(speakerLabel(0));
    expect(turns[0]!.end).toBeLessThan(5.1);
  });

  it('bridges gaps shorter than minDurationOff and drops nothing else', () => {
    const windows = [windowWith(0, [{ local: 0, from: 1, to: 3 }, { local: 0, from: 3.05, to: 5 }, { local: 0, from: 6, to: 8 }])];
    const turns = reconstructTurns(windows, { speakerCount: 1, labelOf: () => 0, totalSamples: 10 * SR });
    expect(turns).toHaveLength(2);
  });

  it('returns nothing without speakers or windows', () => {
    expect(reconstructTurns([], { speakerCount: 2, labelOf: () => 0, totalSamples: 0 })).toEqual([]);
    expect(reconstructTurns([windowWith(0, [{ local: 0, from: 0, to: 1 }])], { speakerCount: 0, labelOf: () => -1, totalSamples: SR })).toEqual([]);
  });
});
