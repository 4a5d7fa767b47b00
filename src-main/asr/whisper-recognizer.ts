import { errorMessage } from '../../src-shared/errors';
import { fail, ok, type Result } from '../../src-shared/result';
import type { ModelDtype } from '../models/catalog';
import type { ExecutionPreference, ExecutionReport } from '../onnx/execution-provider';
import { emptyTiming, processCpuMs, type SessionTimings, type StageTiming } from './session-timing';
import type {
  AsrErrorCode,
  AudioContext,
  DecodingOptions,
  DetectedLanguage,
  LanguageCheckOptions,
  LanguageProbabilities,
  RecognizeOptions,
  SpeechRecognizer,
  WindowTranscription,
} from './types';
import { WhisperFeatures } from './whisper/fast-features';
import { DEFAULT_TEMPERATURES, decodeWithFallback } from './whisper/fallback';
import { buildLogitRules, logNormalizer } from './whisper/logit-rules';
import { readWhisperModelFiles, type WhisperModelFiles } from './whisper/model-files';
import { PromptTokenizer } from './whisper/prompt-tokenizer';
import { WhisperSessions, type CrossAttentionCache } from './whisper/sessions';
import { segmentsFromTokens } from './whisper/timestamp-segments';
import { WhisperVocabulary } from './whisper/vocabulary';
import { alignWords, assignWordTimes, type TimedSegment } from './whisper/word-alignment';

export interface WhisperLoadOptions {
  modelId: string;
  /** A folder in transformers.js layout (config.json, tokenizer.json, onnx/…). */
  modelDir: string;
  dtype: ModelDtype;
  execution: ExecutionPreference;
  /** Intra-op threads per session; default onnxruntime's (the physical cores). */
  threads?: number | undefined;
  /** What the sessions are tuned for (default `files`). */
  workload?: WhisperWorkload | undefined;
}

/**
 * `files`: the least CPU time per file. A decoder step reads ≈ 84 MB (8-bit weights, the window's cross-attention)
 * for little arithmetic, so a second thread shortens it less than it costs: whisper-base, one thread against two in
 * one process, alternating step by step on the same inputs (logits equal bit for bit), greedy 9.7 against 12.4 CPU
 * ms a step (wall 9.3 against 7.9 ms), beam 5 17.7 against 20.3 (wall 15.7 against 13.1); the decoder of `files`
 * runs on one thread. `live`: the shortest time from speech to text, the decoder on `threads` as the other sessions.
 */
export type WhisperWorkload = 'files' | 'live';

/** faster-whisper's defaults (beam 5, fallback 0–1 in 0.2 steps, 2.4 / -1 / 0.6), with word timestamps. */
export const DEFAULT_DECODING: DecodingOptions = {
  beamSize: 5,
  bestOf: 5,
  temperatures: DEFAULT_TEMPERATURES,
  compressionRatioThreshold: 2.4,
  logProbThreshold: -1,
  noSpeechThreshold: 0.6,
  withTimestamps: true,
  wordTimestamps: true,
};

/** Whisper's decoder sees at most half its context as prompt (openai: n_text_ctx // 2 − 1 tokens). */
const SAMPLE_LENGTH = 224;
const MAX_INITIAL_TIMESTAMP_INDEX = 50;
const SAMPLES_PER_ENCODER_FRAME = 320;
const MEL_FRAMES_PER_SECOND = 100;
/** A fitted context hears this much of the padding after the audio, so speech never runs into its edge. */
const FITTED_MARGIN_SECONDS = 5;
/** `fitted-wide`: the margin with which the 26 dev clips heard live were as accurate as with the full context. */
const WIDE_MARGIN_SECONDS = 10;
/** A stretch screened from its window's encoding is read with this much on either side (its edges' frames). */
const SCREEN_MARGIN_SAMPLES = 16_000;

interface EncodedWindow {
  audio: Float32Array;
  length: number;
  frames: number;
  cross: CrossAttentionCache;
}

