import { errorMessage, isCancelled } from '../../src-shared/errors';
import type { RecordingEvent } from '../../src-shared/recording-events';
import type { CodedError } from '../../src-shared/result';
import type { AsrTask } from '../../src-shared/transcript';
import type { DecodingOptions, RecognizedSegment, SpeechRecognizer } from '../asr/types';
import { ENGINE_SAMPLE_RATE } from '../audio/types';
import type { LiveSpeakerLabeler } from '../diarization/live-speaker-labeler';
import { LanguageFollower } from '../pipeline/language-follower';
import { SampleWindow } from '../pipeline/sample-window';
import { MAX_WINDOW_SECONDS, resumePointAfter } from '../pipeline/window-planner';
import type { SegmenterOptions } from '../vad/speech-segmenter';
import { StreamingVad, type FrameVad } from '../vad/streaming-vad';

export interface LiveTranscriberOptions {
  recognizer: SpeechRecognizer;
  vad: FrameVad;
  emit: (event: RecordingEvent) => void;
  language: string | null;
  task: AsrTask;
  /** Seconds between partial hypotheses while someone speaks (default 1). */
  partialIntervalSeconds?: number;
  /** Longest utterance before a forced cut and commit (default 12: long unbroken speech still commits within ~15 s). */
  maxUtteranceSeconds?: number;
  /** An utterance this long commits at its next short pause that a final pass heard (default 3 s). */
  commitAtPauseAfterSeconds?: number;
  /** Live segmentation: shorter silences than offline so commits come sooner. */
  segmenter?: SegmenterOptions;
  /** Provisional speaker labels for committed segments; none (speaker null) without it. */
  speakers?: LiveSpeakerLabeler | undefined;
  /** Names and words the speakers use (a vocabulary prompt), kept in every pass's prompt. */
  initialPrompt?: string | undefined;
}

/**
 * Partials only show what is being said, so they are decoded the cheap way (greedy, no fallback, no timestamps);
 * commits are decoded as the offline path does (beam search, fallback, word times).
 */
const PARTIAL_DECODING: Partial<DecodingOptions> = { beamSize: 1, temperatures: [0], withTimestamps: false, wordTimestamps: false };
/** Committed tokens kept to condition the next utterance on (the prompt budget is half Whisper's context). */
const PROMPT_TOKENS_KEPT = 224;
const PROMPT_RESET_TEMPERATURE = 0.5;
/**
 * Partials start no closer together than this many times the last one's duration: they keep Whisper busy at
 * most two thirds of the time, so when a machine is loaded (a partial takes longer than the interval) they thin
 * out instead of running back to back, and the final pass at a pause finds the cores free sooner.
 */
const PARTIAL_SPACING = 1.5;

/** What one Whisper pass heard of an utterance. */
interface Heard {
  segments: RecognizedSegment[];
  /** Seconds into the audio up to which it is transcribed (an unfinished last segment is left out). */
  resumeAt: number | null;
  tokens: number[];
  temperature: number;
  language: string;
}

interface Hypothesis {
  start: number;
  end: number;
  heard: Heard;
  /** Decoded as a commit is (a final pass), not as a cheap partial. */
  final: boolean;
}

/** A Whisper pass running (or queued behind the one running) while the stream goes on. */
interface Pass {
  kind: 'partial' | 'final';
  utterance: number;
  start: number;
  end: number;
  abort: AbortController;
  done: Promise<void>;
}

const SR = ENGINE_SAMPLE_RATE;
/** A live reader waits for a commit; a monologue is cut (with Whisper's seek-back) after this many seconds. */
export const LIVE_MAX_UTTERANCE_SECONDS = 12;
/**
 * An utterance of at least this much commits at a short pause (150 ms of silence, too short to end it) that a
 * final pass heard, so the pass at the utterance's end, the one a reader waits for, hears at most this plus the
 * stretch to the next pause. bench:live (whisper-base, the same hour): p95 2.15 → 1.27–1.32 s (its 23 s dialogue's
 * last 12 s has one short pause, 3.7 s in; at 6 s the p95 stayed 2.15 s); bench:accuracy's 10.9-minute file heard
 * live, words against the references: 110 errors without, 112 at 3 s, 113 at 6 s (near ties, "1" for "one").
 */
