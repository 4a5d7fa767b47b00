import type { Result } from '../../src-shared/result';
import type { AsrTask, TranscriptWord } from '../../src-shared/transcript';
import type { ExecutionReport } from '../onnx/execution-provider';
import type { SessionTimings } from './session-timing';

/** A segment with times relative to the start of the window it came from. */
export interface RecognizedSegment {
  start: number;
  /** null when the model did not close the segment: it runs into the end of the window. */
  end: number | null;
  text: string;
  /** Word times, relative to the window start like the segment's. */
  words?: TranscriptWord[] | undefined;
  /** This segment's decoded tokens (model-specific), for conditioning a later window on the segments kept. */
  tokens?: number[];
  /**
   * Where the word alignment heard the last word end (seconds from the window start). It can lie past `end`:
   * openai's guard pulls an overlong last word back to its segment's end, though its sound may go on.
   */
  alignedEnd?: number;
}

/** How sure the model was of a window, as the fallback judged it. */
export interface WindowQuality {
  avgLogprob: number;
  compressionRatio: number;
  noSpeechProb: number | null;
  /** Temperature of the kept decode (0 unless it fell back). */
  temperature: number;
  /** Decodes run for the window (1 = no fallback). */
  attempts: number;
  /** Whisper heard no speech (no-speech probability above the threshold and an unsure decode). */
  noSpeech: boolean;
  /** Every temperature failed the checks; the least bad result was kept. */
  failed: boolean;
}

export interface WindowTranscription {
  language: string;
  /** Probability of the language when it was detected on this window. */
  languageProbability?: number;
  segments: RecognizedSegment[];
  /**
   * Seconds from the window start up to which the audio is transcribed (the window's end when the model closed
   * its last segment, else the start of the unfinished one, which the next window should hear again).
   */
  resumeAt?: number;
  /** The decoded tokens, for conditioning the next window on this one (model-specific). */
  tokens?: number[];
  quality?: WindowQuality;
}

/** Language code → probability, from one window. */
export type LanguageProbabilities = ReadonlyMap<string, number>;

export interface DetectedLanguage {
  language: string;
  probability: number;
  probabilities?: LanguageProbabilities;
}

export interface DecodingOptions {
  /** Beams at temperature 0 (1 = greedy). */
  beamSize: number;
  /** Samples per temperature above 0. */
  bestOf: number;
  /** Temperatures tried in order until a decode passes the checks ([0] disables fallback). */
  temperatures: readonly number[];
  compressionRatioThreshold: number | null;
  logProbThreshold: number | null;
  noSpeechThreshold: number | null;
  /** Timestamp tokens (segments inside the window); false decodes one untimed segment. */
  withTimestamps: boolean;
  wordTimestamps: boolean;
}

export interface RecognizeOptions {
  /** ISO 639-1 code, or null to detect it on this window. */
  language: string | null;
  task: AsrTask;
  /** Aborting stops decoding after the current token; the result is then CANCELLED. */
  signal?: AbortSignal | undefined;
  /** Picks the language from this window's probabilities when `language` is null (default: the likeliest). */
  chooseLanguage?: (probabilities: LanguageProbabilities) => string;
  /** Text the window is conditioned on: earlier windows' tokens (from `WindowTranscription.tokens`). */
  previousTokens?: readonly number[] | undefined;
  /** Names and words the user expects (a vocabulary prompt), kept in every window's prompt. */
  initialPrompt?: string | undefined;
  decoding?: Partial<DecodingOptions> | undefined;
  /** Seconds from the window start of the last speech already transcribed (word-time guards). */
  lastSpeechAt?: number;
  /** Seeds sampling at temperatures above 0. */
  seed?: number;
  /** Encode only as much audio as the window holds (see `AudioContext`); the default is the full 30 s. */
  context?: AudioContext | undefined;
}

/**
 * How much audio the encoder hears: `full` pads every window to 30 s, as Whisper was trained; `fitted` encodes
 * the window's own length with a 5 s margin (whisper.cpp's `audio_ctx`), several times cheaper for short audio;
 * `fitted-wide` with a 10 s margin, which heard as accurately as the full context where 5 s did not
 * (docs/decisions.md). Models whose encoder cannot hear less hear the full context.
 */
export type AudioContext = 'full' | 'fitted' | 'fitted-wide';

export interface LanguageCheckOptions {
  context?: AudioContext | undefined;
  /**
   * Keep this check's encoding for a `transcribeWindow` of the same array next. Default: a full-context check's
   * only, so checking a stretch of a window leaves the window's own encoding cached.
   */
  keepEncoding?: boolean | undefined;
}

export type AsrErrorCode = 'MODEL_LOAD_FAILED' | 'ASR_FAILED' | 'CANCELLED' | 'LANGUAGE_UNSUPPORTED' | 'RECOGNIZER_DISPOSED';

/** One warm model instance; serves many windows until `dispose()`. */
export interface SpeechRecognizer {
  readonly modelId: string;
  readonly execution: ExecutionReport;
  readonly multilingual: boolean;
  /**
   * The likeliest language of `audio` (and, from models that detect languages, every language's probability).
   * Passing the same array to `transcribeWindow` next reuses the check's encoding when it was kept (a full-context
   * check's, or any with `keepEncoding`).
   */
  detectLanguage(audio: Float32Array, options?: LanguageCheckOptions): Promise<Result<DetectedLanguage, AsrErrorCode>>;
  /**
   * Every language's probability for each stretch (`start`, `end` in samples of `audio`), read from `audio`'s own
   * full-context encoding (the one a full check or a decode of the same array keeps): a decoder step per stretch,
   * no encoder pass. Cheap, and less sure than `detectLanguage` on the stretch alone: a screen for another
   * language inside a window. Recognizers that cannot read a stretch from a window's encoding leave it out.
   */
  screenLanguages?(
    audio: Float32Array,
    stretches: readonly { start: number; end: number }[],
  ): Promise<Result<LanguageProbabilities[], AsrErrorCode>>;
  /** `audio` is 16 kHz mono, at most 30 s. */
  transcribeWindow(audio: Float32Array, options: RecognizeOptions): Promise<Result<WindowTranscription, AsrErrorCode>>;
  /** Cumulative wall time per ORT session (encoder, decoder) since load. */
  timings(): SessionTimings;
  /** Releases every ORT session; the instance is unusable afterwards. */
  dispose(): Promise<void>;
}