class WhisperRecognizer implements SpeechRecognizer {
  private disposed = false;
  private readonly sotSequenceCache = new Map<string, number[]>();
  private lastEncoded: EncodedWindow | null = null;
  /** JavaScript-side time (the decoder's ORT runs excluded), for benchmarks. */
  private readonly stages: SessionTimings = {
    features: emptyTiming(),
    search: emptyTiming(),
    alignment: emptyTiming(),
  };

  constructor(
    readonly modelId: string,
    readonly multilingual: boolean,
    /** Without the parsed tokenizer.json, which only loading needs. */
    private readonly files: Omit<WhisperModelFiles, 'tokenizerJson'>,
    private readonly sessions: WhisperSessions,
    private readonly vocabulary: WhisperVocabulary,
    private readonly tokenizer: PromptTokenizer,
    private readonly features: WhisperFeatures,
  ) {}

  get execution(): ExecutionReport {
    return this.sessions.execution;
  }

  /** ORT time per session (encoder, decoder) and this process's own work: features, token search, word alignment. */
  timings(): SessionTimings {
    return { ...this.sessions.timing(), ...structuredClone(this.stages) };
  }

  async detectLanguage(audio: Float32Array, options: LanguageCheckOptions = {}): Promise<Result<DetectedLanguage, AsrErrorCode>> {
    if (this.disposed) return fail('RECOGNIZER_DISPOSED', `${this.modelId} was disposed.`);
    if (!this.multilingual) return ok({ language: 'en', probability: 1 });
    try {
      // A fitted check of a window's stretch is not kept: the window's own encoding stays cached for its decode.
      const context = options.context ?? 'full';
      const { cross } = await this.encode(audio, context, options.keepEncoding ?? context === 'full');
      const probabilities = this.languageProbabilities(cross.startLogits);
      const [language, probability] = [...probabilities].reduce((a, b) => (b[1] > a[1] ? b : a));
      return ok({ language, probability, probabilities });
    } catch (error) {
      return fail('ASR_FAILED', `Language detection failed: ${errorMessage(error)}`);
    }
  }

  async screenLanguages(
    audio: Float32Array,
    stretches: readonly { start: number; end: number }[],
  ): Promise<Result<LanguageProbabilities[], AsrErrorCode>> {
    if (this.disposed) return fail('RECOGNIZER_DISPOSED', `${this.modelId} was disposed.`);
    if (!this.multilingual) return ok(stretches.map(() => new Map([['en', 1]])));
    try {
      const { cross } = await this.encode(audio, 'full', true);
      const frames = cross.frames;
      const frameOf = (sample: number): number => Math.min(frames, Math.max(0, Math.round(sample / SAMPLES_PER_ENCODER_FRAME)));
      const screened: LanguageProbabilities[] = [];
      for (const { start, end } of stretches) {
        const from = Math.min(frameOf(start - SCREEN_MARGIN_SAMPLES), frames - 1);
        const to = Math.max(from + 1, frameOf(end + SCREEN_MARGIN_SAMPLES));
        const logits = await this.sessions.startLogitsWithin(cross, this.vocabulary.special.sot, from, to);
        screened.push(this.languageProbabilities(logits));
      }
      return ok(screened);
    } catch (error) {
      return fail('ASR_FAILED', `Language screening failed: ${errorMessage(error)}`);
    }
  }

