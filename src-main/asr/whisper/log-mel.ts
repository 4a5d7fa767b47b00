/**
 * Whisper's log-mel spectrogram (the same window, mel filters and log10-max normalisation as transformers.js'
 * WhisperFeatureExtractor, which supplies them) computed with a mixed-radix FFT sized for n_fft = 400, and only
 * over the frames that touch audio: a padded frame of silence has a known value. About 6× less CPU than the
 * transformers.js path for a full 30 s window.
 */

/**
 * A forward complex DFT of one fixed size: kissfft's recursive mixed-radix decimation in time, with its
 * radix-2, -4 and -5 butterflies (400 = 4·4·5·5, 200 = 4·2·5·5) and a generic one for other factors.
 */
class MixedRadixFft {
  private readonly factors: { radix: number; m: number }[] = [];
  private readonly twRe: Float64Array;
  private readonly twIm: Float64Array;
  private readonly scratchRe = new Float64Array(16);
  private readonly scratchIm = new Float64Array(16);

  constructor(readonly size: number) {
    let rest = size;
    let radix = 4;
    while (rest > 1) {
      while (rest % radix !== 0) radix = radix === 4 ? 2 : radix === 2 ? 3 : radix + 2;
      rest /= radix;
      this.factors.push({ radix, m: rest });
    }
    this.twRe = new Float64Array(size);
    this.twIm = new Float64Array(size);
    for (let k = 0; k < size; k += 1) {
      this.twRe[k] = Math.cos((-2 * Math.PI * k) / size);
      this.twIm[k] = Math.sin((-2 * Math.PI * k) / size);
    }
  }

  /** out = DFT(in). */
  transform(inRe: Float64Array, inIm: Float64Array, outRe: Float64Array, outIm: Float64Array): void {
    this.work(outRe, outIm, 0, inRe, inIm, 0, 1, 0);
  }

  private work(
    oRe: Float64Array,
    oIm: Float64Array,
    out: number,
    iRe: Float64Array,
    iIm: Float64Array,
    input: number,
    stride: number,
    level: number,
  ): void {
    const { radix, m } = this.factors[level] as { radix: number; m: number };
    if (m === 1) {
      for (let q = 0; q < radix; q += 1) {
        oRe[out + q] = iRe[input + q * stride] as number;
        oIm[out + q] = iIm[input + q * stride] as number;
      }
    } else {
      for (let q = 0; q < radix; q += 1) this.work(oRe, oIm, out + q * m, iRe, iIm, input + q * stride, stride * radix, level + 1);
    }
    if (radix === 2) this.butterfly2(oRe, oIm, out, stride, m);
    else if (radix === 4) this.butterfly4(oRe, oIm, out, stride, m);
    else if (radix === 5) this.butterfly5(oRe, oIm, out, stride, m);
    else this.butterflyGeneric(oRe, oIm, out, stride, m, radix);
  }

  private butterfly2(re: Float64Array, im: Float64Array, out: number, stride: number, m: number): void {
    for (let k = 0; k < m; k += 1) {
      const a = out + k;
      const b = a + m;
      const wr = this.twRe[k * stride] as number;
      const wi = this.twIm[k * stride] as number;
      const tr = (re[b] as number) * wr - (im[b] as number) * wi;
      const ti = (re[b] as number) * wi + (im[b] as number) * wr;
      re[b] = (re[a] as number) - tr;
      im[b] = (im[a] as number) - ti;
      re[a] = (re[a] as number) + tr;
      im[a] = (im[a] as number) + ti;
    }
  }

