import { DEFAULT_STEP_SAMPLES, DEFAULT_WINDOW_SAMPLES } from './segmentation-windows';

/** One segmentation window: where it starts in the file and its samples (zero-padded past the end). */
export interface AudioWindow {
  startSample: number;
  samples: Float32Array;
}

export interface StreamingWindowOptions {
  windowSamples?: number;
  stepSamples?: number;
}

/**
 * Cuts a stream of audio into the windows `planWindows` would plan for the whole file, without holding the
 * file: windows every `step` samples as soon as their audio has arrived, and at the end one window aligned
 * to the end of the file when the regular steps did not reach it (or one zero-padded window for a file
 * shorter than a window). It keeps at most one window plus one pushed chunk of audio, so a two-hour file
 * costs what ten seconds do.
 */
export class StreamingWindower {
  private readonly windowLength: number;
  private readonly step: number;
  private buffer: Float32Array;
  /** File sample index of buffer[0]. */
  private bufferStart = 0;
  private bufferLength = 0;
  private nextStart = 0;
  private lastEmittedEnd = 0;
  private emitted = 0;
  private finished = false;

  constructor(options: StreamingWindowOptions = {}) {
    this.windowLength = options.windowSamples ?? DEFAULT_WINDOW_SAMPLES;
    this.step = options.stepSamples ?? DEFAULT_STEP_SAMPLES;
    if (!Number.isInteger(this.windowLength) || this.windowLength <= 0)
      throw new RangeError(`window must be a positive whole number of samples, got ${this.windowLength}`);
    if (!Number.isInteger(this.step) || this.step <= 0 || this.step > this.windowLength) {
      throw new RangeError(`step must be a whole number of samples in [1, ${this.windowLength}], got ${this.step}`);
    }
    this.buffer = new Float32Array(this.windowLength * 2);
  }

  /** Samples pushed so far. */
  get totalSamples(): number {
    return this.bufferStart + this.bufferLength;
  }

  /** Adds audio and returns the windows it completed. */
  push(samples: Float32Array): AudioWindow[] {
    if (this.finished) throw new Error('StreamingWindower.push after finish()');
    this.append(samples);
    const windows: AudioWindow[] = [];
    while (this.nextStart + this.windowLength <= this.totalSamples) {
      windows.push(this.take(this.nextStart));
      this.nextStart += this.step;
    }
    this.dropConsumed();
    return windows;
  }

  /** The end of the stream: the last window, if the regular steps left audio uncovered. */
  finish(): AudioWindow[] {
    if (this.finished) return [];
    this.finished = true;
    const total = this.totalSamples;
    if (total === 0) return [];
    if (this.emitted === 0 && total <= this.windowLength) return [this.take(0)];
    if (this.lastEmittedEnd < total) return [this.take(total - this.windowLength)];
    return [];
  }

  private append(samples: Float32Array): void {
    const needed = this.bufferLength + samples.length;
    if (needed > this.buffer.length) {
      const grown = new Float32Array(Math.max(needed, this.windowLength * 2));
      grown.set(this.buffer.subarray(0, this.bufferLength));
      this.buffer = grown;
    }
    this.buffer.set(samples, this.bufferLength);
    this.bufferLength = needed;
  }

  private take(startSample: number): AudioWindow {
    const samples = new Float32Array(this.windowLength);
    const from = startSample - this.bufferStart;
    if (from < 0) throw new Error(`window at ${startSample} is no longer buffered (buffer starts at ${this.bufferStart})`);
    samples.set(this.buffer.subarray(from, Math.min(this.bufferLength, from + this.windowLength)));
    this.emitted += 1;
    this.lastEmittedEnd = Math.max(this.lastEmittedEnd, startSample + this.windowLength);
    return { startSample, samples };
  }

  /** Keeps what a later window can still need: from the next regular start, or the last window's worth for the end window. */
  private dropConsumed(): void {
    const keepFrom = Math.min(this.nextStart, Math.max(0, this.totalSamples - this.windowLength));
    const drop = keepFrom - this.bufferStart;
    if (drop <= 0) return;
    this.buffer.copyWithin(0, drop, this.bufferLength);
    this.bufferLength -= drop;
    this.bufferStart = keepFrom;
    // A large pushed chunk grew the buffer once; give that memory back when it is mostly empty.
    if (this.buffer.length > this.windowLength * 4 && this.bufferLength < this.windowLength * 2) {
      this.buffer = this.buffer.slice(0, this.windowLength * 2);
    }
  }
}