  async transcribeWindow(audio: Float32Array, options: RecognizeOptions): Promise<Result<WindowTranscription, AsrErrorCode>> {
    if (this.disposed) return fail('RECOGNIZER_DISPOSED', `${this.modelId} was disposed.`);
    if (!this.multilingual && options.language !== null && options.language !== 'en') {
      return fail('LANGUAGE_UNSUPPORTED', `${this.modelId} is English-only; pick a multilingual model for "${options.language}".`);
    }
    const { signal } = options;
    if (signal?.aborted) return fail('CANCELLED', 'Whisper: the window was cancelled before it started.');
    const decoding: DecodingOptions = { ...DEFAULT_DECODING, ...options.decoding };
    try {
      const { cross } = await this.encode(audio, options.context ?? 'full', true);
      let language = options.language ?? 'en';
      let languageProbability: number | undefined;
      if (this.multilingual && options.language === null) {
        const probabilities = this.languageProbabilities(cross.startLogits);
        language = options.chooseLanguage?.(probabilities) ?? [...probabilities].reduce((a, b) => (b[1] > a[1] ? b : a))[0];
        languageProbability = probabilities.get(language) ?? 0;
      }
      const sotSequence = this.sotSequence(language, options.task);
      const prefix = decoding.withTimestamps ? sotSequence : [...sotSequence, this.vocabulary.special.noTimestamps];
      const context = this.promptTokens(options);
      const prompt = context.length > 0 ? [this.vocabulary.special.sotPrev, ...context, ...prefix] : prefix;
      const windowSeconds = audio.length / 16_000;
      const decoded = await this.timedStage('search', () =>
        decodeWithFallback(
          {
            sessions: this.sessions,
            cross,
            rules: this.rules(decoding.withTimestamps),
            prompt,
            sotIndex: prompt.indexOf(this.vocabulary.special.sot),
            noSpeechToken: this.vocabulary.special.noSpeech,
          },
          (tokens) => this.vocabulary.decode(tokens),
          (token) => this.vocabulary.isTimestamp(token),
          {
            temperatures: decoding.temperatures,
            beamSize: decoding.beamSize,
            bestOf: decoding.bestOf,
            maxTokens: Math.min(SAMPLE_LENGTH, this.files.architecture.max_target_positions - prompt.length),
            compressionRatioThreshold: decoding.compressionRatioThreshold,
            logProbThreshold: decoding.logProbThreshold,
            noSpeechThreshold: decoding.noSpeechThreshold,
            seed: options.seed ?? 0,
            signal,
          },
        ),
      );
      if (decoded.cancelled || signal?.aborted) return fail('CANCELLED', 'Whisper: the window was cancelled while it was being decoded.');
      const quality = {
        avgLogprob: decoded.avgLogprob,
        compressionRatio: decoded.compressionRatio,
        noSpeechProb: decoded.noSpeechProb,
        temperature: decoded.temperature,
        attempts: decoded.attempts,
        noSpeech: decoded.noSpeech,
        failed: decoded.failed,
      };
      const base = { language, ...(languageProbability === undefined ? {} : { languageProbability }), quality };
      if (decoded.noSpeech) return ok({ ...base, segments: [], resumeAt: windowSeconds, tokens: [] });
      const parsed = segmentsFromTokens(decoded.tokens, this.vocabulary, windowSeconds);
      const timed: TimedSegment[] = parsed.segments.map((segment) => ({
        start: segment.start,
        end: segment.end,
        textTokens: segment.tokens.filter((token) => token < this.vocabulary.special.eot),
      }));
      let resumeAt = parsed.resumeAt;
      if (decoding.wordTimestamps && timed.length > 0) {
        const lastSpeech = await this.timedStage('alignment', () =>
          this.addWordTimes(timed, cross, sotSequence, language, audio.length, options.lastSpeechAt ?? 0),
        );
        // openai: when the last segment was left unfinished, resume after the last word actually heard.
        if (!parsed.closed && lastSpeech > 0) resumeAt = Math.min(windowSeconds, lastSpeech);
      }
      const segments = parsed.segments.map((segment, index) => {
        const times = timed[index] as TimedSegment;
        const words = times.words?.map((word) => ({ text: word.word, start: word.start, end: word.end, probability: word.probability }));
        const alignedEnd = times.alignedEnd === undefined ? {} : { alignedEnd: times.alignedEnd };
        return { start: times.start, end: times.end, text: segment.text, tokens: segment.tokens, words, ...alignedEnd };
      });
      const tokens = parsed.segments.flatMap((segment) => segment.tokens);
      return ok({ ...base, segments, resumeAt, tokens });
    } catch (error) {
      if (signal?.aborted) return fail('CANCELLED', 'Whisper: the window was cancelled while it was being decoded.');
      return fail('ASR_FAILED', `Whisper failed on a window: ${errorMessage(error)}`);
    }
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.lastEncoded = null;
    await this.sessions.release();
  }

