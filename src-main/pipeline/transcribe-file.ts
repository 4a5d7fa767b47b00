import { basename } from 'node:path';
import { isCancelled } from '../../src-shared/errors';
import { fail, ok, type CodedError, type Result } from '../../src-shared/result';
import type { AsrTask, Transcript, TranscriptSegment, TranscriptWord } from '../../src-shared/transcript';
import { ENGINE_SAMPLE_RATE, type AudioDecoder, type AudioProbeInfo } from '../audio/types';
import type { DecodingOptions, RecognizedSegment, SpeechRecognizer, WindowQuality } from '../asr/types';
import { LanguageFollower } from './language-follower';
import { PackedAudio } from './packed-audio';
import { SpeechTimeline } from './speech-timeline';
import { chooseWindowLanguage, likeliestLanguage } from './window-language';
import { findUnheardSpeech } from './unheard-speech';
import { MAX_WINDOW_SECONDS, type SpeechSpan } from './window-planner';

export type TranscribeStage = 'vad' | 'transcribe' | 'done';

export interface TranscribeFileOptions {
  /** ISO 639-1 code, or null to detect it window by window (with hysteresis) and label each segment. */
  language: string | null;
  task: AsrTask;
  signal?: AbortSignal | undefined;
  /** `segments`: the ones this window added (a preview; the result holds them all). */
  onProgress?: (stage: TranscribeStage, percent: number, segments?: TranscriptSegment[]) => void;
  /** Names and words the speakers use (a vocabulary prompt), kept in every window's prompt. */
  initialPrompt?: string | undefined;
  /** Condition each window on the text before it (default true; reset after a high-temperature fallback). */
  conditionOnPreviousText?: boolean;
  decoding?: Partial<DecodingOptions> | undefined;
  /** Called after each window (benchmarks, diagnostics). */
  onWindow?: (report: WindowReport) => void;
}

export interface WindowReport {
  /** Seconds on the file's timeline. */
  start: number;
  end: number;
  language: string;
  quality: WindowQuality | null;
  segments: number;
  /** Speech VAD found in the window that yielded no text, marked [inaudible]. */
  inaudible: boolean;
  /** The model stopped early while VAD heard more speech: the next window starts where it stopped. */
  resumedEarly: boolean;
}

export interface TranscribeFileDeps {
  decoder: AudioDecoder;
  recognizer: SpeechRecognizer;
  /** Speech spans of the whole file (first pass, streamed: only the spans are kept). */
  findSpeech: (path: string, onProgress: (seconds: number) => void, signal?: AbortSignal) => Promise<Result<SpeechSpan[]>>;
}

export const INAUDIBLE_TEXT = '[inaudible]';
/** Share of the progress bar given to the VAD pass; the rest goes to transcription. */
const VAD_SHARE = 15;
const SR = ENGINE_SAMPLE_RATE;
const WINDOW_SAMPLES = MAX_WINDOW_SECONDS * SR;
/** Speech after the model's last segment that makes the next window start there rather than at the window's end. */
const UNHEARD_SPEECH_SAMPLES = SR;
/** A segment ending this close to a window cut through speech may have lost the end of its last word. */
const CUT_EDGE_SECONDS = 0.5;
/** Speech without text shorter than this (a cough, a click VAD took for speech) is not marked. */
const INAUDIBLE_MIN_SAMPLES = SR;
/** Each window moves on by at least this much, so a model that keeps stopping at once cannot stall the file. */
const MIN_PROGRESS_SAMPLES = SR / 2;
/** A window is limited to the speech the model passed over at most this many times in a row (bounded work). */
const MAX_LIMITS_PER_WINDOW = 3;
/** The prompt budget is half the decoder's context; more earlier tokens are never needed. */
const PREVIOUS_TOKENS_KEPT = 224;
/** openai / faster-whisper: a fallback hotter than this drops the earlier text from the prompt. */
const PROMPT_RESET_TEMPERATURE = 0.5;

const toMilliseconds = (seconds: number): number => Math.round(seconds * 1000) / 1000;

function cancelled(path: string): { ok: false; error: CodedError } {
  return fail('CANCELLED', `Transcription of ${path} was cancelled.`, path);
}