  private butterfly4(re: Float64Array, im: Float64Array, out: number, stride: number, m: number): void {
    const twRe = this.twRe;
    const twIm = this.twIm;
    for (let k = 0; k < m; k += 1) {
      const f0 = out + k;
      const f1 = f0 + m;
      const f2 = f0 + 2 * m;
      const f3 = f0 + 3 * m;
      const w1r = twRe[k * stride] as number;
      const w1i = twIm[k * stride] as number;
      const w2r = twRe[2 * k * stride] as number;
      const w2i = twIm[2 * k * stride] as number;
      const w3r = twRe[3 * k * stride] as number;
      const w3i = twIm[3 * k * stride] as number;
      const s0r = (re[f1] as number) * w1r - (im[f1] as number) * w1i;
      const s0i = (re[f1] as number) * w1i + (im[f1] as number) * w1r;
      const s1r = (re[f2] as number) * w2r - (im[f2] as number) * w2i;
      const s1i = (re[f2] as number) * w2i + (im[f2] as number) * w2r;
      const s2r = (re[f3] as number) * w3r - (im[f3] as number) * w3i;
      const s2i = (re[f3] as number) * w3i + (im[f3] as number) * w3r;
      const s5r = (re[f0] as number) - s1r;
      const s5i = (im[f0] as number) - s1i;
      const a0r = (re[f0] as number) + s1r;
      const a0i = (im[f0] as number) + s1i;
      const s3r = s0r + s2r;
      const s3i = s0i + s2i;
      const s4r = s0r - s2r;
      const s4i = s0i - s2i;
      re[f2] = a0r - s3r;
      im[f2] = a0i - s3i;
      re[f0] = a0r + s3r;
      im[f0] = a0i + s3i;
      re[f1] = s5r + s4i;
      im[f1] = s5i - s4r;
      re[f3] = s5r - s4i;
      im[f3] = s5i + s4r;
    }
  }

  private butterfly5(re: Float64Array, im: Float64Array, out: number, stride: number, m: number): void {
    const twRe = this.twRe;
    const twIm = this.twIm;
    const yaR = twRe[stride * m] as number;
    const yaI = twIm[stride * m] as number;
    const ybR = twRe[2 * stride * m] as number;
    const ybI = twIm[2 * stride * m] as number;
    for (let u = 0; u < m; u += 1) {
      const f0 = out + u;
      const f1 = f0 + m;
      const f2 = f0 + 2 * m;
      const f3 = f0 + 3 * m;
      const f4 = f0 + 4 * m;
      const s0r = re[f0] as number;
      const s0i = im[f0] as number;
      const t1 = u * stride;
      const t2 = 2 * t1;
      const t3 = 3 * t1;
      const t4 = 4 * t1;
      const s1r = (re[f1] as number) * (twRe[t1] as number) - (im[f1] as number) * (twIm[t1] as number);
      const s1i = (re[f1] as number) * (twIm[t1] as number) + (im[f1] as number) * (twRe[t1] as number);
      const s2r = (re[f2] as number) * (twRe[t2] as number) - (im[f2] as number) * (twIm[t2] as number);
      const s2i = (re[f2] as number) * (twIm[t2] as number) + (im[f2] as number) * (twRe[t2] as number);
      const s3r = (re[f3] as number) * (twRe[t3] as number) - (im[f3] as number) * (twIm[t3] as number);
      const s3i = (re[f3] as number) * (twIm[t3] as number) + (im[f3] as number) * (twRe[t3] as number);
      const s4r = (re[f4] as number) * (twRe[t4] as number) - (im[f4] as number) * (twIm[t4] as number);
      const s4i = (re[f4] as number) * (twIm[t4] as number) + (im[f4] as number) * (twRe[t4] as number);
      const s7r = s1r + s4r;
      const s7i = s1i + s4i;
      const s10r = s1r - s4r;
      const s10i = s1i - s4i;
      const s8r = s2r + s3r;
      const s8i = s2i + s3i;
      const s9r = s2r - s3r;
      const s9i = s2i - s3i;
      re[f0] = s0r + s7r + s8r;
      im[f0] = s0i + s7i + s8i;
      const s5r = s0r + s7r * yaR + s8r * ybR;
      const s5i = s0i + s7i * yaR + s8i * ybR;
      const s6r = s10i * yaI + s9i * ybI;
      const s6i = -s10r * yaI - s9r * ybI;
      re[f1] = s5r - s6r;
      im[f1] = s5i - s6i;
      re[f4] = s5r + s6r;
      im[f4] = s5i + s6i;
      const s11r = s0r + s7r * ybR + s8r * yaR;
      const s11i = s0i + s7i * ybR + s8i * yaR;
      const s12r = -s10i * ybI + s9i * yaI;
      const s12i = s10r * ybI - s9r * yaI;
      re[f2] = s11r + s12r;
      im[f2] = s11i + s12i;
      re[f3] = s11r - s12r;
      im[f3] = s11i - s12i;
    }
  }

