import type { CodedError, Result } from '../../../src-shared/result';
import { fail, ok } from '../../../src-shared/result';
import type { AudioSource, CaptureFormat } from '../capture-types';
import { StreamingResampler } from './resampler';
import { SampleFifo } from './sample-fifo';
import { inBackground } from '../../util/background';

export interface DualSourceOptions {
  /** The most secondary audio held, in seconds (default 2); allocated once. */
  fifoSeconds?: number;
  /**
   * Secondary audio gathered before channel 1 plays, at the start and again after an underrun (default
   * 0.1 s): it absorbs the two devices' different callback sizes and timing, and is channel 1's delay.
   */
  jitterSeconds?: number;
  /** How much master audio the standing-delay check looks back over (default 5 s). */
  alignWindowSeconds?: number;
  /** The secondary failed: recording goes on with silence in channel 1. Never fires after `stop()` resolves. */
  onSecondaryFault?: ((error: CodedError) => void) | undefined;
  deviceName?: string;
}

type State = 'idle' | 'starting' | 'running' | 'stopped';

/**
 * Two captures as one 2-channel source at the master's rate: channel 0 = the master (the microphone)
 * downmixed to mono, channel 1 = the secondary (a system-audio monitor) downmixed and resampled to the
 * master's rate. The master's callbacks are the clock: each one yields exactly as many frames as it
 * delivered, channel 1 taken from a bounded FIFO, silence when the FIFO runs dry (an underrun) and
 * the oldest secondary audio dropped when it is full (an overrun).
 *
 * Two devices never share a clock, so the FIFO's level drifts. A level that stays above twice the
 * jitter allowance for a whole window is standing delay (a faster secondary clock, or a master that
 * stalled) and is trimmed back to the allowance; a slower secondary shows as an occasional underrun.
 * Either way the channels stay within a fraction of a second of each other.
 *
 * A secondary fault is not the recording's end: it is reported to `onSecondaryFault` and channel 1
 * goes silent. A master fault goes to `onError`, which the session treats as fatal.
 */
export class DualSource implements AudioSource {
  readonly format: CaptureFormat;
  readonly deviceName: string;
  private readonly master: AudioSource;
  private readonly secondary: AudioSource;
  private readonly onSecondaryFault: ((error: CodedError) => void) | undefined;
  private readonly fifo: SampleFifo;
  private readonly secondaryResampler: StreamingResampler;
  private readonly jitterFrames: number;
  private readonly windowFrames: number;
  private state: State = 'idle';
  private stopping: Promise<void> | null = null;
  /** false while gathering the jitter allowance (channel 1 silent). */
  private playing = false;
  private aligned = false;
  private secondaryAlive = true;
  private masterFailed = false;
  private fault: CodedError | null = null;
  private windowMin = Number.POSITIVE_INFINITY;
  private windowElapsed = 0;
  private underruns = 0;
  private overruns = 0;
  private trimmed = 0;

  constructor(master: AudioSource, secondary: AudioSource, options: DualSourceOptions = {}) {
    this.master = master;
    this.secondary = secondary;
    const rate = master.format.sampleRate;
    this.format = { sampleRate: rate, channels: 2 };
    this.deviceName = options.deviceName ?? `${master.deviceName} + ${secondary.deviceName}`;
    this.onSecondaryFault = options.onSecondaryFault;
    this.fifo = new SampleFifo(Math.max(1, Math.round((options.fifoSeconds ?? 2) * rate)));
    this.jitterFrames = Math.min(this.fifo.capacity, Math.max(0, Math.round((options.jitterSeconds ?? 0.1) * rate)));
    this.windowFrames = Math.max(1, Math.round((options.alignWindowSeconds ?? 5) * rate));
    this.secondaryResampler = new StreamingResampler(secondary.format.sampleRate, secondary.format.channels, rate);
  }

  /** Frames of channel 1 filled with silence because the secondary had not delivered them (while it ran). */
  get underrunFrames(): number {
    return this.underruns;
  }

  /** Secondary frames (at the master's rate) dropped because the FIFO was full. */
  get overrunFrames(): number {
    return this.overruns;
  }

  /** Secondary frames dropped to bring a standing delay back to the jitter allowance. */
  get trimmedFrames(): number {
    return this.trimmed;
  }

  /** Secondary frames waiting in the FIFO; never more than `fifoCapacity`. */
  get bufferedFrames(): number {
    return this.fifo.length;
  }

  get fifoCapacity(): number {
    return this.fifo.capacity;
  }

  /** The secondary's fault, once it had one. */
  get secondaryFault(): CodedError | null {
    return this.fault;
  }

