import { ENGINE_SAMPLE_RATE } from '../../audio/types';

/**
 * Streaming conversion of interleaved float32 at any rate and channel count to mono float32 at one
 * output rate (16 kHz for ASR by default): downmix = mean of the channels, then a rational polyphase
 * resampler whose prototype is a Kaiser-windowed sinc (≈ 80 dB stopband, passband to 0.79 × the lower
 * Nyquist, stopband from 0.96 ×: for 16 kHz out, flat to 6.3 kHz and silent above 7.7 kHz).
 *
 * All state (the last taps' worth of input, the output phase) lives in the instance, so feeding a
 * signal in any chunking yields bit-identical output to feeding it whole. The filter's group delay is
 * compensated: output sample n lines up with input time n / outputRate. `flush()` emits the tail, so
 * over a whole stream the output holds ceil(inputFrames × outputRate / inputRate) samples.
 * `process` allocates only its result.
 */
export class StreamingResampler {
  readonly inputRate: number;
  readonly channels: number;
  readonly outputRate: number;
  /** Upsampling factor L and decimation factor M of inputRate × L / M = outputRate. */
  private readonly up: number;
  private readonly down: number;
  private readonly tapsPerPhase: number;
  /** Per phase p, the taps in chronological order of the inputs they weigh (oldest first). */
  private readonly phaseTaps: Float32Array;
  /** The last `tapsPerPhase` mono inputs, written twice so any window is one contiguous run. */
  private readonly history: Float64Array;
  private writeAt = 0;
  /** Mono input samples taken in so far. */
  private inputCount = 0;
  /** The next output's position in the input: integer part and phase (its remainder in 1/L steps). */
  private nextInputIndex: number;
  private nextPhase: number;
  private emitted = 0;
  private flushed = false;

  constructor(inputRate: number, channels: number, outputRate: number = ENGINE_SAMPLE_RATE) {
    if (!Number.isInteger(inputRate) || inputRate <= 0) throw new RangeError(`input rate must be a positive integer, got ${inputRate}`);
    if (!Number.isInteger(outputRate) || outputRate <= 0) throw new RangeError(`output rate must be a positive integer, got ${outputRate}`);
    if (!Number.isInteger(channels) || channels <= 0) throw new RangeError(`channels must be a positive integer, got ${channels}`);
    this.inputRate = inputRate;
    this.channels = channels;
    this.outputRate = outputRate;
    const divisor = gcd(inputRate, outputRate);
    this.up = outputRate / divisor;
    this.down = inputRate / divisor;
    const design = designPolyphase(this.up, this.down);
    this.tapsPerPhase = design.tapsPerPhase;
    this.phaseTaps = design.phaseTaps;
    this.history = new Float64Array(2 * this.tapsPerPhase);
    // Start `delay` outputs late in the filter's own timeline so that output 0 is input time 0.
    const start = design.delayOutputs * this.down;
    this.nextInputIndex = Math.floor(start / this.up);
    this.nextPhase = start - this.nextInputIndex * this.up;
  }

  /** Resamples the next block (interleaved, `channels` per frame); returns the outputs now complete. */
  process(interleaved: Float32Array): Float32Array {
    if (this.flushed) throw new Error('StreamingResampler: process after flush');
    if (interleaved.length % this.channels !== 0) {
      throw new RangeError(`block of ${interleaved.length} samples is not a whole number of ${this.channels}-channel frames`);
    }
    const frames = interleaved.length / this.channels;
    const out = new Float32Array(this.outputsAvailable(this.inputCount + frames) - this.emitted);
    let written = 0;
    const channels = this.channels;
    const scale = 1 / channels;
    for (let frame = 0; frame < frames; frame++) {
      let sum = 0;
      const base = frame * channels;
      for (let c = 0; c < channels; c++) sum += interleaved[base + c]!;
      written = this.push(channels === 1 ? sum : sum * scale, out, written);
    }
    this.emitted += written;
    return out;
  }

  /** Ends the stream: the outputs still held back by the filter delay, as if silence followed. */
  flush(): Float32Array {
    if (this.flushed) return new Float32Array(0);
    this.flushed = true;
    const total = Math.ceil((this.inputCount * this.up) / this.down);
    const out = new Float32Array(Math.max(0, total - this.emitted));
    let written = 0;
    while (written < out.length) written = this.push(0, out, written);
    this.emitted += written;
    return out;
  }