  /**
   * The window's cross-attention cache. The last one encoded with `keep` is kept (one at a time: a full one holds
   * ≈ 37 MB for whisper-base), so detecting then decoding encodes once.
   */
  private async encode(audio: Float32Array, context: AudioContext, keep: boolean): Promise<{ cross: CrossAttentionCache }> {
    const frames = await this.contextFrames(audio, context);
    const kept = this.lastEncoded;
    if (kept?.audio === audio && kept.length === audio.length && kept.frames === frames) return { cross: kept.cross };
    if (keep) this.lastEncoded = null;
    const mel = await this.timedStage('features', () => this.features.logMel(audio, frames));
    const encoded = await this.sessions.encode(mel, this.features.mels, frames);
    const cross = await this.sessions.crossAttention(encoded, this.vocabulary.special.sot);
    if (keep) this.lastEncoded = { audio, length: audio.length, frames, cross };
    return { cross };
  }

  /** Log-mel frames the encoder hears: the full window, or the audio rounded up to whole seconds plus a margin. */
  private async contextFrames(audio: Float32Array, context: AudioContext): Promise<number> {
    if (context === 'full' || !(await this.sessions.acceptsShorterContext())) return this.features.frames;
    const seconds = Math.ceil(audio.length / 16_000) + (context === 'fitted-wide' ? WIDE_MARGIN_SECONDS : FITTED_MARGIN_SECONDS);
    return Math.min(this.features.frames, seconds * MEL_FRAMES_PER_SECOND);
  }

  /** Adds a stage's wall and CPU time, less the decoder's ORT time inside it, to `stages`. */
  private async timedStage<T>(stage: 'features' | 'search' | 'alignment', run: () => Promise<T>): Promise<T> {
    const decoder = (): StageTiming => this.sessions.timing().decoder ?? emptyTiming();
    const decoderBefore = decoder();
    const started = performance.now();
    const cpuStarted = processCpuMs();
    try {
      return await run();
    } finally {
      const entry = this.stages[stage] as StageTiming;
      const decoderAfter = decoder();
      entry.totalMs += performance.now() - started - (decoderAfter.totalMs - decoderBefore.totalMs);
      entry.cpuMs += processCpuMs() - cpuStarted - (decoderAfter.cpuMs - decoderBefore.cpuMs);
      entry.runs += 1;
    }
  }

  private languageProbabilities(logits: Float32Array): LanguageProbabilities {
    const entries = [...this.vocabulary.special.languages];
    let max = -Infinity;
    for (const [, token] of entries) max = Math.max(max, logits[token] ?? -Infinity);
    let total = 0;
    const weights = entries.map(([code, token]) => {
      const weight = Math.exp((logits[token] ?? -Infinity) - max);
      total += weight;
      return [code, weight] as const;
    });
    return new Map(weights.map(([code, weight]) => [code, weight / total]));
  }

  private sotSequence(language: string, task: RecognizeOptions['task']): number[] {
    const key = `${language}/${task}`;
    const cached = this.sotSequenceCache.get(key);
    if (cached) return cached;
    const special = this.vocabulary.special;
    const sequence = [special.sot];
    if (this.multilingual) {
      const languageToken = special.languages.get(language);
      if (languageToken === undefined) throw new Error(`${this.modelId} has no language token for "${language}"`);
      const taskToken = task === 'translate' ? special.translate : special.transcribe;
      sequence.push(languageToken);
      if (taskToken !== null) sequence.push(taskToken);
    }
    this.sotSequenceCache.set(key, sequence);
    return sequence;
  }

  /** The vocabulary prompt (kept) then the latest earlier tokens, within half the decoder's context. */
  private promptTokens(options: RecognizeOptions): number[] {
    const budget = Math.floor(this.files.architecture.max_target_positions / 2) - 1;
    const initial = options.initialPrompt?.trim()
      ? this.tokenizer.encode(` ${options.initialPrompt.trim()}`).slice(0, Math.floor(budget / 2))
      : [];
    const previous = (options.previousTokens ?? []).filter(
      (token) => token < this.vocabulary.special.eot || this.vocabulary.isTimestamp(token),
    );
    const room = budget - initial.length;
    return [...initial, ...(room > 0 ? previous.slice(-room) : [])];
  }

