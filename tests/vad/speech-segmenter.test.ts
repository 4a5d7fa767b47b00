import { describe, expect, it } from 'vitest';
import { SpeechSegmenter, type SpeechRegion } from '../../src-main/vad/speech-segmenter';

const FRAME = 512; // 32 ms at 16 kHz

/** Frames of probability from a compact script: '#' speech (0.9), '~' in-between (0.4), '.' silence (0.05). */
function run(script: string, segmenter = new SpeechSegmenter(), totalSamples?: number): { regions: SpeechRegion[]; emittedAt: number[] } {
  const regions: SpeechRegion[] = [];
  const emittedAt: number[] = [];
  for (const [index, symbol] of [...script].entries()) {
    const found = segmenter.push(symbol === '#' ? 0.9 : symbol === '~' ? 0.4 : 0.05);
    regions.push(...found);
    for (let i = 0; i < found.length; i += 1) emittedAt.push(index);
  }
  regions.push(...segmenter.finish(totalSamples));
  return { regions, emittedAt };
}

const frames = (symbol: string, count: number): string => symbol.repeat(count);

describe('SpeechSegmenter', () => {
  it('finds one padded region and emits it once the silence is long enough', () => {
    // 20 silent frames, 30 speech frames (0.96 s), 40 silent frames.
    const { regions, emittedAt } = run(frames('.', 20) + frames('#', 30) + frames('.', 40));
    expect(regions).toEqual([{ startSample: 20 * FRAME - 3200, endSample: 50 * FRAME + 3200 }]);
    // 500 ms = 15.6 frames of silence after frame 50 → emitted at frame 66, long before the end.
    expect(emittedAt).toEqual([66]);
  });

  it('drops speech shorter than 250 ms', () => {
    expect(run(frames('.', 20) + frames('#', 7) + frames('.', 40)).regions).toEqual([]);
    expect(run(frames('.', 20) + frames('#', 9) + frames('.', 40)).regions).toHaveLength(1);
  });

  it('bridges pauses shorter than the minimum silence', () => {
    const { regions } = run(frames('.', 20) + frames('#', 20) + frames('.', 10) + frames('#', 20) + frames('.', 40));
    expect(regions).toHaveLength(1);
  });

  it('keeps speech going while the probability stays between the thresholds (hysteresis)', () => {
    const { regions } = run(frames('.', 20) + frames('#', 20) + frames('~', 60) + frames('#', 10) + frames('.', 40));
    expect(regions).toEqual([{ startSample: 20 * FRAME - 3200, endSample: 110 * FRAME + 3200 }]);
  });

  it('does not start speech on in-between probabilities', () => {
    expect(run(frames('~', 100)).regions).toEqual([]);
  });

  it('splits at a long pause, never overlapping the padded regions', () => {
    const { regions } = run(frames('#', 30) + frames('.', 20) + frames('#', 30) + frames('.', 30));
    expect(regions).toHaveLength(2);
    const [first, second] = regions as [SpeechRegion, SpeechRegion];
    expect(first.startSample).toBe(0);
    expect(first.endSample).toBeLessThanOrEqual(second.startSample);
  });

  it('closes an open region at the real end of the audio on finish', () => {
    const total = 59 * FRAME + 100; // the last frame was zero-padded
    const { regions } = run(frames('.', 20) + frames('#', 40), new SpeechSegmenter(), total);
    expect(regions).toEqual([{ startSample: 20 * FRAME - 3200, endSample: total }]);
  });

  it('honours custom thresholds and durations', () => {
    const segmenter = new SpeechSegmenter({ threshold: 0.3, negativeThreshold: 0.2, speechPadMs: 0, minSilenceMs: 100 });
    const { regions } = run(frames('.', 5) + frames('~', 20) + frames('.', 10), segmenter);
    expect(regions).toEqual([{ startSample: 5 * FRAME, endSample: 25 * FRAME }]);
  });
});
