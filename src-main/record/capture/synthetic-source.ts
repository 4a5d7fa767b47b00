import type { CodedError, Result } from '../../../src-shared/result';
import { fail, ok } from '../../../src-shared/result';
import type { AudioSource, CaptureFormat } from '../capture-types';

/**
 * Fills `into` (interleaved, room for `into.length / channels` frames) with the frames that start at
 * `startFrame`; returns how many frames it wrote. Fewer than asked ends the signal.
 */
export type SignalGenerator = (startFrame: number, into: Float32Array) => number;

export interface SyntheticSourceOptions {
  format: CaptureFormat;
  /** Interleaved samples to play once, or a generator. */
  signal: Float32Array | SignalGenerator;
  /** Frames per callback (default: 20 ms worth). */
  chunkFrames?: number;
  /** 1 = real time, 60 = a minute per second; 'max' = as fast as the event loop allows. Default 'max'. */
  speed?: number | 'max';
  deviceName?: string;
  /** Simulates a device fault: after this many frames, `onError` fires once with `fault` and delivery stops. */
  faultAfterFrames?: number;
  fault?: CodedError;
}

/**
 * A test double with the same callback contract as the real sources: fresh arrays, delivered on the
 * event loop, nothing after `stop()` resolves. `ended` resolves when the signal ran out, a fault was
 * reported, or the source was stopped; `framesDelivered` counts what went out.
 */
export class SyntheticSource implements AudioSource {
  readonly format: CaptureFormat;
  readonly deviceName: string;
  readonly ended: Promise<void>;
  private readonly signal: Float32Array | SignalGenerator;
  private readonly chunkFrames: number;
  private readonly speed: number | 'max';
  private readonly faultAfterFrames: number | undefined;
  private readonly fault: CodedError;
  private state: 'idle' | 'running' | 'ended' | 'stopped' = 'idle';
  private delivered = 0;
  private startedAt = 0;
  private timer: NodeJS.Timeout | NodeJS.Immediate | null = null;
  private resolveEnded: () => void = () => undefined;

  constructor(options: SyntheticSourceOptions) {
    const { format } = options;
    if (!Number.isInteger(format.channels) || format.channels <= 0) throw new RangeError('channels must be a positive integer');
    if (!(format.sampleRate > 0)) throw new RangeError('sampleRate must be positive');
    if (options.signal instanceof Float32Array && options.signal.length % format.channels !== 0) {
      throw new RangeError('signal length is not a whole number of frames');
    }
    this.format = { sampleRate: format.sampleRate, channels: format.channels };
    this.deviceName = options.deviceName ?? 'Synthetic source';
    this.signal = options.signal;
    this.chunkFrames = options.chunkFrames ?? Math.max(1, Math.round(format.sampleRate / 50));
    this.speed = options.speed ?? 'max';
    this.faultAfterFrames = options.faultAfterFrames;
    this.fault = options.fault ?? { code: 'CAPTURE_DEVICE_LOST', message: 'synthetic device fault' };
    this.ended = new Promise((resolve) => (this.resolveEnded = resolve));
  }

  get framesDelivered(): number {
    return this.delivered;
  }

  start(onFrames: (interleaved: Float32Array) => void, onError: (error: CodedError) => void): Promise<Result<void>> {
    if (this.state !== 'idle') return Promise.resolve(fail('CAPTURE_BAD_STATE', `${this.deviceName}: already ${this.state}`));
    this.state = 'running';
    this.startedAt = performance.now();
    const tick = (): void => {
      this.timer = null;
      if (this.state !== 'running') return;
      const due = this.speed === 'max' ? this.delivered + this.chunkFrames : this.framesDueNow();
      while (this.state === 'running' && this.delivered < due) {
        if (!this.deliverChunk(onFrames, onError)) return;
      }
      this.schedule(tick);
    };
    this.schedule(tick);
    return Promise.resolve(ok(undefined));
  }

  stop(): Promise<void> {
    if (this.state !== 'stopped') {
      this.state = 'stopped';
      this.clearTimer();
      this.resolveEnded();
    }
    return Promise.resolve();
  }

  /** Delivers one chunk; false when the source ended (signal over or fault). */
  private deliverChunk(onFrames: (interleaved: Float32Array) => void, onError: (error: CodedError) => void): boolean {
    const channels = this.format.channels;
    let frames = this.chunkFrames;
    if (this.faultAfterFrames !== undefined) frames = Math.min(frames, this.faultAfterFrames - this.delivered);
    let chunk: Float32Array;
    if (this.signal instanceof Float32Array) {
      const start = this.delivered * channels;
      chunk = this.signal.slice(start, Math.min(this.signal.length, start + frames * channels));
    } else {
      const into = new Float32Array(frames * channels);
      const wrote = Math.max(0, Math.min(frames, Math.floor(this.signal(this.delivered, into))));
      chunk = wrote === frames ? into : into.subarray(0, wrote * channels);
    }
    const got = chunk.length / channels;
    if (got > 0) {
      this.delivered += got;
      onFrames(chunk);
    }
    if (this.state !== 'running') return false;
    if (this.faultAfterFrames !== undefined && this.delivered >= this.faultAfterFrames) {
      this.finish();
      onError(this.fault);
      return false;
    }
    if (got < frames) {
      this.finish();
      return false;
    }
    return true;
  }

  private framesDueNow(): number {
    const elapsedSeconds = (performance.now() - this.startedAt) / 1000;
    return Math.floor(elapsedSeconds * (this.speed as number) * this.format.sampleRate);
  }

  private schedule(tick: () => void): void {
    if (this.speed === 'max') {
      this.timer = setImmediate(tick);
      return;
    }
    const chunkMs = (this.chunkFrames / this.format.sampleRate / this.speed) * 1000;
    this.timer = setTimeout(tick, Math.max(1, Math.min(chunkMs, 20)));
  }

  private finish(): void {
    this.state = 'ended';
    this.clearTimer();
    this.resolveEnded();
  }

  private clearTimer(): void {
    if (this.timer === null) return;
    if (this.speed === 'max') clearImmediate(this.timer as NodeJS.Immediate);
    else clearTimeout(this.timer as NodeJS.Timeout);
    this.timer = null;
  }
}