/**
 * Long-form transcription of one probed file with bounded memory. A VAD pass finds the speech; a second
 * streamed decode lays it out with long silences shortened (SpeechTimeline) and Whisper hears it window by
 * window, each window starting where the previous one's transcript ends, as openai-whisper seeks. No detected
 * speech is dropped without a trace: where the model stops early or passes over speech (unheard-speech.ts) the
 * next window starts there, and speech that yields no text after the fallback is marked [inaudible] with its
 * times.
 */
export async function transcribeFile(
  probe: AudioProbeInfo,
  deps: TranscribeFileDeps,
  options: TranscribeFileOptions,
): Promise<Result<Transcript>> {
  const report = options.onProgress ?? (() => undefined);
  const path = probe.path;
  const duration = probe.durationSeconds;
  const fraction = (seconds: number): number => (duration && duration > 0 ? Math.min(1, seconds / duration) : 0);

  const spans = await deps.findSpeech(path, (seconds) => report('vad', fraction(seconds) * VAD_SHARE), options.signal);
  if (!spans.ok) return spans;
  if (options.signal?.aborted) return cancelled(path);

  const timeline = SpeechTimeline.fromSpans(spans.value, duration);
  const decoding = deps.decoder.decode(path, {
    chunkSamples: SR,
    audioStreamIndex: probe.audioStreamIndex,
    signal: options.signal,
  });
  const audio = new PackedAudio(decoding[Symbol.asyncIterator](), timeline, WINDOW_SAMPLES + 2 * SR);
  const follower = options.language === null && deps.recognizer.multilingual ? new LanguageFollower() : null;
  const condition = options.conditionOnPreviousText ?? true;
  const segments: TranscriptSegment[] = [];
  const languages = new Map<string, number>();
  let previousTokens: number[] = [];
  let previousLanguage: string | null = null;
  let lastSpeechEnd = 0;
  /** Where the alignment heard the last kept word end (virtual samples); see `RecognizedSegment.alignedEnd`. */
  let alignedSpeechEnd = 0;
  let seek = 0;
  let windowIndex = 0;
  /** Set when the model passed over the speech at a window's start: hear up to here alone first. */
  let windowLimit: number | null = null;
  /** How many times in a row the window at `seek` has been limited. */
  let limits = 0;

  const toSeconds = (virtual: number, edge: 'start' | 'end'): number => toMilliseconds(timeline.toReal(virtual, edge) / SR);
  const place = (
    windowStart: number,
    segment: RecognizedSegment,
    windowSamples: number,
  ): { start: number; end: number; words?: TranscriptWord[] } => {
    const at = (seconds: number): number => windowStart + Math.min(windowSamples, Math.max(0, Math.round(seconds * SR)));
    const start = toSeconds(at(segment.start), 'start');
    const end = Math.max(start, toSeconds(at(segment.end ?? windowSamples / SR), 'end'));
    const words = segment.words?.map((word) => {
      const span = timeline.keepInSpeech(at(word.start), at(word.end));
      const wordStart = toSeconds(span.start, 'start');
      return { ...word, start: wordStart, end: Math.max(wordStart, toSeconds(span.end, 'end')) };
    });
    return { start, end, ...(words ? { words } : {}) };
  };

  /** Marks [from, to) as [inaudible] when VAD heard enough speech there; whether it did. */
  const markInaudible = (stretchStart: number, to: number): boolean => {
    // The rest of a word whose segment closed before its sound ended (openai's guard against overlong last
    // words) is that word, already written: only speech after it is unheard.
    const from = Math.min(Math.max(stretchStart, alignedSpeechEnd), to);
    if (timeline.speechWithin(from, to) < INAUDIBLE_MIN_SAMPLES) return false;
    const start = toSeconds(from, 'start');
    segments.push({
      id: segments.length,
      start,
      end: Math.max(start, toSeconds(to, 'end')),
      text: INAUDIBLE_TEXT,
      speaker: null,
      inaudible: true,
    });
    return true;
  };

  try {
    while (seek < timeline.length) {
      if (options.signal?.aborted) return cancelled(path);
      const end = Math.min(seek + WINDOW_SAMPLES, timeline.length, windowLimit ?? Number.POSITIVE_INFINITY);
      windowLimit = null;
      const failure = await audio.fill(end);
      if (failure) return options.signal?.aborted ? cancelled(path) : { ok: false, error: { ...failure, subject: path } };
      let samples = audio.slice(seek, end);
      if (samples.length === 0) break;
      // What is left may be the silence kept around the last speech: nothing to hear.
      if (timeline.speechWithin(seek, seek + samples.length) === 0) break;

      let language = options.language;
      /** The whole window's likeliest language, when the window was given another (a stretch's). */
      let windowsOwn: string | null = null;
      if (follower) {
        const chosen = await chooseWindowLanguage(deps.recognizer, follower, samples, seek, timeline);
        if (!chosen.ok) return options.signal?.aborted ? cancelled(path) : { ok: false, error: { ...chosen.error, subject: path } };
        language = chosen.value.language;
        const likeliest = likeliestLanguage(chosen.value.probabilities);
        windowsOwn = likeliest !== language ? likeliest : null;
        if (chosen.value.cutAt !== null) samples = samples.subarray(0, chosen.value.cutAt - seek);
      }
      // Text in another language pulls the decoder back into it: a switch starts the prompt afresh.
      if (language !== previousLanguage) previousTokens = [];
      previousLanguage = language;

      const hear = (inLanguage: string | null, prompt: number[]): ReturnType<SpeechRecognizer['transcribeWindow']> =>
        deps.recognizer.transcribeWindow(samples, {
          language: inLanguage,
          task: options.task,
          previousTokens: condition ? prompt : undefined,
          initialPrompt: options.initialPrompt || undefined,
          decoding: options.decoding,
          lastSpeechAt: (lastSpeechEnd - seek) / SR,
          seed: windowIndex,
          signal: options.signal,
        });
      let recognized = await hear(language, previousTokens);
      // A language taken from a short stretch heard alone can be wrong (2 s of English heard as Chinese), and the
      // decoder then fails every fallback and makes text up. Heard again in the language Whisper gives the whole
      // window, the likelier decode wins.
      if (follower && windowsOwn !== null && recognized.ok && recognized.value.quality?.failed === true) {
        const again = await hear(windowsOwn, []);
        if (again.ok && (again.value.quality?.avgLogprob ?? -Infinity) > (recognized.value.quality?.avgLogprob ?? -Infinity)) {
          recognized = again;
          follower.follow(windowsOwn);
          previousLanguage = windowsOwn;
          previousTokens = [];
        }
      }
      if (!recognized.ok) {
        if (isCancelled(recognized.error) || options.signal?.aborted) return cancelled(path);
        return { ok: false, error: { ...recognized.error, subject: path } };
      }
      const window = recognized.value;
      const windowSeconds = samples.length / SR;
      let resumeAt = Math.round(Math.min(window.resumeAt ?? windowSeconds, windowSeconds) * SR);
      let inaudible = false;
      let resumedEarly = false;
      // Text over no detected speech at all (in the silence kept around it) is a hallucination on silence.
      const overSpeech = (segment: RecognizedSegment): boolean =>
        timeline.speechWithin(seek + Math.round(segment.start * SR), seek + Math.round((segment.end ?? windowSeconds) * SR)) > 0;
      let kept = window.segments.filter((segment) => segment.text.trim() !== '' && overSpeech(segment));
      const unheard = findUnheardSpeech(kept, (from, to) => timeline.speechWithin(seek + from, seek + to), SR, UNHEARD_SPEECH_SAMPLES);
      // A window limited this way may pass over the same speech again (its first segment now starts earlier):
      // limit it again, down to the speech alone, which is then heard or marked [inaudible]. Each retry is shorter.
      if (
        unheard?.kind === 'leading' &&
        unheard.end >= MIN_PROGRESS_SAMPLES &&
        unheard.end < samples.length &&
        limits < MAX_LIMITS_PER_WINDOW
      ) {
        windowLimit = seek + unheard.end;
        limits += 1;
        continue;
      }
      limits = 0;
      if (unheard?.kind === 'between') {
        kept = kept.slice(0, unheard.keep);
        resumeAt = Math.min(resumeAt, unheard.resumeAt);
        resumedEarly = true;
      }
      languages.set(window.language, (languages.get(window.language) ?? 0) + samples.length);
      // A last segment the model left open, or closed right at a cut through speech, may hold half a word:
      // drop it and start the next window at its start, so it is heard whole, once.
      const last = kept.at(-1);
      const cutThroughSpeech =
        seek + samples.length < timeline.length && timeline.speechWithin(seek + samples.length - 1, seek + samples.length) > 0;
      if (last && kept.length >= 2 && (last.end === null || (cutThroughSpeech && last.end >= windowSeconds - CUT_EDGE_SECONDS))) {
        kept = kept.slice(0, -1);
        resumeAt = Math.min(resumeAt, Math.round(last.start * SR));
      }
      const added = segments.length;
      // Speech the model still passed over after the window was limited to it: marked, never skipped silently.
      if (unheard?.kind === 'leading') inaudible = markInaudible(seek, seek + unheard.end);
      for (const segment of kept) {
        segments.push({
          id: segments.length,
          ...place(seek, segment, samples.length),
          text: segment.text,
          speaker: null,
          language: window.language,
        });
      }
      if (kept.length === 0) {
        // No text over detected speech, even after the fallback: mark the stretch, never skip it silently.
        const speechEnd = Math.min(timeline.speechEndAfter(seek) ?? seek + samples.length, seek + samples.length);
        inaudible = markInaudible(seek, speechEnd);
        resumeAt = speechEnd - seek;
      } else {
        const heardUntil = Math.round(Math.max(...kept.map((segment) => segment.words?.at(-1)?.end ?? segment.end ?? windowSeconds)) * SR);
        lastSpeechEnd = seek + heardUntil;
        const alignedEnd = kept.at(-1)?.alignedEnd;
        alignedSpeechEnd = Math.max(lastSpeechEnd, alignedEnd === undefined ? 0 : seek + Math.round(alignedEnd * SR));
        // The model closed the window, but VAD hears speech after its last words: hear it in the next window.
        if (resumeAt > heardUntil && timeline.speechWithin(seek + heardUntil, seek + samples.length) >= UNHEARD_SPEECH_SAMPLES) {
          resumeAt = heardUntil;
          resumedEarly = true;
        }
      }
      resumeAt = Math.min(samples.length, Math.max(resumeAt, Math.min(samples.length, MIN_PROGRESS_SAMPLES)));
      options.onWindow?.({
        start: toSeconds(seek, 'start'),
        end: toSeconds(seek + samples.length, 'end'),
        language: window.language,
        quality: window.quality ?? null,
        segments: kept.length,
        inaudible,
        resumedEarly,
      });
      if ((window.quality?.temperature ?? 0) > PROMPT_RESET_TEMPERATURE) previousTokens = [];
      else previousTokens = [...previousTokens, ...keptTokens(kept, window.tokens)].slice(-PREVIOUS_TOKENS_KEPT);
      seek += resumeAt;
      windowIndex += 1;
      audio.dropBefore(seek);
      report('transcribe', VAD_SHARE + fraction(timeline.toReal(seek, 'end') / SR) * (100 - VAD_SHARE), segments.slice(added));
    }
  } finally {
    await audio.close();
  }

  report('done', 100);
  return ok({
    source: basename(path),
    language: options.language ?? mostHeard(languages) ?? 'en',
    modelId: deps.recognizer.modelId,
    task: options.task,
    duration: duration ?? audio.decodedSamples / SR,
    segments,
  });
}

/** The tokens of the segments kept (what the next window follows on from), or the window's when segments carry none. */
function keptTokens(kept: readonly RecognizedSegment[], windowTokens: readonly number[] | undefined): number[] {
  if (kept.every((segment) => segment.tokens !== undefined)) return kept.flatMap((segment) => segment.tokens ?? []);
  return [...(windowTokens ?? [])];
}

function mostHeard(languages: ReadonlyMap<string, number>): string | null {
  let best: string | null = null;
  let samples = -1;
  for (const [language, heard] of languages) {
    if (heard > samples) [best, samples] = [language, heard];
  }
  return best;
}
