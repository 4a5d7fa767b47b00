import { describe, expect, it } from 'vitest';
import { StreamingResampler } from '../../../src-main/record/capture/resampler';

function tone(frequency: number, rate: number, seconds: number, channels = 1, amplitude = 0.5): Float32Array {
  const frames = Math.round(rate * seconds);
  const out = new Float32Array(frames * channels);
  for (let i = 0; i < frames; i++) {
    const value = amplitude * Math.sin((2 * Math.PI * frequency * i) / rate);
    for (let c = 0; c < channels; c++) out[i * channels + c] = value;
  }
  return out;
}

function resampleWhole(input: Float32Array, rate: number, channels: number): Float32Array {
  const resampler = new StreamingResampler(rate, channels);
  return concat([resampler.process(input), resampler.flush()]);
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** A seeded generator so a failure can be replayed. */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function rms(samples: Float32Array, from = 0, to = samples.length): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += samples[i]! ** 2;
  return Math.sqrt(sum / Math.max(1, to - from));
}

/** Frequency of the strongest bin of a DFT over [from, to), refined by parabolic interpolation. */
function dominantFrequency(samples: Float32Array, rate: number, from: number, to: number): number {
  const n = to - from;
  let best = 0;
  let bestPower = -1;
  const power = (k: number): number => {
    let re = 0;
    let im = 0;
    for (let i = 0; i < n; i++) {
      const angle = (2 * Math.PI * k * i) / n;
      re += samples[from + i]! * Math.cos(angle);
      im -= samples[from + i]! * Math.sin(angle);
    }
    return re * re + im * im;
  };
  const powers: number[] = [];
  for (let k = 1; k < n / 2; k++) {
    powers[k] = power(k);
    if (powers[k]! > bestPower) {
      bestPower = powers[k]!;
      best = k;
    }
  }
  const left = powers[best - 1] ?? 0;
  const right = powers[best + 1] ?? 0;
  const shift = (0.5 * (left - right)) / (left - 2 * bestPower + right || 1);
  return ((best + shift) * rate) / n;
}

describe('StreamingResampler', () => {
  for (const [rate, channels] of [
    [48000, 2],
    [44100, 1],
    [44100, 2],
    [22050, 1],
    [8000, 1],
  ] as const) {
    it(`${rate} Hz × ${channels}: random chunk sizes give exactly the whole-signal output`, () => {
      const random = lcg(rate + channels);
      const frames = Math.round(rate * 1.3);
      const input = new Float32Array(frames * channels);
      for (let i = 0; i < input.length; i++) input[i] = random() * 2 - 1;
      const whole = resampleWhole(input, rate, channels);

      const chunked = new StreamingResampler(rate, channels);
      const parts: Float32Array[] = [];
      let at = 0;
      while (at < frames) {
        // Sizes from 0 (empty call) to a few thousand frames, including single frames.
        const size = Math.min(frames - at, Math.floor(random() ** 3 * 3000));
        parts.push(chunked.process(input.subarray(at * channels, (at + size) * channels)));
        at += size;
      }
      parts.push(chunked.flush());
      const joined = concat(parts);

      expect(joined.length).toBe(Math.ceil((frames * 16000) / rate));
      expect(joined.length).toBe(whole.length);
      expect(Buffer.from(joined.buffer).equals(Buffer.from(whole.buffer))).toBe(true);
    });
  }

  for (const rate of [48000, 44100]) {
    it(`${rate} Hz: a 1 kHz tone stays 1 kHz with unit gain and no delay`, () => {
      const input = tone(1000, rate, 1);
      const out = resampleWhole(input, rate, 1);
      expect(out.length).toBe(16000);
      const frequency = dominantFrequency(out, 16000, 2000, 2000 + 1600);
      expect(Math.abs(frequency - 1000)).toBeLessThan(2);
      expect(rms(out, 2000, 14000)).toBeCloseTo(0.5 / Math.SQRT2, 2);
      // Group delay compensated: the output lines up sample for sample with the ideal 16 kHz tone.
      const ideal = tone(1000, 16000, 1);
      let maxError = 0;
      for (let i = 2000; i < 14000; i++) maxError = Math.max(maxError, Math.abs(out[i]! - ideal[i]!));
      expect(maxError).toBeLessThan(1e-3);
    });

    it(`${rate} Hz: 7.9 kHz (just under the 8 kHz output Nyquist) is attenuated by more than 60 dB`, () => {
      const input = tone(7900, rate, 1);
      const out = resampleWhole(input, rate, 1);
      const ratioDb = 20 * Math.log10(rms(out, 1000, 15000) / (0.5 / Math.SQRT2));
      expect(ratioDb).toBeLessThan(-60);
    });

    it(`${rate} Hz: tones above the output Nyquist do not alias back (12 kHz, 20 kHz)`, () => {
      for (const frequency of [12000, 20000]) {
        const out = resampleWhole(tone(frequency, rate, 0.5), rate, 1);
        expect(20 * Math.log10(rms(out, 500, 7500) / (0.5 / Math.SQRT2))).toBeLessThan(-70);
      }
    });
  }

  it('48 kHz: speech-band tones (300 Hz – 6 kHz) pass within 0.1 dB', () => {
    for (const frequency of [300, 3000, 6000]) {
      const out = resampleWhole(tone(frequency, 48000, 0.5), 48000, 1);
      const gainDb = 20 * Math.log10(rms(out, 500, 7500) / (0.5 / Math.SQRT2));
      expect(Math.abs(gainDb)).toBeLessThan(0.1);
    }
  });

  it('downmixes as the mean of the channels', () => {
    const frames = 4800;
    const opposite = new Float32Array(frames * 2);
    const four = new Float32Array(frames * 4);
    for (let i = 0; i < frames; i++) {
      const value = 0.5 * Math.sin((2 * Math.PI * 440 * i) / 48000);
      opposite[2 * i] = value;
      opposite[2 * i + 1] = -value;
      four.set([value, value, 0, 2 * value], 4 * i); // mean = value
    }
    expect(rms(resampleWhole(opposite, 48000, 2))).toBeLessThan(1e-7);
    const mono = resampleWhole(tone(440, 48000, 0.1), 48000, 1);
    const fromFour = resampleWhole(four, 48000, 4);
    for (let i = 0; i < mono.length; i++) expect(fromFour[i]).toBeCloseTo(mono[i]!, 6);
  });

  it('16 kHz mono in is passed through unchanged', () => {
    const input = tone(440, 16000, 0.2);
    const resampler = new StreamingResampler(16000, 1);
    expect(Array.from(resampler.process(input))).toEqual(Array.from(input));
    expect(resampler.flush().length).toBe(0);
  });

  it('rejects a block that is not whole frames, and bad rates', () => {
    expect(() => new StreamingResampler(48000, 2).process(new Float32Array(3))).toThrow(RangeError);
    expect(() => new StreamingResampler(0, 1)).toThrow(RangeError);
    expect(() => new StreamingResampler(44100.5, 1)).toThrow(RangeError);
  });
});
