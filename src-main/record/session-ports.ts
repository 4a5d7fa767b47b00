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

/** Live transcription as the session drives it: in process (tests) or in a child process (the app). */
export interface LiveTranscription {
  /** One past the last 16 kHz sample pushed (absolute, recording timeline). */
  readonly position: number;
  readonly segmentsCommitted: number;
  readonly detectedLanguage: string | null;
  /** Resolves once the samples were taken in (it may wait for a commit's Whisper pass). */
  push(samples: Float32Array): Promise<void>;
  /** The stream lost [from, to): ASR fell behind the ring. */
  skip(from: number, to: number): void;
  /** End of the recording: commits the utterance in progress. */
  flush(): Promise<void>;
}

/** A live transcription and the release of what it holds (ORT sessions, a child process). */
export interface OpenedTranscription {
  transcription: LiveTranscription;
  /** Catalog id of the model transcribing, when known. */
  modelId?: string | undefined;
  release(): Promise<void>;
}
