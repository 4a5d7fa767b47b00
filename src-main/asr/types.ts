import type { Result } from '../../src-shared/result';
import type { AsrTask, TranscriptWord } from '../../src-shared/transcript';
import type { ExecutionReport } from './execution-provider';
import type { SessionTimings } from './session-timing';

/** A segment with times relative to the start of the window it came from. */
export interface RecognizedSegment {
  start: number;
  /** null when the model did not close the segment: it runs into the end of the window. */
  end: number | null;
  text: string;
  words?: TranscriptWord[];
}

export interface WindowTranscription {
  language: string;
  segments: RecognizedSegment[];
}

export interface RecognizeOptions {
  /** ISO 639-1 code, or null to detect it. */
  language: string | null;
  task: AsrTask;
  /** Aborting stops decoding after the current token; the result is then ASR_CANCELLED. */
  signal?: AbortSignal;
}

export type AsrErrorCode = 'MODEL_LOAD_FAILED' | 'ASR_FAILED' | 'ASR_CANCELLED' | 'LANGUAGE_UNSUPPORTED' | 'RECOGNIZER_DISPOSED';

/** One warm model instance; serves many windows until `dispose()`. */
export interface SpeechRecognizer {
  readonly modelId: string;
  readonly execution: ExecutionReport;
  readonly multilingual: boolean;
  detectLanguage(audio: Float32Array): Promise<Result<{ language: string; probability: number }, AsrErrorCode>>;
  /** `audio` is 16 kHz mono, at most 30 s. */
  transcribeWindow(audio: Float32Array, options: RecognizeOptions): Promise<Result<WindowTranscription, AsrErrorCode>>;
  /** Cumulative wall time per ORT session (encoder, decoder) since load. */
  timings(): SessionTimings;
  /** Releases every ORT session; the instance is unusable afterwards. */
  dispose(): Promise<void>;
}
