import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FBANK_BINS,
  FBANK_FRAME_LENGTH,
  FBANK_FRAME_SHIFT,
  computeFbank,
  fbankFrameCount,
  subtractFrameMean,
  type FbankWindow,
} from '../../src-main/diarization/fbank';
import { RealFft } from '../../src-main/diarization/fft';
import { audioFile, decodeAll, makeTempDir, realDecoder } from '../audio/helpers';
import { REPO_ROOT } from '../support/paths';

const REFERENCE_SCRIPT = path.join(REPO_ROOT, 'tools/models/fbank_reference.py');
/**
 * kaldi-native-fbank computes in float32, so a bin more than ln(1/float32 eps) ≈ 16 nats below its frame's
 * loudest bin sits in the reference's own rounding noise; only bins above that are held to the tolerance.
 */
const REFERENCE_DYNAMIC_RANGE = 16;

function referenceFbank(input: string, window: FbankWindow, out: string): Float32Array {
  const python = process.env.VERBATIM_PYTHON ?? 'python3';
  const printed = execFileSync(python, [REFERENCE_SCRIPT, input, '--window', window, '--out', out], { encoding: 'utf8' });
  const bytes = readFileSync(out);
  const features = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
  expect(JSON.parse(printed)).toEqual({ frames: features.length / FBANK_BINS, bins: FBANK_BINS });
  return features;
}

/** Largest |a − b| over the bins the reference resolves, and how many bins that covered. */
function compareResolved(reference: Float32Array, actual: Float32Array): { maxDifference: number; compared: number } {
  let maxDifference = 0;
  let compared = 0;
  for (let frame = 0; frame < reference.length / FBANK_BINS; frame += 1) {
    const row = reference.subarray(frame * FBANK_BINS, (frame + 1) * FBANK_BINS);
    const floor = Math.max(...row) - REFERENCE_DYNAMIC_RANGE;
    for (let bin = 0; bin < FBANK_BINS; bin += 1) {
      if (row[bin]! <= floor) continue;
      compared += 1;
      maxDifference = Math.max(maxDifference, Math.abs(row[bin]! - actual[frame * FBANK_BINS + bin]!));
    }
  }
  return { maxDifference, compared };
}

function sine(frequency: number, seconds: number, amplitude: number): Float32Array {
  const samples = new Float32Array(16_000 * seconds);
  for (let i = 0; i < samples.length; i += 1) samples[i] = amplitude * Math.sin((2 * Math.PI * frequency * i) / 16_000);
  return samples;
}

describe('Kaldi fbank front-end', () => {
  let temp: { dir: string; cleanup: () => Promise<void> };
  let jfk: Float32Array;

  beforeAll(async () => {
    temp = await makeTempDir('fbank');
    jfk = await decodeAll(realDecoder(), audioFile('jfk.wav'));
  });
  afterAll(async () => {
    await temp.cleanup();
  });

  for (const window of ['povey', 'hamming'] as const) {
    it(`matches kaldi-native-fbank on jfk.wav (${window} window)`, () => {
      const reference = referenceFbank(audioFile('jfk.wav'), window, path.join(temp.dir, `jfk-${window}.f32`));
      const features = computeFbank(jfk, window);
      expect(features.length).toBe(reference.length);
      const { maxDifference, compared } = compareResolved(reference, features);
      expect(compared).toBeGreaterThan(0.9 * reference.length);
      expect(maxDifference).toBeLessThan(1e-3);
    });

    it(`matches kaldi-native-fbank on a 1 s 440 Hz sine (${window} window)`, () => {
      const samples = sine(440, 1, 0.5);
      const input = path.join(temp.dir, `sine-${window}.f32`);
      writeFileSync(input, Buffer.from(samples.buffer));
      const reference = referenceFbank(input, window, path.join(temp.dir, `sine-${window}-features.f32`));
      const features = computeFbank(samples, window);
      expect(features.length).toBe(reference.length);
      expect(features.length).toBe(fbankFrameCount(samples.length) * FBANK_BINS);
      const { maxDifference, compared } = compareResolved(reference, features);
      expect(compared).toBeGreaterThan(0.25 * reference.length);
      expect(maxDifference).toBeLessThan(1e-3);
    });
  }

  it('counts only whole frames (snip_edges)', () => {
    const expected = (n: number): number => (n < FBANK_FRAME_LENGTH ? 0 : 1 + Math.floor((n - FBANK_FRAME_LENGTH) / FBANK_FRAME_SHIFT));
    for (const n of [0, 1, 399, 400, 401, 559, 560, 561, 16_000, 176_000]) {
      expect(fbankFrameCount(n)).toBe(expected(n));
      expect(computeFbank(new Float32Array(n)).length).toBe(expected(n) * FBANK_BINS);
    }
    expect([399, 400, 559, 560].map(fbankFrameCount)).toEqual([0, 1, 1, 2]);
  });

  it('floors silent frames at log(float32 eps) instead of -Infinity', () => {
    const features = computeFbank(new Float32Array(FBANK_FRAME_LENGTH));
    expect(features.every((value) => value === Math.fround(Math.log(2 ** -23)))).toBe(true);
  });

  it('mean normalisation centres every column and keeps each frame’s deviation', () => {
    const features = computeFbank(jfk);
    const normalised = subtractFrameMean(features);
    const frames = features.length / FBANK_BINS;
    for (let bin = 0; bin < FBANK_BINS; bin += 1) {
      let sum = 0;
      for (let frame = 0; frame < frames; frame += 1) sum += normalised[frame * FBANK_BINS + bin]!;
      expect(Math.abs(sum / frames)).toBeLessThan(1e-4);
      const shift = features[bin]! - normalised[bin]!;
      expect(features[(frames - 1) * FBANK_BINS + bin]! - normalised[(frames - 1) * FBANK_BINS + bin]!).toBeCloseTo(shift, 4);
    }
    expect(subtractFrameMean(new Float32Array(0)).length).toBe(0);
  });

  it('real FFT power spectrum equals a direct DFT', () => {
    const size = 64;
    const input = Float64Array.from({ length: size }, (_, i) => Math.sin(i * 1.7) + 0.3 * Math.cos(i * i * 0.05) + 0.1);
    const power = new Float64Array(size / 2 + 1);
    new RealFft(size).powerSpectrum(input, power);
    for (let k = 0; k <= size / 2; k += 1) {
      let re = 0;
      let im = 0;
      for (let n = 0; n < size; n += 1) {
        re += input[n]! * Math.cos((2 * Math.PI * k * n) / size);
        im -= input[n]! * Math.sin((2 * Math.PI * k * n) / size);
      }
      expect(power[k]).toBeCloseTo(re * re + im * im, 8);
    }
  });
});