export const LIVE_COMMIT_AT_PAUSE_AFTER_SECONDS = 3;
const PRE_ROLL_SAMPLES = SR;
const seconds = (samples: number): number => Math.round((samples / SR) * 1000) / 1000;

/**
 * Turns a live 16 kHz stream into partial and committed transcript events. Utterances are cut by VAD;
 * while one is spoken, Whisper re-hears it at least once a second (partials); when it ends, the last
 * hypothesis that heard all of it is committed (or one more pass is run). Committed text is final.
 * Passes run beside the stream (VAD keeps up while Whisper works): when a pause begins, a partial in
 * flight is interrupted and the utterance is heard up to its end, so the commit follows the pause. An
 * utterance of 3 s or more whose speaker paused too briefly to end it commits what that pause's pass heard, so
 * the pass at its end has only the rest to hear.
 * Memory is bounded: only the utterance in progress (≤ 30 s) plus a short pre-roll is held.
 */
export class LiveTranscriber {
  private vadStream: StreamingVad;
  private vadOrigin = 0;
  private readonly audio = new SampleWindow((MAX_WINDOW_SECONDS + 4) * SR);
  private utteranceStart: number | null = null;
  private lastAsrAt = 0;
  private hypothesis: Hypothesis | null = null;
  /** Bumped whenever the utterance in progress changes, so a late pass cannot touch the next one. */
  private utterance = 0;
  private pass: Pass | null = null;
  private committedUntil = 0;
  private nextSegmentId = 0;
  private language: string | null;
  private readonly follower: LanguageFollower | null;
  private committedTokens: number[] = [];
  private skippedSamples = 0;
  private speakerErrorReported = false;
  private readonly partialInterval: number;
  /** Audio that arrived while the last completed partial ran (its cost in stream time). */
  private lastPartialCost = 0;
  private readonly maxUtterance: number;
  private readonly commitAtPauseAfter: number;

  constructor(private readonly options: LiveTranscriberOptions) {
    this.language = options.language;
    this.follower = options.language === null && options.recognizer.multilingual ? new LanguageFollower() : null;
    this.partialInterval = Math.round((options.partialIntervalSeconds ?? 1) * SR);
    this.maxUtterance = Math.round(Math.min(options.maxUtteranceSeconds ?? LIVE_MAX_UTTERANCE_SECONDS, MAX_WINDOW_SECONDS) * SR);
    this.commitAtPauseAfter = Math.round((options.commitAtPauseAfterSeconds ?? LIVE_COMMIT_AT_PAUSE_AFTER_SECONDS) * SR);
    this.vadStream = this.newVadStream();
  }

  /** Position one past the last sample pushed (absolute, recording timeline). */
  get position(): number {
    return this.audio.endSample;
  }

  /** The language given, or the one followed utterance by utterance (null before any speech). */
  get detectedLanguage(): string | null {
    return this.language ?? this.follower?.current ?? null;
  }

  get segmentsCommitted(): number {
    return this.nextSegmentId;
  }

