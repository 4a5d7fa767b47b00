import { errorMessage } from '../../../src-shared/errors';
import type { CodedError, Result } from '../../../src-shared/result';
import { fail, ok } from '../../../src-shared/result';
import type { AudioSource, CaptureFormat } from '../capture-types';
import type { NativeAudioIO, PortAudioNative } from './portaudio-native';
import { SAMPLE_FORMAT_FLOAT32 } from './portaudio-native';
import { inBackground } from '../../util/background';

export interface PortAudioSourceOptions {
  /** Frames per delivered callback (default: 20 ms). */
  chunkFrames?: number;
  /** No audio for this long while running is reported as CAPTURE_DEVICE_LOST (default 5 s). */
  stallMs?: number;
  /** `stop` gives up waiting for PortAudio after this long (default 3 s); callbacks are silenced anyway. */
  quitTimeoutMs?: number;
}

/**
 * One PortAudio input stream (created by `PortAudioSource.open`, held until `stop`). Reads float32 in
 * fixed chunks with the addon's promise-based `read`, so the JS side owns the loop: after `stop`
 * nothing is delivered, and the stream is ended with `quit('ABORT')` (Pa_AbortStream + Pa_CloseStream
 * + Pa_Terminate), bounded by a timeout because a stop through ALSA's pulse plugin can block on a dead
 * server.
 */
export class PortAudioSource implements AudioSource {
  readonly format: CaptureFormat;
  readonly deviceName: string;
  private readonly io: NativeAudioIO;
  private readonly chunkBytes: number;
  private readonly stallMs: number;
  private readonly quitTimeoutMs: number;
  private state: 'idle' | 'running' | 'stopped' = 'idle';
  private stopping: Promise<void> | null = null;
  private readLoop: Promise<void> = Promise.resolve();
  private lastAudioAt = 0;
  private watchdog: NodeJS.Timeout | null = null;

  private constructor(io: NativeAudioIO, format: CaptureFormat, deviceName: string, options: PortAudioSourceOptions) {
    this.io = io;
    this.format = format;
    this.deviceName = deviceName;
    const chunkFrames = options.chunkFrames ?? Math.max(1, Math.round(format.sampleRate / 50));
    this.chunkBytes = chunkFrames * format.channels * 4;
    this.stallMs = options.stallMs ?? 5000;
    this.quitTimeoutMs = options.quitTimeoutMs ?? 3000;
  }

  /** Opens the device (−1 = default) at `format`; the stream exists but delivers nothing until `start`. */
  static open(
    native: PortAudioNative,
    deviceIndex: number,
    deviceName: string,
    format: CaptureFormat,
    options: PortAudioSourceOptions = {},
  ): Result<PortAudioSource> {
    let io: NativeAudioIO;
    try {
      io = native.create({
        inOptions: {
          deviceId: deviceIndex,
          sampleRate: format.sampleRate,
          channelCount: format.channels,
          sampleFormat: SAMPLE_FORMAT_FLOAT32,
          // The PortAudio callback blocks when this queue is full; give the event loop ~1 s of slack.
          maxQueue: 64,
          framesPerBuffer: 0,
          closeOnError: false,
        },
      });
    } catch (error) {
      return fail(
        'CAPTURE_OPEN_FAILED',
        `${deviceName}: ${format.sampleRate} Hz × ${format.channels} ch: ${errorMessage(error)}`,
        deviceName,
      );
    }
    return ok(new PortAudioSource(io, format, deviceName, options));
  }

  start(onFrames: (interleaved: Float32Array) => void, onError: (error: CodedError) => void): Promise<Result<void>> {
    if (this.state !== 'idle') return Promise.resolve(fail('CAPTURE_BAD_STATE', `${this.deviceName}: already ${this.state}`));
    try {
      this.io.start();
    } catch (error) {
      inBackground(this.stop());
      return Promise.resolve(fail('CAPTURE_OPEN_FAILED', `${this.deviceName}: ${errorMessage(error)}`, this.deviceName));
    }
    this.state = 'running';
    this.lastAudioAt = performance.now();
    let reported = false;
    const report = (error: CodedError): void => {
      if (reported || this.state !== 'running') return;
      reported = true;
      onError(error);
    };
    this.watchdog = setInterval(
      () => {
        const silentFor = performance.now() - this.lastAudioAt;
        if (silentFor > this.stallMs) {
          report({
            code: 'CAPTURE_DEVICE_LOST',
            message: `${this.deviceName}: no audio for ${Math.round(silentFor)} ms`,
            subject: this.deviceName,
          });
        }
      },
      Math.min(1000, this.stallMs),
    );
    this.readLoop = this.runReadLoop(onFrames, report);
    return Promise.resolve(ok(undefined));
  }

  stop(): Promise<void> {
    if (this.stopping) return this.stopping;
    this.state = 'stopped';
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = null;
    const quit = this.io.quit('ABORT').catch(() => undefined);
    // The pending read wakes up once quit has emptied the queue, which ends the loop.
    this.stopping = withTimeout(
      Promise.all([quit, this.readLoop]).then(() => undefined),
      this.quitTimeoutMs,
    );
    return this.stopping;
  }

  private async runReadLoop(onFrames: (interleaved: Float32Array) => void, report: (error: CodedError) => void): Promise<void> {
    while (this.state === 'running') {
      let result;
      try {
        result = await this.io.read(this.chunkBytes);
      } catch (error) {
        report({ code: 'CAPTURE_DEVICE_LOST', message: `${this.deviceName}: ${errorMessage(error)}` });
        return;
      }
      if (this.state !== 'running') return;
      if (result.err) {
        report({ code: 'CAPTURE_DEVICE_LOST', message: `${this.deviceName}: ${result.err}`, subject: this.deviceName });
        return;
      }
      const buffer = result.buf;
      if (buffer && buffer.length >= 4) {
        this.lastAudioAt = performance.now();
        onFrames(toFloat32(buffer, this.format.channels));
      }
      if (result.finished) {
        report({ code: 'CAPTURE_DEVICE_LOST', message: `${this.deviceName}: the stream ended`, subject: this.deviceName });
        return;
      }
    }
  }
}

/** The addon hands over a fresh Buffer per read; view it as float32 when aligned, else copy. */
function toFloat32(buffer: Buffer, channels: number): Float32Array {
  const samples = Math.floor(buffer.length / 4 / channels) * channels;
  if (buffer.byteOffset % 4 === 0) return new Float32Array(buffer.buffer, buffer.byteOffset, samples);
  const copy = new Float32Array(samples);
  buffer.copy(new Uint8Array(copy.buffer), 0, 0, samples * 4);
  return copy;
}

function withTimeout(work: Promise<void>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    inBackground(
      work.then(() => {
        clearTimeout(timer);
        resolve();
      }),
    );
  });
}
