import type { Result } from '../../src-shared/result';
import type { CaptureFormat } from './capture-types';

/** Where the faithful copy of the capture goes (the crash-safe WAV writer in production). */
export interface RecordingSink {
  /** Interleaved float32 frames in the capture's native format; cheap, never blocks for long. A failure is sticky. */
  write(interleaved: Float32Array): Result<void>;
  /** Flushes, fixes the header, fsyncs and closes. */
  finalize(): Promise<Result<RecordingFiles>>;
}

export interface RecordingFiles {
  paths: string[];
  seconds: number;
}

/** Streaming conversion of native interleaved frames to 16 kHz mono, state kept across calls. */
export interface StreamResampler {
  process(interleaved: Float32Array): Float32Array;
  reset(): void;
}

export type ResamplerFactory = (format: CaptureFormat) => StreamResampler;
