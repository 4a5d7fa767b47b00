/** A span of speech on the absolute 16 kHz timeline, end exclusive. */
export interface SpeechRegion {
  startSample: number;
  endSample: number;
}

export interface SegmenterOptions {
  /** Probability at or above which a frame is speech (default 0.5). */
  threshold?: number;
  /** Probability below which speech may end (default threshold − 0.15 = 0.35). */
  negativeThreshold?: number;
  minSpeechMs?: number;
  minSilenceMs?: number;
  speechPadMs?: number;
  sampleRate?: number;
  frameSamples?: number;
}

/**
 * Turns per-frame speech probabilities into speech regions with Silero's hysteresis rules
 * (as in silero-vad's get_speech_timestamps), one frame at a time, so it works on a live stream:
 * a region is emitted as soon as the silence after it is long enough.
 *
 * Padding differs from the batch version in one corner: regions never overlap, the later one's
 * padded start is clamped to the earlier one's padded end (the batch version splits a short gap
 * at its midpoint, which a stream cannot do without waiting).
 */
export class SpeechSegmenter {
  private readonly threshold: number;
  private readonly negativeThreshold: number;
  private readonly minSpeechSamples: number;
  private readonly minSilenceSamples: number;
  private readonly padSamples: number;
  private readonly frameSamples: number;
  private frameIndex = 0;
  private speechStart: number | null = null;
  private silenceStart: number | null = null;
  private lastEmittedEnd = 0;

  constructor(options: SegmenterOptions = {}) {
    const sampleRate = options.sampleRate ?? 16000;
    const ms = (value: number): number => Math.round((value * sampleRate) / 1000);
    this.threshold = options.threshold ?? 0.5;
    this.negativeThreshold = options.negativeThreshold ?? Math.max(this.threshold - 0.15, 0.01);
    this.minSpeechSamples = ms(options.minSpeechMs ?? 250);
    this.minSilenceSamples = ms(options.minSilenceMs ?? 500);
    this.padSamples = ms(options.speechPadMs ?? 200);
    this.frameSamples = options.frameSamples ?? 512;
  }

  /** Samples covered by the frames pushed so far. */
  get position(): number {
    return this.frameIndex * this.frameSamples;
  }

  /** True while inside a (not yet emitted) speech region; useful for live UI. */
  get inSpeech(): boolean {
    return this.speechStart !== null;
  }

  /** Padded start of the region in progress (where an utterance being spoken begins), or null. */
  get openRegionStart(): number | null {
    return this.speechStart === null ? null : Math.max(this.speechStart - this.padSamples, this.lastEmittedEnd, 0);
  }

  /**
   * While an open region's speech may be ending (a silence run has begun): where that region would end
   * were it closed now. Lets a live consumer start its final pass before the silence is long enough.
   */
  get pendingEnd(): number | null {
    if (this.speechStart === null || this.silenceStart === null) return null;
    if (this.silenceStart - this.speechStart <= this.minSpeechSamples) return null;
    return this.silenceStart + this.padSamples;
  }

  /** Feeds the next frame's probability; returns the regions this frame completed (0 or 1). */
  push(probability: number): SpeechRegion[] {
    const frameStart = this.frameIndex * this.frameSamples;
    this.frameIndex += 1;
    if (probability >= this.threshold) {
      this.silenceStart = null;
      if (this.speechStart === null) this.speechStart = frameStart;
      return [];
    }
    if (this.speechStart === null || probability >= this.negativeThreshold) return [];
    if (this.silenceStart === null) this.silenceStart = frameStart;
    if (frameStart - this.silenceStart < this.minSilenceSamples) return [];
    return this.close(this.silenceStart, Number.POSITIVE_INFINITY);
  }

  /**
   * Ends the stream: closes an open region at the end of the audio. `totalSamples` is the real
   * audio length (the last frame may have been zero-padded), defaulting to the frames pushed.
   */
  finish(totalSamples: number = this.position): SpeechRegion[] {
    if (this.speechStart === null) return [];
    return this.close(Math.min(this.silenceStart ?? totalSamples, totalSamples), totalSamples);
  }

  private close(rawEnd: number, audioEnd: number): SpeechRegion[] {
    const rawStart = this.speechStart ?? rawEnd;
    this.speechStart = null;
    this.silenceStart = null;
    if (rawEnd - rawStart <= this.minSpeechSamples) return [];
    const region = {
      startSample: Math.max(rawStart - this.padSamples, this.lastEmittedEnd, 0),
      endSample: Math.min(rawEnd + this.padSamples, audioEnd),
    };
    this.lastEmittedEnd = region.endSample;
    return [region];
  }
}