  private butterflyGeneric(re: Float64Array, im: Float64Array, out: number, stride: number, m: number, radix: number): void {
    const size = this.size;
    for (let k = 0; k < m; k += 1) {
      for (let q = 0; q < radix; q += 1) {
        this.scratchRe[q] = re[out + k + q * m] as number;
        this.scratchIm[q] = im[out + k + q * m] as number;
      }
      for (let s = 0; s < radix; s += 1) {
        const index = out + k + s * m;
        let sumRe = 0;
        let sumIm = 0;
        for (let q = 0; q < radix; q += 1) {
          const t = (stride * q * (k + s * m)) % size;
          sumRe += (this.scratchRe[q] as number) * (this.twRe[t] as number) - (this.scratchIm[q] as number) * (this.twIm[t] as number);
          sumIm += (this.scratchRe[q] as number) * (this.twIm[t] as number) + (this.scratchIm[q] as number) * (this.twRe[t] as number);
        }
        re[index] = sumRe;
        im[index] = sumIm;
      }
    }
  }
}

/** The DFT of a real signal of even length n (bins 0 … n/2), by one complex DFT of n/2 points (kissfftr). */
class RealFft {
  private readonly half: number;
  private readonly fft: MixedRadixFft;
  private readonly zRe: Float64Array;
  private readonly zIm: Float64Array;
  private readonly spectrumRe: Float64Array;
  private readonly spectrumIm: Float64Array;
  private readonly twRe: Float64Array;
  private readonly twIm: Float64Array;

  constructor(size: number) {
    this.half = size / 2;
    this.fft = new MixedRadixFft(this.half);
    this.zRe = new Float64Array(this.half);
    this.zIm = new Float64Array(this.half);
    this.spectrumRe = new Float64Array(this.half);
    this.spectrumIm = new Float64Array(this.half);
    this.twRe = new Float64Array(this.half + 1);
    this.twIm = new Float64Array(this.half + 1);
    for (let k = 0; k <= this.half; k += 1) {
      this.twRe[k] = Math.cos((-2 * Math.PI * k) / size);
      this.twIm[k] = Math.sin((-2 * Math.PI * k) / size);
    }
  }

  /** |X[k]|² for k = 0 … n/2 into `power`. */
  powerSpectrum(signal: Float64Array, power: Float64Array): void {
    const half = this.half;
    for (let n = 0; n < half; n += 1) {
      this.zRe[n] = signal[2 * n] as number;
      this.zIm[n] = signal[2 * n + 1] as number;
    }
    this.fft.transform(this.zRe, this.zIm, this.spectrumRe, this.spectrumIm);
    const zr = this.spectrumRe;
    const zi = this.spectrumIm;
    for (let k = 0; k <= half; k += 1) {
      const a = k % half;
      const b = (half - k) % half;
      // Even and odd halves of X from Z[k] and conj(Z[n/2 − k]).
      const evenRe = ((zr[a] as number) + (zr[b] as number)) / 2;
      const evenIm = ((zi[a] as number) - (zi[b] as number)) / 2;
      const oddRe = ((zi[a] as number) + (zi[b] as number)) / 2;
      const oddIm = -((zr[a] as number) - (zr[b] as number)) / 2;
      const wr = this.twRe[k] as number;
      const wi = this.twIm[k] as number;
      const re = evenRe + oddRe * wr - oddIm * wi;
      const im = evenIm + oddRe * wi + oddIm * wr;
      power[k] = re * re + im * im;
    }
  }
}

