import { describe, expect, it } from 'vitest';
import { planWindows } from '../../src-main/diarization/segmentation-windows';
import { StreamingWindower, type AudioWindow } from '../../src-main/diarization/streaming-windows';

/** A ramp: sample i holds i, so every window's content says where it came from. */
function ramp(length: number): Float32Array {
  return Float32Array.from({ length }, (_, index) => index);
}

function streamInChunks(
  audio: Float32Array,
  chunkSizes: readonly number[],
  windowSamples: number,
  stepSamples: number,
): { windows: AudioWindow[]; peakBuffer: number } {
  const windower = new StreamingWindower({ windowSamples, stepSamples });
  const windows: AudioWindow[] = [];
  let offset = 0;
  let turn = 0;
  let peakBuffer = 0;
  while (offset < audio.length) {
    const size = chunkSizes[turn % chunkSizes.length]!;
    windows.push(...windower.push(audio.subarray(offset, Math.min(audio.length, offset + size))));
    offset += size;
    turn += 1;
    peakBuffer = Math.max(peakBuffer, (windower as unknown as { buffer: Float32Array }).buffer.length);
  }
  windows.push(...windower.finish());
  return { windows, peakBuffer };
}

describe('StreamingWindower', () => {
  const cases: Array<[total: number, window: number, step: number, chunks: number[]]> = [
    [0, 100, 10, [7]],
    [1, 100, 10, [7]],
    [99, 100, 10, [7]],
    [100, 100, 10, [100]],
    [101, 100, 10, [3, 50]],
    [1000, 100, 10, [1]],
    [1005, 100, 10, [33, 250, 1]],
    [1000, 100, 100, [64]],
    [12_345, 1000, 370, [999, 1, 4096]],
  ];

  it.each(cases)(
    'cuts %i samples (window %i, step %i) exactly where planWindows does, with the right audio',
    (total, window, step, chunks) => {
      const audio = ramp(total);
      const { windows } = streamInChunks(audio, chunks, window, step);
      expect(windows.map((w) => w.startSample)).toEqual(planWindows(total, { windowSamples: window, stepSamples: step }));
      for (const w of windows) {
        expect(w.samples.length).toBe(window);
        for (let i = 0; i < window; i += 1) {
          const source = w.startSample + i;
          expect(w.samples[i]).toBe(source < total ? source : 0);
        }
      }
    },
  );

  it('holds about two windows of audio however long the stream is', () => {
    const { windows, peakBuffer } = streamInChunks(ramp(200_000), [1000], 1000, 100);
    expect(windows.length).toBe(1991);
    expect(peakBuffer).toBeLessThanOrEqual(2000);
  });

  it('gives back the memory a single huge chunk needed', () => {
    const windower = new StreamingWindower({ windowSamples: 100, stepSamples: 50 });
    const windows = windower.push(ramp(10_000));
    expect(windows.length).toBe(199);
    windower.push(ramp(10));
    expect((windower as unknown as { buffer: Float32Array }).buffer.length).toBeLessThanOrEqual(200);
  });

  it('refuses audio after the end and bad geometry', () => {
    const windower = new StreamingWindower({ windowSamples: 10, stepSamples: 5 });
    windower.finish();
    expect(() => windower.push(new Float32Array(3))).toThrow(/after finish/);
    expect(windower.finish()).toEqual([]);
    expect(() => new StreamingWindower({ windowSamples: 10, stepSamples: 11 })).toThrow(RangeError);
    expect(() => new StreamingWindower({ windowSamples: 0 })).toThrow(RangeError);
  });
});
