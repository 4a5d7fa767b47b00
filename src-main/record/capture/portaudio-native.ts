import { createRequire } from 'node:module';
import { errorMessage } from '../../../src-shared/errors';
import type { Result } from '../../../src-shared/result';
import { fail, ok } from '../../../src-shared/result';

/**
 * naudiodon's N-API addon, used directly rather than through its `index.js`. That wrapper's `abort(cb)`
 * passes two arguments to a native `quit` that accepts exactly one, so it throws "AudioIO Quit expects 1
 * argument" and the stream is never stopped; its `quit()` is Pa_StopStream (drains, may wait on the
 * server); and loading it installs segfault-handler (a NAN addon that writes crash.log into the working
 * directory). The addon itself is small: `create`, `start`, a loop of `read`s, `quit('ABORT')`.
 */

/** PortAudio's sample formats, as naudiodon numbers them. */
export const SAMPLE_FORMAT_FLOAT32 = 1;

export interface NativeDeviceInfo {
  readonly id: number;
  readonly name: string;
  readonly maxInputChannels: number;
  readonly maxOutputChannels: number;
  readonly defaultSampleRate: number;
  readonly hostAPIName: string;
}

export interface NativeHostApis {
  /** Index into HostAPIs, negative when PortAudio failed to initialise. */
  defaultHostAPI: number;
  /** `defaultInput` is a global device index; 2^32 − 1 (paNoDevice as unsigned) when there is none. */
  HostAPIs: { id: number; name: string; type: string; deviceCount: number; defaultInput: number; defaultOutput: number }[];
}

export interface NativeInOptions {
  /** −1 = PortAudio's default input. */
  deviceId: number;
  sampleRate: number;
  channelCount: number;
  sampleFormat: number;
  /** Chunks the PortAudio callback may queue before it blocks (default 2, which overflows easily). */
  maxQueue: number;
  /** 0 = let the host pick. */
  framesPerBuffer: number;
  /** false: input overflow is logged, not turned into a read error that ends the stream. */
  closeOnError: boolean;
}

export interface NativeReadResult {
  /** Set when PortAudio reported a status (overflow…) and closeOnError is on. */
  err?: string;
  buf?: Buffer;
  /** True once the stream was quit and the queue is drained. */
  finished?: boolean;
}

export interface NativeAudioIO {
  start(): void;
  /** Resolves once `bytes` bytes arrived, or fewer (then `finished`) after quit. */
  read(bytes: number): Promise<NativeReadResult>;
  /** 'ABORT' = Pa_AbortStream; either way the stream is closed and PortAudio's init count released. */
  quit(flag: 'WAIT' | 'ABORT'): Promise<void>;
}

export interface PortAudioNative {
  getDevices(): NativeDeviceInfo[];
  getHostAPIs(): NativeHostApis;
  /** Throws on a bad device or unsupported format. */
  create(options: { inOptions: NativeInOptions }): NativeAudioIO;
}

let cached: Result<PortAudioNative> | null = null;

/** Loads the addon once; a failure (not built for this runtime, missing libasound) is a coded error. */
export function loadPortAudio(): Result<PortAudioNative> {
  if (cached) return cached;
  try {
    const require = createRequire(import.meta.url);
    cached = ok(require('naudiodon/build/Release/naudiodon.node') as PortAudioNative);
  } catch (error) {
    cached = fail('CAPTURE_BACKEND_UNAVAILABLE', `the PortAudio addon (naudiodon) could not be loaded: ${errorMessage(error)}`);
  }
  return cached;
}