  /** Starts the secondary, then the master; if either cannot start, both are stopped and its error returned. */
  async start(onFrames: (interleaved: Float32Array) => void, onError: (error: CodedError) => void): Promise<Result<void>> {
    if (this.state !== 'idle') return fail('CAPTURE_BAD_STATE', `${this.deviceName}: already ${this.state}`);
    this.state = 'starting';
    const secondaryStarted = await this.secondary.start(
      (interleaved) => this.onSecondaryFrames(interleaved),
      (error) => this.onSecondaryError(error),
    );
    if (!secondaryStarted.ok) {
      await this.stop();
      return secondaryStarted;
    }
    if (this.state !== 'starting') return this.stoppedWhileStarting();
    const masterStarted = await this.master.start(
      (interleaved) => this.onMasterFrames(interleaved, onFrames),
      (error) => this.onMasterError(error, onError),
    );
    if (!masterStarted.ok) {
      await this.stop();
      return masterStarted;
    }
    if (this.state !== 'starting') return this.stoppedWhileStarting();
    this.state = 'running';
    return ok(undefined);
  }

  /** Stops both sources; nothing is delivered or reported once it is called. Idempotent. */
  stop(): Promise<void> {
    if (this.stopping) return this.stopping;
    this.state = 'stopped';
    this.stopping = Promise.all([this.master.stop(), this.secondary.stop()]).then(() => undefined);
    return this.stopping;
  }

  private stoppedWhileStarting(): Result<void> {
    return fail('CAPTURE_BAD_STATE', `${this.deviceName}: stopped while starting`);
  }

  private onMasterFrames(interleaved: Float32Array, onFrames: (interleaved: Float32Array) => void): void {
    if (this.state === 'idle' || this.state === 'stopped') return;
    const channels = this.master.format.channels;
    const frames = Math.floor(interleaved.length / channels);
    if (frames === 0) return;
    const out = new Float32Array(frames * 2);
    if (channels === 1) {
      for (let i = 0; i < frames; i++) out[2 * i] = interleaved[i]!;
    } else {
      const scale = 1 / channels;
      for (let i = 0; i < frames; i++) {
        let sum = 0;
        const base = i * channels;
        for (let c = 0; c < channels; c++) sum += interleaved[base + c]!;
        out[2 * i] = sum * scale;
      }
    }
    this.fillSecondaryChannel(out, frames);
    onFrames(out);
  }

  /** Channel 1 of `out` (zeroed) from the FIFO: the master's clock decides how much is taken. */
  private fillSecondaryChannel(out: Float32Array, frames: number): void {
    if (!this.aligned) {
      // Whatever the secondary gathered while the master was still starting is not worth the delay.
      this.aligned = true;
      this.trim(this.fifo.length - this.jitterFrames);
    }
    if (!this.playing && this.fifo.length >= this.jitterFrames) this.playing = true;
    // After a fault, what is left in the FIFO still plays out.
    const filled = this.playing || !this.secondaryAlive ? this.fifo.readInto(out, 1, 2, frames) : 0;
    if (filled < frames && this.secondaryAlive) {
      this.underruns += frames - filled;
      this.playing = false;
    }
    this.trackStandingDelay(frames);
  }

  private trackStandingDelay(frames: number): void {
    this.windowMin = Math.min(this.windowMin, this.fifo.length);
    this.windowElapsed += frames;
    if (this.windowElapsed < this.windowFrames) return;
    if (this.playing && this.windowMin > 2 * this.jitterFrames) this.trim(this.windowMin - this.jitterFrames);
    this.windowMin = Number.POSITIVE_INFINITY;
    this.windowElapsed = 0;
  }

  private trim(frames: number): void {
    if (frames > 0) this.trimmed += this.fifo.discard(frames);
  }

  private onSecondaryFrames(interleaved: Float32Array): void {
    if (this.state === 'idle' || this.state === 'stopped' || !this.secondaryAlive) return;
    const mono = this.secondaryResampler.process(interleaved);
    if (mono.length > 0) this.overruns += this.fifo.write(mono);
  }

  private onSecondaryError(error: CodedError): void {
    if (this.state === 'idle' || this.state === 'stopped' || !this.secondaryAlive) return;
    this.secondaryAlive = false;
    this.fault = error;
    // Release the device now; `stop()` waits for it (a source's stop is idempotent).
    inBackground(this.secondary.stop());
    this.onSecondaryFault?.(error);
  }

  private onMasterError(error: CodedError, onError: (error: CodedError) => void): void {
    if (this.state === 'idle' || this.state === 'stopped' || this.masterFailed) return;
    this.masterFailed = true;
    onError(error);
  }
}
