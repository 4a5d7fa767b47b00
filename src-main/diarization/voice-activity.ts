import { VAD_FRAME_SAMPLES } from '../vad/silero-vad';
import { SpeechSegmenter, type SegmenterOptions, type SpeechRegion } from '../vad/speech-segmenter';
import { FRAME_DURATION_SAMPLES, FRAME_STEP_SAMPLES } from './segmentation-windows';
import type { LaneVad } from './silero-lanes';
import type { VoicedFrames } from './speaker-pieces';

/**
 * Silero's speech regions as get_speech_timestamps makes them with its published defaults (threshold 0.5, speech
 * ends below 0.35, pauses of at least 100 ms, 30 ms of padding), except that no region is too short: the
 * question asked here is whether the detector hears any speech at all, not which stretches to transcribe.
 */
export const DIARIZATION_VAD_OPTIONS: SegmenterOptions = {
  threshold: 0.5,
  negativeThreshold: 0.35,
  minSpeechMs: 0,
  minSilenceMs: 100,
  speechPadMs: 30,
};

/** Audio is scored in lanes of this many Silero frames (2.048 s)… */
export const LANE_FRAMES = 64;
/** …each preceded by this many frames (0.512 s) of the audio before it, scored and dropped, to settle the detector's state. */
export const WARM_UP_FRAMES = 16;

/**
 * A voice-activity detector run over the diarization's audio stream, answering "is this segmentation frame's
 * centre inside a speech region?". Audio is buffered as it arrives and scored by `scoreBuffered` in lanes of
 * about 2 s on a fixed grid, all lanes of a call in one batch (see silero-lanes.ts); each lane's detector state is warmed up on the half second
 * before it, so the probabilities follow a single stream's closely at a fraction of the model calls. Regions are
 * kept until `forgetBefore` says no earlier frame will be asked about: memory is the unscored audio, the
 * warm-up tail and the regions still needed. The caller asks only about frames at least one lane behind the
 * audio pushed (the diarization's settled frames are 10 s behind).
 */
export class StreamingVoicedFrames implements VoicedFrames {
  private readonly segmenter: SpeechSegmenter;
  private readonly regions: SpeechRegion[] = [];
  /** Unscored audio, preceded by up to WARM_UP_FRAMES frames already scored. */
  private buffer = new Float32Array(0);
  private warmUpSamples = 0;
  private totalSamples = 0;
  private finished = false;

  constructor(
    private readonly vad: LaneVad,
    options: SegmenterOptions = DIARIZATION_VAD_OPTIONS,
  ) {
    this.segmenter = new SpeechSegmenter({ ...options, frameSamples: VAD_FRAME_SAMPLES });
  }

  push(samples: Float32Array): void {
    if (this.finished) throw new Error('audio pushed after the end of the stream');
    const grown = new Float32Array(this.buffer.length + samples.length);
    grown.set(this.buffer);
    grown.set(samples, this.buffer.length);
    this.buffer = grown;
    this.totalSamples += samples.length;
  }

  /**
   * Scores every whole lane buffered so far (less than one lane, 2 s, stays for later). Lanes lie on a fixed grid
   * from the start of the stream, so the result does not depend on how the audio was chunked or when this is called.
   */
  async scoreBuffered(): Promise<void> {
    const frames = Math.floor((this.buffer.length - this.warmUpSamples) / VAD_FRAME_SAMPLES);
    const lanes = Math.floor(frames / LANE_FRAMES);
    if (lanes > 0) await this.score(lanes * LANE_FRAMES);
  }

  /** The end of the audio: the last partial frame is zero-padded, the open region closed. */
  async finish(): Promise<void> {
    if (this.finished) return;
    await this.scoreBuffered();
    const rest = this.buffer.length - this.warmUpSamples;
    if (rest > 0) {
      const frames = Math.ceil(rest / VAD_FRAME_SAMPLES);
      const padded = new Float32Array(this.warmUpSamples + frames * VAD_FRAME_SAMPLES);
      padded.set(this.buffer);
      this.buffer = padded;
      await this.score(frames);
    }
    this.finished = true;
    this.regions.push(...this.segmenter.finish(this.totalSamples));
  }

  private async score(frames: number): Promise<void> {
    const lanes: Float32Array[] = [];
    const warmUps: number[] = [];
    const scoredFrom = this.warmUpSamples;
    for (let first = 0; first < frames; first += LANE_FRAMES) {
      const start = scoredFrom + first * VAD_FRAME_SAMPLES;
      const end = scoredFrom + Math.min(frames, first + LANE_FRAMES) * VAD_FRAME_SAMPLES;
      const warmUp = Math.min(WARM_UP_FRAMES * VAD_FRAME_SAMPLES, start);
      lanes.push(this.buffer.subarray(start - warmUp, end));
      warmUps.push(warmUp / VAD_FRAME_SAMPLES);
    }
    const scores = await this.vad.scoreLanes(lanes);
    scores.forEach((laneScores, index) => {
      for (const probability of laneScores.subarray(warmUps[index])) this.regions.push(...this.segmenter.push(probability));
    });
    const scoredEnd = scoredFrom + frames * VAD_FRAME_SAMPLES;
    const keepFrom = Math.max(0, scoredEnd - WARM_UP_FRAMES * VAD_FRAME_SAMPLES);
    this.buffer = this.buffer.slice(keepFrom);
    this.warmUpSamples = scoredEnd - keepFrom;
  }

  isVoiced(frame: number): boolean {
    const sample = frame * FRAME_STEP_SAMPLES + FRAME_DURATION_SAMPLES / 2;
    for (const region of this.regions) {
      if (sample < region.startSample) return false;
      if (sample < region.endSample) return true;
    }
    // Past every closed region: inside the one still open, if it has begun.
    const open = this.segmenter.openRegionStart;
    return !this.finished && open !== null && sample >= open;
  }

  /** Drops the regions that end before `frame`. */
  forgetBefore(frame: number): void {
    const sample = frame * FRAME_STEP_SAMPLES;
    let drop = 0;
    while (drop < this.regions.length && this.regions[drop]!.endSample <= sample) drop += 1;
    if (drop > 0) this.regions.splice(0, drop);
  }
}