export interface LogMelConfig {
  /** The analysis window (n_fft samples). */
  window: Float64Array;
  /** [mels][n_fft / 2 + 1] */
  melFilters: readonly (readonly number[])[];
  hopLength: number;
  /** Frames in a window (3000 for 30 s). */
  frames: number;
}

const MEL_FLOOR = 1e-10;

export class LogMelSpectrogram {
  private readonly fft: RealFft;
  private readonly nFft: number;
  private readonly bins: number;
  private readonly mels: number;
  /** Each mel filter's non-zero span of frequency bins, with its weights. */
  private readonly filters: { first: number; weights: Float64Array }[];

  constructor(private readonly config: LogMelConfig) {
    this.nFft = config.window.length;
    this.fft = new RealFft(this.nFft);
    this.bins = Math.floor(this.nFft / 2) + 1;
    this.mels = config.melFilters.length;
    this.filters = config.melFilters.map((row) => {
      let first = row.findIndex((weight) => weight !== 0);
      if (first < 0) first = 0;
      let last = row.length - 1;
      while (last > first && row[last] === 0) last -= 1;
      return { first, weights: Float64Array.from(row.slice(first, last + 1)) };
    });
  }

  /**
   * [mels, frames] of `waveform` (already padded to the window's length with zeros), normalised as Whisper's
   * front-end does: log10, floored at the maximum minus 8, then (x + 4) / 4.
   */
  compute(waveform: Float32Array): Float32Array {
    const { hopLength, frames, window } = this.config;
    const pad = Math.floor(this.nFft / 2);
    let lastSound = waveform.length;
    while (lastSound > 0 && waveform[lastSound - 1] === 0) lastSound -= 1;
    // Frames whose reflect-padded input may touch audio; the rest see only zeros.
    const liveFrames = lastSound === 0 ? 0 : Math.min(frames, Math.ceil((lastSound + pad) / hopLength) + 1);
    const out = new Float32Array(this.mels * frames);
    const frameSignal = new Float64Array(this.nFft);
    const power = new Float64Array(this.bins);
    const length = waveform.length;
    let maxLog = -Infinity;
    for (let frame = 0; frame < liveFrames; frame += 1) {
      const start = frame * hopLength - pad;
      for (let j = 0; j < this.nFft; j += 1) {
        let index = start + j;
        // Centre padding by reflection, as numpy's "reflect" (the edge sample is not repeated).
        if (index < 0) index = -index;
        else if (index >= length) index = 2 * (length - 1) - index;
        frameSignal[j] = (waveform[index] as number) * (window[j] as number);
      }
      this.fft.powerSpectrum(frameSignal, power);
      for (let mel = 0; mel < this.mels; mel += 1) {
        const filter = this.filters[mel] as { first: number; weights: Float64Array };
        let energy = 0;
        for (let w = 0; w < filter.weights.length; w += 1) energy += (filter.weights[w] as number) * (power[filter.first + w] as number);
        const logEnergy = Math.log10(Math.max(MEL_FLOOR, Math.fround(energy)));
        out[mel * frames + frame] = logEnergy;
        if (logEnergy > maxLog) maxLog = logEnergy;
      }
    }
    // Frames of silence: log10 of the floor, unless some live frame was quieter.
    const silent = Math.log10(MEL_FLOOR);
    if (liveFrames < frames && silent > maxLog) maxLog = silent;
    const floor = maxLog - 8;
    for (let mel = 0; mel < this.mels; mel += 1) {
      const row = mel * frames;
      for (let frame = 0; frame < frames; frame += 1) {
        const value = frame < liveFrames ? (out[row + frame] as number) : silent;
        out[row + frame] = (Math.max(value, floor) + 4) / 4;
      }
    }
    return out;
  }
}