  /** Feeds the next contiguous samples; may run Whisper (awaited) for a partial or a commit. */
  async push(samples: Float32Array): Promise<void> {
    this.audio.append(samples);
    const completed = await this.vadStream.push(samples);
    for (const region of completed) {
      await this.finishUtterance(this.vadOrigin + region.startSample, this.vadOrigin + region.endSample);
    }
    const openStart = this.vadStream.openRegionStart;
    const now = this.audio.endSample;
    if (openStart === null) {
      if (this.utteranceStart !== null && completed.length === 0) this.discardUtterance();
      this.audio.dropBefore(now - PRE_ROLL_SAMPLES);
      return;
    }
    if (this.utteranceStart === null) {
      this.utteranceStart = Math.max(this.vadOrigin + openStart, this.committedUntil, this.audio.startSample);
      this.utterance += 1;
    }
    const pendingEnd = this.vadStream.pendingRegionEnd;
    if (pendingEnd === null && this.heardLongPartBeforePause(now)) {
      await this.commitHeardPart();
      if (this.utteranceStart === null) return;
    }
    if (now - this.utteranceStart >= this.maxUtterance) {
      await this.settlePasses();
      await this.forceCut();
    } else if (pendingEnd !== null && this.vadOrigin + pendingEnd <= now) this.hearPendingEnd(this.vadOrigin + pendingEnd);
    else if (
      // While a pause may be beginning, the final pass is at most the pad away: a partial started now would only
      // hold it up (an encoder run cannot be interrupted).
      pendingEnd === null &&
      this.pass === null &&
      now - Math.max(this.lastAsrAt, this.utteranceStart) >= Math.max(this.partialInterval, PARTIAL_SPACING * this.lastPartialCost)
    ) {
      this.lastAsrAt = now;
      this.startPass('partial', this.utteranceStart, now);
    }
  }

  /** The stream lost [from, to) (ASR fell behind): drop the utterance in progress and report the gap. */
  skip(from: number, to: number): void {
    const gapStart = Math.min(this.utteranceStart ?? from, from);
    this.skippedSamples += to - gapStart;
    this.pass?.abort.abort();
    this.utterance += 1;
    this.utteranceStart = null;
    this.hypothesis = null;
    this.committedUntil = to;
    this.audio.restartAt(to);
    this.vadStream = this.newVadStream();
    this.vadOrigin = to;
    this.options.emit({ type: 'gap', start: seconds(gapStart), end: seconds(to), totalSkippedSeconds: seconds(this.skippedSamples) });
  }

  /** End of the recording: commits the utterance in progress. */
  async flush(): Promise<void> {
    for (const region of await this.vadStream.finish()) {
      await this.finishUtterance(this.vadOrigin + region.startSample, this.vadOrigin + region.endSample);
    }
    this.utteranceStart = null;
    this.pass?.abort.abort();
    await this.settlePasses();
  }

  private newVadStream(): StreamingVad {
    return new StreamingVad(this.options.vad, { minSilenceMs: 400, speechPadMs: 150, ...this.options.segmenter, keepProbabilities: false });
  }

  private async finishUtterance(regionStart: number, regionEnd: number): Promise<void> {
    const start = Math.max(this.utteranceStart ?? regionStart, this.committedUntil, this.audio.startSample);
    const end = Math.min(regionEnd, this.audio.endSample);
    if (end > start) {
      // A pass hearing this utterance up to its end may be running: its result is the commit.
      await this.settlePasses();
      const heardAll = this.hypothesis !== null && this.hypothesis.final && this.hypothesis.start === start && this.hypothesis.end >= end;
      const heard = heardAll ? (this.hypothesis as Hypothesis).heard : await this.recognize(this.audio.slice(start, end), 'final');
      if (heard) await this.commit(start, end, heard, heard.segments);
    }
    this.utteranceStart = null;
    this.utterance += 1;
    this.hypothesis = null;
    this.committedUntil = Math.max(this.committedUntil, end);
  }

  /**
   * Someone may have stopped speaking: as soon as the padded end of their speech has arrived, hear the
   * utterance up to it, so that when the silence is long enough to commit, the final hypothesis is
   * already there (commit latency ≈ the silence wait, not the wait plus a Whisper pass). A partial
   * still decoding is interrupted for it. If they go on speaking, this pass served as a partial.
   */
  private hearPendingEnd(end: number): void {
    const start = this.utteranceStart as number;
    if (end <= start) return;
    const covers = (heard: { start: number; end: number } | null): boolean => heard !== null && heard.start === start && heard.end >= end;
    if (
      (this.hypothesis?.final === true && covers(this.hypothesis)) ||
      (this.pass?.kind === 'final' && this.pass.utterance === this.utterance && covers(this.pass))
    )
      return;
    this.lastAsrAt = this.audio.endSample;
    this.startPass('final', start, end);
  }

