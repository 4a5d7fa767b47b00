import { RealFft } from './fft';

/**
 * Kaldi-compatible log-mel filterbank (as kaldi-native-fbank / torchaudio.compliance.kaldi.fbank) with the
 * settings speaker-embedding models (WeSpeaker ResNet34, 3D-Speaker CAM++) are trained with: 16 kHz, 25 ms
 * frames every 10 ms, snip_edges, DC removal, pre-emphasis 0.97, 512-point FFT, power spectrum, 80 mel bins
 * from 20 Hz to Nyquist, log floored at float32 epsilon, no energy column, no dither.
 */
export const FBANK_SAMPLE_RATE = 16_000;
export const FBANK_FRAME_LENGTH = 400;
export const FBANK_FRAME_SHIFT = 160;
export const FBANK_BINS = 80;

const FFT_SIZE = 512;
const PREEMPHASIS = 0.97;
const LOW_FREQUENCY_HZ = 20;
const LOG_FLOOR = 1.1920928955078125e-7;

/** 'povey' is Kaldi's default (3D-Speaker); WeSpeaker's recipes pass window_type='hamming'. */
export type FbankWindow = 'povey' | 'hamming';

export interface FbankOptions {
  window?: FbankWindow;
  /** Factor applied to [-1, 1] samples first; WeSpeaker scales to the int16 range. */
  inputScale?: number;
}

/** Frames produced for `sampleCount` samples with snip_edges: only whole frames. */
export function fbankFrameCount(sampleCount: number): number {
  if (sampleCount < FBANK_FRAME_LENGTH) return 0;
  return 1 + Math.floor((sampleCount - FBANK_FRAME_LENGTH) / FBANK_FRAME_SHIFT);
}

function analysisWindow(kind: FbankWindow): Float64Array {
  const window = new Float64Array(FBANK_FRAME_LENGTH);
  const step = (2 * Math.PI) / (FBANK_FRAME_LENGTH - 1);
  for (let i = 0; i < FBANK_FRAME_LENGTH; i += 1) {
    window[i] = kind === 'povey' ? (0.5 - 0.5 * Math.cos(step * i)) ** 0.85 : 0.54 - 0.46 * Math.cos(step * i);
  }
  return window;
}

const melScale = (hz: number): number => 1127 * Math.log(1 + hz / 700);

/** Triangular filters on Kaldi's mel scale, stored sparsely: each bin's first FFT index and its weights. */
interface MelFilters {
  firstIndex: Int32Array;
  weights: Float64Array[];
}

function melFilters(): MelFilters {
  const fftBins = FFT_SIZE / 2;
  const binWidthHz = FBANK_SAMPLE_RATE / FFT_SIZE;
  const melLow = melScale(LOW_FREQUENCY_HZ);
  const melHigh = melScale(FBANK_SAMPLE_RATE / 2);
  const melDelta = (melHigh - melLow) / (FBANK_BINS + 1);
  const firstIndex = new Int32Array(FBANK_BINS);
  const weights: Float64Array[] = [];
  for (let bin = 0; bin < FBANK_BINS; bin += 1) {
    const left = melLow + bin * melDelta;
    const center = left + melDelta;
    const right = center + melDelta;
    const row: number[] = [];
    let first = -1;
    for (let i = 0; i < fftBins; i += 1) {
      const mel = melScale(binWidthHz * i);
      if (mel <= left || mel >= right) continue;
      if (first < 0) first = i;
      row.push(mel <= center ? (mel - left) / (center - left) : (right - mel) / (right - center));
    }
    firstIndex[bin] = Math.max(first, 0);
    weights.push(Float64Array.from(row));
  }
  return { firstIndex, weights };
}

export class KaldiFbank {
  private readonly window: Float64Array;
  private readonly filters = melFilters();
  private readonly fft = new RealFft(FFT_SIZE);
  private readonly inputScale: number;
  private readonly frame = new Float64Array(FFT_SIZE);
  private readonly power = new Float64Array(FFT_SIZE / 2 + 1);

  constructor(options: FbankOptions = {}) {
    this.window = analysisWindow(options.window ?? 'povey');
    this.inputScale = options.inputScale ?? 32768;
  }

  /** Features for mono 16 kHz samples in [-1, 1]: frames × 80, row-major. */
  compute(samples: Float32Array): Float32Array {
    const frames = fbankFrameCount(samples.length);
    const features = new Float32Array(frames * FBANK_BINS);
    for (let f = 0; f < frames; f += 1) {
      this.loadFrame(samples, f * FBANK_FRAME_SHIFT);
      this.fft.powerSpectrum(this.frame, this.power);
      this.applyFilters(features, f * FBANK_BINS);
    }
    return features;
  }

  /** DC removal, pre-emphasis and windowing into the zero-padded FFT buffer. */
  private loadFrame(samples: Float32Array, start: number): void {
    const { frame, window, inputScale } = this;
    let sum = 0;
    for (let i = 0; i < FBANK_FRAME_LENGTH; i += 1) {
      const value = samples[start + i]! * inputScale;
      frame[i] = value;
      sum += value;
    }
    const mean = sum / FBANK_FRAME_LENGTH;
    let previous = frame[0]! - mean;
    frame[0] = previous * (1 - PREEMPHASIS) * window[0]!;
    for (let i = 1; i < FBANK_FRAME_LENGTH; i += 1) {
      const current = frame[i]! - mean;
      frame[i] = (current - PREEMPHASIS * previous) * window[i]!;
      previous = current;
    }
    frame.fill(0, FBANK_FRAME_LENGTH);
  }

  private applyFilters(features: Float32Array, offset: number): void {
    const { power } = this;
    const { firstIndex, weights } = this.filters;
    for (let bin = 0; bin < FBANK_BINS; bin += 1) {
      const row = weights[bin]!;
      const first = firstIndex[bin]!;
      let energy = 0;
      for (let j = 0; j < row.length; j += 1) energy += row[j]! * power[first + j]!;
      features[offset + bin] = Math.log(Math.max(energy, LOG_FLOOR));
    }
  }
}

const defaultExtractors = new Map<FbankWindow, KaldiFbank>();

/** Log-mel features (frames × 80, row-major) with the default int16 input scaling. */
export function computeFbank(samples: Float32Array, window: FbankWindow = 'povey'): Float32Array {
  let extractor = defaultExtractors.get(window);
  if (!extractor) {
    extractor = new KaldiFbank({ window });
    defaultExtractors.set(window, extractor);
  }
  return extractor.compute(samples);
}

/** Per-utterance cepstral mean normalisation: subtracts each column's mean over frames (returns a copy). */
export function subtractFrameMean(features: Float32Array, bins: number = FBANK_BINS): Float32Array {
  const frames = Math.floor(features.length / bins);
  const normalised = new Float32Array(features.length);
  if (frames === 0) return normalised;
  const means = new Float64Array(bins);
  for (let f = 0; f < frames; f += 1) {
    for (let b = 0; b < bins; b += 1) means[b] = means[b]! + features[f * bins + b]!;
  }
  for (let b = 0; b < bins; b += 1) means[b] = means[b]! / frames;
  for (let f = 0; f < frames; f += 1) {
    for (let b = 0; b < bins; b += 1) normalised[f * bins + b] = features[f * bins + b]! - means[b]!;
  }
  return normalised;
}
