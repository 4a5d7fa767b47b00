import type { RecordingEvent } from '../../src-shared/recording-events';
import type { CodedError } from '../../src-shared/result';
import type { AsrTask } from '../../src-shared/transcript';
import type { RecognizedSegment, SpeechRecognizer } from '../asr/types';
import { ENGINE_SAMPLE_RATE } from '../audio/types';
import type { LiveSpeakerLabeler } from '../diarization/live-speaker-labeler';
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
  /** Live segmentation: shorter silences than offline so commits come sooner. */
  segmenter?: SegmenterOptions;
  /** Provisional speaker labels for committed segments; none (speaker null) without it. */
  speakers?: LiveSpeakerLabeler;
}

interface Hypothesis {
  start: number;
  end: number;
  segments: RecognizedSegment[];
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
const PRE_ROLL_SAMPLES = SR;
const seconds = (samples: number): number => Math.round((samples / SR) * 1000) / 1000;

/**
 * Turns a live 16 kHz stream into partial and committed transcript events. Utterances are cut by VAD;
 * while one is spoken, Whisper re-hears it at least once a second (partials); when it ends, the last
 * hypothesis that heard all of it is committed (or one more pass is run). Committed text is final.
 * Passes run beside the stream (VAD keeps up while Whisper works): when a pause begins, a partial in
 * flight is interrupted and the utterance is heard up to its end, so the commit follows the pause.
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
  private skippedSamples = 0;
  private speakerErrorReported = false;
  private readonly partialInterval: number;
  private readonly maxUtterance: number;

  constructor(private readonly options: LiveTranscriberOptions) {
    this.language = options.language;
    this.partialInterval = Math.round((options.partialIntervalSeconds ?? 1) * SR);
    this.maxUtterance = Math.round(Math.min(options.maxUtteranceSeconds ?? LIVE_MAX_UTTERANCE_SECONDS, MAX_WINDOW_SECONDS) * SR);
    this.vadStream = this.newVadStream();
  }

  /** Position one past the last sample pushed (absolute, recording timeline). */
  get position(): number {
    return this.audio.endSample;
  }

  /** The language given or detected from the first utterance (null before any speech). */
  get detectedLanguage(): string | null {
    return this.language;
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
    if (now - this.utteranceStart >= this.maxUtterance) {
      await this.settlePasses();
      await this.forceCut();
    } else if (pendingEnd !== null && this.vadOrigin + pendingEnd <= now) this.hearPendingEnd(this.vadOrigin + pendingEnd);
    else if (this.pass === null && now - Math.max(this.lastAsrAt, this.utteranceStart) >= this.partialInterval) {
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
      const heardAll = this.hypothesis !== null && this.hypothesis.start === start && this.hypothesis.end >= end;
      const segments = heardAll ? (this.hypothesis as Hypothesis).segments : await this.recognize(this.audio.slice(start, end));
      if (segments) await this.commit(start, end, segments);
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
    if (covers(this.hypothesis) || (this.pass?.kind === 'final' && this.pass.utterance === this.utterance && covers(this.pass))) return;
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
      const segments = abort.signal.aborted ? null : await this.recognize(audio, abort.signal);
      if (this.pass === pass) this.pass = null;
      if (!segments || abort.signal.aborted || utterance !== this.utterance) return;
      this.hypothesis = { start, end, segments };
      this.options.emit({ type: 'partial', start: seconds(start), end: seconds(end), text: segments.map((segment) => segment.text).join(' ') });
    });
    this.pass = pass;
  }

  private async settlePasses(): Promise<void> {
    while (this.pass) await this.pass.done;
  }

  /** A monologue with no pause for 30 s: commit all but the last segment, resume at its start. */
  private async forceCut(): Promise<void> {
    const start = this.utteranceStart as number;
    const end = start + this.maxUtterance;
    const segments = await this.recognize(this.audio.slice(start, end));
    this.hypothesis = null;
    this.utterance += 1;
    if (!segments) {
      this.utteranceStart = end;
      this.committedUntil = end;
      return;
    }
    const window = { start: start / SR, end: end / SR, forced: true };
    const { resumeAt, keep } = resumePointAfter(window, segments);
    const resumeSample = Math.round(resumeAt * SR);
    await this.commit(start, resumeSample, segments.slice(0, keep));
    this.utteranceStart = resumeSample;
    this.committedUntil = resumeSample;
    this.audio.dropBefore(resumeSample);
  }

  private async recognize(audio: Float32Array, signal?: AbortSignal): Promise<RecognizedSegment[] | null> {
    if (this.language === null) {
      const detected = await this.options.recognizer.detectLanguage(audio);
      if (!detected.ok) return this.report(detected.error);
      this.language = detected.value.language;
    }
    const result = await this.options.recognizer.transcribeWindow(audio, { language: this.language, task: this.options.task, ...(signal ? { signal } : {}) });
    if (result.ok) return result.value.segments;
    return result.error.code === 'ASR_CANCELLED' ? null : this.report(result.error);
  }

  private report(error: CodedError): null {
    this.options.emit({ type: 'error', error, fatal: false });
    return null;
  }

  private async commit(start: number, end: number, segments: RecognizedSegment[]): Promise<void> {
    const windowSeconds = (end - start) / SR;
    for (const segment of segments) {
      const fromSample = start + Math.min(segment.start, windowSeconds) * SR;
      const toSample = Math.max(fromSample, start + Math.min(segment.end ?? windowSeconds, windowSeconds) * SR);
      const speaker = await this.speakerOf(Math.round(fromSample), Math.round(toSample));
      this.options.emit({
        type: 'committed',
        segment: { id: this.nextSegmentId++, start: seconds(fromSample), end: seconds(toSample), text: segment.text, speaker },
      });
    }
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
        this.report({ code: 'LIVE_SPEAKERS_FAILED', message: `Live speaker labels stopped working: ${error instanceof Error ? error.message : String(error)}` });
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