  private rules(withTimestamps: boolean): ReturnType<typeof buildLogitRules> {
    const special = this.vocabulary.special;
    const specialTokens: number[] = [];
    for (let token = special.eot + 1; token < special.timestampBegin; token += 1) specialTokens.push(token);
    return buildLogitRules({
      vocabSize: this.sessions.vocabSize,
      eot: special.eot,
      noTimestamps: special.noTimestamps,
      timestampBegin: special.timestampBegin,
      suppressTokens: this.files.generation.suppress_tokens ?? [],
      beginSuppressTokens: this.files.generation.begin_suppress_tokens ?? [],
      specialTokens,
      withTimestamps,
      maxInitialTimestampIndex: this.files.generation.max_initial_timestamp_index ?? MAX_INITIAL_TIMESTAMP_INDEX,
    });
  }

  private async addWordTimes(
    segments: TimedSegment[],
    cross: CrossAttentionCache,
    sotSequence: number[],
    language: string,
    audioSamples: number,
    lastSpeechAt: number,
  ): Promise<number> {
    const heads = this.files.generation.alignment_heads ?? [];
    if (heads.length === 0) return 0;
    const textTokens = segments.flatMap((segment) => segment.textTokens);
    const special = this.vocabulary.special;
    const tokens = [...sotSequence, special.noTimestamps, ...textTokens, special.eot];
    const layers = [...new Set(heads.map(([layer]) => layer))];
    // Logits only for the text tokens' positions (each row predicts the token after it).
    const pass = await this.sessions.attend(
      tokens,
      cross,
      layers,
      textTokens.map((_, index) => sotSequence.length + index),
    );
    const perHead = tokens.length * pass.frames;
    const headWeights = heads.map(([layer, head]) => {
      const data = pass.attention.get(layer) as Float32Array;
      return data.subarray(head * perHead, (head + 1) * perHead);
    });
    const vocab = this.sessions.vocabSize;
    const tokenProbabilities = textTokens.map((token, index) => {
      const row = pass.logits.subarray(index * vocab, index * vocab + special.eot);
      return Math.exp((row[token] as number) - logNormalizer(row));
    });
    const alignment = alignWords(
      {
        heads: headWeights,
        tokenCount: tokens.length,
        framesPerRow: pass.frames,
        audioFrames: audioSamples / SAMPLES_PER_ENCODER_FRAME,
        prefixLength: sotSequence.length,
        textTokens,
        tokenProbabilities,
        medianFilterWidth: this.files.architecture.median_filter_width ?? 7,
      },
      this.vocabulary,
      language,
    );
    if (alignment.length === 0) return 0;
    return assignWordTimes(segments, alignment, lastSpeechAt);
  }
}

/** Loads a Whisper model folder (transformers.js layout) onto onnxruntime-node: one encoder, one merged decoder. */
export async function loadWhisperRecognizer(options: WhisperLoadOptions): Promise<Result<SpeechRecognizer, AsrErrorCode>> {
  try {
    const { tokenizerJson, ...files } = await readWhisperModelFiles(options.modelDir, options.dtype);
    const vocabulary = new WhisperVocabulary(tokenizerJson, files.architecture.vocab_size);
    const tokenizer = new PromptTokenizer(files.tokenizerPath);
    const features = new WhisperFeatures(files.preprocessor);
    const sessions = await WhisperSessions.load(files.encoderPath, files.decoderPath, files.architecture, {
      execution: options.execution,
      threads: options.threads,
      decoderThreads: (options.workload ?? 'files') === 'files' ? 1 : options.threads,
    });
    return ok(new WhisperRecognizer(options.modelId, files.multilingual, files, sessions, vocabulary, tokenizer, features));
  } catch (error) {
    return fail(
      'MODEL_LOAD_FAILED',
      `Could not load ${options.modelId} from ${options.modelDir}: ${errorMessage(error)}`,
      options.modelDir,
    );
  }
}