  /** Runs a pass after the one in flight (interrupting that one if it is a partial); does not wait for it. */
  private startPass(kind: Pass['kind'], start: number, end: number): void {
    const previous = this.pass;
    if (previous?.kind === 'partial') previous.abort.abort();
    const audio = this.audio.slice(start, end);
    const abort = new AbortController();
    const utterance = this.utterance;
    const pass: Pass = { kind, utterance, start, end, abort, done: Promise.resolve() };
    pass.done = (previous?.done ?? Promise.resolve()).then(async () => {
      const startedAt = this.audio.endSample;
      const heard = abort.signal.aborted ? null : await this.recognize(audio, kind, abort.signal);
      if (kind === 'partial' && heard && !abort.signal.aborted) this.lastPartialCost = this.audio.endSample - startedAt;
      if (this.pass === pass) this.pass = null;
      if (!heard || abort.signal.aborted || utterance !== this.utterance) return;
      this.hypothesis = { start, end, heard, final: kind === 'final' };
      this.options.emit({
        type: 'partial',
        start: seconds(start),
        end: seconds(end),
        text: heard.segments.map((segment) => segment.text).join(' '),
      });
    });
    this.pass = pass;
  }

  private async settlePasses(): Promise<void> {
    while (this.pass) await this.pass.done;
  }

  /**
   * A long utterance in which the speaker paused briefly (too briefly to end it) and went on: the final pass
   * started at that pause heard everything up to it, as a commit would. Committing it then, rather than at the
   * utterance's end or at the forced cut, costs no pass, gives the reader final text sooner, and leaves a shorter
   * remainder for the pass at the end, which is what the reader waits for.
   */
  private heardLongPartBeforePause(now: number): boolean {
    const hypothesis = this.hypothesis;
    const start = this.utteranceStart;
    return (
      start !== null &&
      hypothesis !== null &&
      hypothesis.final &&
      hypothesis.start === start &&
      hypothesis.end <= now &&
      hypothesis.end - start >= this.commitAtPauseAfter &&
      hypothesis.heard.segments.length > 0
    );
  }

  private async commitHeardPart(): Promise<void> {
    const { start, end, heard } = this.hypothesis as Hypothesis;
    this.pass?.abort.abort();
    await this.settlePasses();
    this.hypothesis = null;
    this.utterance += 1;
    await this.commit(start, end, heard, heard.segments);
    this.utteranceStart = end;
    this.committedUntil = end;
    this.lastAsrAt = this.audio.endSample;
  }

  /**
   * A monologue with no pause for the longest utterance: commit what the pass heard whole and resume where it stops
   * (the recognizer leaves an unfinished last segment out; one that merely runs to the cut is dropped too).
   */
  private async forceCut(): Promise<void> {
    const start = this.utteranceStart as number;
    const end = start + this.maxUtterance;
    const heard = await this.recognize(this.audio.slice(start, end), 'final');
    this.hypothesis = null;
    this.utterance += 1;
    if (!heard) {
      this.utteranceStart = end;
      this.committedUntil = end;
      return;
    }
    const window = { start: start / SR, end: end / SR, forced: true };
    const windowSeconds = (end - start) / SR;
    const cut = resumePointAfter(window, heard.segments);
    // The recognizer already left out what it did not finish; otherwise the last segment may end mid-word.
    const { resumeAt, keep } =
      heard.resumeAt !== null && heard.resumeAt < windowSeconds - 1e-6 && heard.resumeAt > 1
        ? { resumeAt: window.start + heard.resumeAt, keep: heard.segments.length }
        : cut;
    const resumeSample = Math.round(resumeAt * SR);
    await this.commit(start, resumeSample, heard, heard.segments.slice(0, keep));
    this.utteranceStart = resumeSample;
    this.committedUntil = resumeSample;
    this.audio.dropBefore(resumeSample);
  }

