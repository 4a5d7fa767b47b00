import type { Result } from '../../src-shared/result';
import type { DecodeErrorCode, DecodeItem } from '../audio/types';
import { VAD_FRAME_SAMPLES } from './silero-vad';
import { SpeechSegmenter, type SegmenterOptions, type SpeechRegion } from './speech-segmenter';

/** Anything that scores 512-sample frames with a speech probability (Silero, or a test double). */
export interface FrameVad {
  /** One probability per 512 samples of `frames` (whole frames, the stream's next ones, in order). */
  processFrames(frames: Float32Array): Promise<Float32Array>;
  reset(): void;
}

/** Per-frame probabilities, growing by doubling (≈ 0.5 MB per hour of audio). */
class ProbabilityLog {
  private data = new Float32Array(1024);
  length = 0;

  append(value: number): void {
    if (this.length === this.data.length) {
      const grown = new Float32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length] = value;
    this.length += 1;
  }

  view(): Float32Array {
    return this.data.subarray(0, this.length);
  }
}

/**
 * Silero + segmenter over audio that arrives in chunks of any size (decoder output or live
 * capture). Frame k of `probabilities` covers samples [k·512, (k+1)·512).
 */
export class StreamingVad {
  private readonly segmenter: SpeechSegmenter;
  private readonly pending = new Float32Array(VAD_FRAME_SAMPLES);
  private pendingLength = 0;
  private totalSamples = 0;
  private readonly log: ProbabilityLog | null;

  /** `keepProbabilities: false` for live streams, which must not grow with the recording's length. */
  constructor(
    private readonly vad: FrameVad,
    options: SegmenterOptions & { keepProbabilities?: boolean } = {},
  ) {
    vad.reset();
    this.log = options.keepProbabilities === false ? null : new ProbabilityLog();
    this.segmenter = new SpeechSegmenter({ ...options, frameSamples: VAD_FRAME_SAMPLES });
  }

  get probabilities(): Float32Array {
    return this.log?.view() ?? new Float32Array(0);
  }

  get samplesSeen(): number {
    return this.totalSamples;
  }

  /** Start (in this stream's samples) of the speech region in progress, or null during silence. */
  get openRegionStart(): number | null {
    return this.segmenter.openRegionStart;
  }

  /** Where the open region would end if the silence that has begun lasts (this stream's samples), or null. */
  get pendingRegionEnd(): number | null {
    return this.segmenter.pendingEnd;
  }

  /** Feeds the next samples; returns the speech regions completed meanwhile. */
  async push(samples: Float32Array): Promise<SpeechRegion[]> {
    this.totalSamples += samples.length;
    const whole = Math.floor((this.pendingLength + samples.length) / VAD_FRAME_SAMPLES) * VAD_FRAME_SAMPLES;
    if (whole === 0) {
      this.pending.set(samples, this.pendingLength);
      this.pendingLength += samples.length;
      return [];
    }
    // Every whole frame this chunk completes is scored in one call.
    const fromSamples = whole - this.pendingLength;
    const frames = new Float32Array(whole);
    frames.set(this.pending.subarray(0, this.pendingLength));
    frames.set(samples.subarray(0, fromSamples), this.pendingLength);
    this.pendingLength = samples.length - fromSamples;
    this.pending.set(samples.subarray(fromSamples));
    return this.score(frames);
  }

  /** Ends the stream: a last partial frame is zero-padded, and an open region is closed. */
  async finish(): Promise<SpeechRegion[]> {
    const completed: SpeechRegion[] = [];
    if (this.pendingLength > 0) {
      this.pending.fill(0, this.pendingLength);
      completed.push(...(await this.score(this.pending.slice())));
      this.pendingLength = 0;
    }
    completed.push(...this.segmenter.finish(this.totalSamples));
    return completed;
  }

  private async score(frames: Float32Array): Promise<SpeechRegion[]> {
    const completed: SpeechRegion[] = [];
    for (const probability of await this.vad.processFrames(frames)) {
      this.log?.append(probability);
      completed.push(...this.segmenter.push(probability));
    }
    return completed;
  }
}

export interface SpeechDetection {
  regions: SpeechRegion[];
  probabilities: Float32Array;
  frameSamples: number;
  totalSamples: number;
}

/** Runs VAD over a whole decode; a decode failure is passed through as the result. */
export async function detectSpeech(
  items: AsyncIterable<DecodeItem>,
  vad: FrameVad,
  options: SegmenterOptions = {},
): Promise<Result<SpeechDetection, DecodeErrorCode>> {
  const stream = new StreamingVad(vad, options);
  const regions: SpeechRegion[] = [];
  for await (const item of items) {
    if (!item.ok) return item;
    regions.push(...(await stream.push(item.value.samples)));
  }
  regions.push(...(await stream.finish()));
  return {
    ok: true,
    value: { regions, probabilities: stream.probabilities, frameSamples: VAD_FRAME_SAMPLES, totalSamples: stream.samplesSeen },
  };
}