  /** Output samples the filter can compute once `inputs` mono samples have arrived. */
  private outputsAvailable(inputs: number): number {
    // Output k (after the delay offset) needs input index floor((k + offset) × M / L) < inputs.
    const firstPosition = this.nextInputIndex * this.up + this.nextPhase - this.emitted * this.down;
    return Math.max(0, Math.ceil((inputs * this.up - firstPosition) / this.down));
  }

  private push(sample: number, out: Float32Array, written: number): number {
    const taps = this.tapsPerPhase;
    const history = this.history;
    history[this.writeAt] = sample;
    history[this.writeAt + taps] = sample;
    this.writeAt = this.writeAt + 1 === taps ? 0 : this.writeAt + 1;
    const newest = this.inputCount;
    this.inputCount++;
    const coefficients = this.phaseTaps;
    while (this.nextInputIndex === newest && written < out.length) {
      // The window of the last `taps` inputs, oldest first, starts at writeAt.
      const windowStart = this.writeAt;
      const phaseStart = this.nextPhase * taps;
      let acc = 0;
      for (let t = 0; t < taps; t++) acc += coefficients[phaseStart + t]! * history[windowStart + t]!;
      out[written++] = acc;
      this.nextPhase += this.down;
      while (this.nextPhase >= this.up) {
        this.nextPhase -= this.up;
        this.nextInputIndex++;
      }
    }
    return written;
  }
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

interface PolyphaseDesign {
  tapsPerPhase: number;
  phaseTaps: Float32Array;
  /** The prototype's group delay in output samples (a whole number by construction). */
  delayOutputs: number;
}

const STOPBAND_DB = 80;
/** Passband edge and stopband start as fractions of the lower of the two Nyquist frequencies. */
const PASSBAND_EDGE = 0.79;
const STOPBAND_EDGE = 0.96;

function designPolyphase(up: number, down: number): PolyphaseDesign {
  if (up === 1 && down === 1) return { tapsPerPhase: 1, phaseTaps: new Float32Array([1]), delayOutputs: 0 };
  // Frequencies as fractions of the upsampled rate (input rate × L).
  const nyquist = 0.5 / Math.max(up, down);
  const cutoff = ((PASSBAND_EDGE + STOPBAND_EDGE) / 2) * nyquist;
  const transition = (STOPBAND_EDGE - PASSBAND_EDGE) * nyquist;
  // Kaiser's estimates for the length and the window's beta.
  const length = Math.ceil((STOPBAND_DB - 8) / (2.285 * 2 * Math.PI * transition)) + 1;
  // Room to put the centre on a multiple of M, so the delay is a whole number of output samples.
  const tapsPerPhase = Math.ceil((length + 2 * down) / up);
  const total = tapsPerPhase * up;
  const centre = Math.floor((total - 1) / 2 / down) * down;
  const halfWidth = centre + 1;
  const beta = 0.1102 * (STOPBAND_DB - 8.7);
  const prototype = new Float64Array(total);
  const besselBeta = besselI0(beta);
  for (let j = 0; j <= 2 * centre; j++) {
    const x = j - centre;
    const sinc = x === 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * x) / (Math.PI * x);
    const ratio = x / halfWidth;
    prototype[j] = (sinc * besselI0(beta * Math.sqrt(1 - ratio * ratio))) / besselBeta;
  }
  // y[n] = Σ_r h[p + rL] · x[i − r]; stored oldest input first, each phase normalised to unit DC gain.
  const phaseTaps = new Float32Array(total);
  for (let p = 0; p < up; p++) {
    let sum = 0;
    for (let r = 0; r < tapsPerPhase; r++) sum += prototype[p + r * up]!;
    for (let r = 0; r < tapsPerPhase; r++) {
      phaseTaps[p * tapsPerPhase + (tapsPerPhase - 1 - r)] = prototype[p + r * up]! / sum;
    }
  }
  return { tapsPerPhase, phaseTaps, delayOutputs: centre / down };
}

/** Modified Bessel function of the first kind, order 0 (power series; converges fast for beta ≤ 10). */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const quarterSquare = (x * x) / 4;
  for (let k = 1; k < 50; k++) {
    term *= quarterSquare / (k * k);
    sum += term;
    if (term < sum * 1e-16) break;
  }
  return sum;
}