  /**
   * One Whisper pass. Without a given language each final pass follows it (detected on the utterance, with
   * hysteresis; the detection's encoding is reused for the decode); partials keep the language being followed.
   * Final passes are conditioned on the text committed before them, as the offline path is, and hear the utterance
   * with 10 s of the padding after it (as accurate as the full 30 s on the dev clips heard live, at a fraction of
   * its cost for short utterances); partials, shown only until the commit replaces them, hear 5 s of it (cheaper
   * still, a little less accurate: docs/decisions.md).
   */
  private async recognize(audio: Float32Array, kind: Pass['kind'], signal?: AbortSignal): Promise<Heard | null> {
    const recognizer = this.options.recognizer;
    const final = kind === 'final';
    const context = final ? 'fitted-wide' : 'fitted';
    let language = this.language ?? this.follower?.current ?? null;
    if (this.follower && (final || language === null)) {
      // The decode below hears the same array: the check's encoding serves it.
      const detected = await recognizer.detectLanguage(audio, { context, keepEncoding: true });
      if (!detected.ok) return this.report(detected.error);
      const previous = this.follower.current;
      language = this.follower.choose(detected.value.probabilities ?? new Map([[detected.value.language, detected.value.probability]]));
      if (previous !== null && language !== previous) this.committedTokens = [];
    }
    const result = await recognizer.transcribeWindow(audio, {
      language,
      task: this.options.task,
      context,
      ...(final ? { previousTokens: this.committedTokens } : { decoding: PARTIAL_DECODING }),
      initialPrompt: this.options.initialPrompt || undefined,
      signal,
    });
    if (!result.ok) return isCancelled(result.error) ? null : this.report(result.error);
    const window = result.value;
    return {
      segments: window.segments,
      resumeAt: window.resumeAt ?? null,
      tokens: window.tokens ?? [],
      temperature: window.quality?.temperature ?? 0,
      language: window.language,
    };
  }

  private report(error: CodedError): null {
    this.options.emit({ type: 'error', error, fatal: false });
    return null;
  }

  private async commit(start: number, end: number, heard: Heard, segments: readonly RecognizedSegment[]): Promise<void> {
    const windowSeconds = (end - start) / SR;
    const at = (time: number): number => start + Math.min(Math.max(0, time), windowSeconds) * SR;
    const language = heard.language;
    for (const segment of segments) {
      const fromSample = at(segment.start);
      const toSample = Math.max(fromSample, at(segment.end ?? windowSeconds));
      const speaker = await this.speakerOf(Math.round(fromSample), Math.round(toSample));
      const words = segment.words?.map((word) => ({
        ...word,
        start: seconds(at(word.start)),
        end: seconds(Math.max(at(word.start), at(word.end))),
      }));
      this.options.emit({
        type: 'committed',
        segment: {
          id: this.nextSegmentId++,
          start: seconds(fromSample),
          end: seconds(toSample),
          text: segment.text,
          speaker,
          ...(words ? { words } : {}),
          ...(language ? { language } : {}),
        },
      });
    }
    // The committed pass's tokens become the next utterance's prompt (dropped after a hot fallback).
    this.committedTokens =
      heard.temperature > PROMPT_RESET_TEMPERATURE ? [] : [...this.committedTokens, ...heard.tokens].slice(-PROMPT_TOKENS_KEPT);
    this.audio.dropBefore(end);
  }

  /** A provisional label; a failing embedding costs the label, never the text. */
  private async speakerOf(fromSample: number, toSample: number): Promise<string | null> {
    const labeler = this.options.speakers;
    if (labeler === undefined || toSample <= fromSample) return null;
    try {
      return await labeler.label(this.audio.slice(fromSample, toSample));
    } catch (error) {
      if (!this.speakerErrorReported) {
        this.speakerErrorReported = true;
        this.report({ code: 'LIVE_SPEAKERS_FAILED', message: `Live speaker labels stopped working: ${errorMessage(error)}` });
      }
      return null;
    }
  }

  private discardUtterance(): void {
    this.pass?.abort.abort();
    this.utterance += 1;
    this.utteranceStart = null;
    this.hypothesis = null;
    this.options.emit({ type: 'partial', start: seconds(this.audio.endSample), end: seconds(this.audio.endSample), text: '' });
  }
}
