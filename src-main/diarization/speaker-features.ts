import { FBANK_BINS, FBANK_FRAME_LENGTH, FBANK_FRAME_SHIFT } from './fbank';
import { LOCAL_SPEAKERS } from './powerset';
import { FRAME_DURATION_SAMPLES, FRAME_STEP_SAMPLES } from './segmentation-windows';

/** How much speech a local speaker needs for an embedding. */
export interface SpeakerFeatureOptions {
  /**
   * Below this many samples of talking-alone audio, the frames where the speaker overlaps others are used
   * too (pyannote does the same: clean frames when there are enough, all active frames otherwise).
   */
  minCleanSamples?: number;
  /** A local speaker with less active audio than this gets no embedding (too little to say who it is). */
  minClipSamples?: number;
}

export const DEFAULT_MIN_CLEAN_SAMPLES = 16_000;
export const DEFAULT_MIN_CLIP_SAMPLES = 4_000;

/** The fbank frames of one local speaker of one window, for its speaker embedding. */
export interface LocalSpeakerFeatures {
  localSpeaker: number;
  /** frames × 80, the rows of the window's fbank where the speaker talks (alone, when there is enough). */
  features: Float32Array;
  clean: boolean;
}

/**
 * One set of fbank rows per local speaker who talks in the window, for its embedding. `windowFbank` is the
 * window's fbank (frames × 80, frame j centred on sample 160 j + 200); each fbank frame belongs to the
 * segmentation frame whose centre is nearest and is taken when that frame has the speaker talking: alone
 * when that gives enough, otherwise overlapped too (pyannote's clean/all masks). Minimums are in samples.
 */
export function localSpeakerFeatures(
  windowFbank: Float32Array,
  activity: Float32Array | Uint8Array,
  options: SpeakerFeatureOptions = {},
): LocalSpeakerFeatures[] {
  const minCleanFrames = Math.ceil((options.minCleanSamples ?? DEFAULT_MIN_CLEAN_SAMPLES) / FBANK_FRAME_SHIFT);
  const minFrames = Math.ceil((options.minClipSamples ?? DEFAULT_MIN_CLIP_SAMPLES) / FBANK_FRAME_SHIFT);
  const segmentationFrames = Math.floor(activity.length / LOCAL_SPEAKERS);
  const fbankFrames = Math.floor(windowFbank.length / FBANK_BINS);
  if (segmentationFrames === 0) return [];
  const owner = new Int32Array(fbankFrames);
  for (let j = 0; j < fbankFrames; j += 1) {
    const centre = j * FBANK_FRAME_SHIFT + FBANK_FRAME_LENGTH / 2;
    owner[j] = Math.min(segmentationFrames - 1, Math.max(0, Math.round((centre - FRAME_DURATION_SAMPLES / 2) / FRAME_STEP_SAMPLES)));
  }
  const talking = (frame: number): number => {
    let count = 0;
    for (let speaker = 0; speaker < LOCAL_SPEAKERS; speaker += 1) count += activity[frame * LOCAL_SPEAKERS + speaker]! > 0 ? 1 : 0;
    return count;
  };
  const pick = (rows: readonly number[]): Float32Array => {
    const features = new Float32Array(rows.length * FBANK_BINS);
    rows.forEach((row, index) => features.set(windowFbank.subarray(row * FBANK_BINS, (row + 1) * FBANK_BINS), index * FBANK_BINS));
    return features;
  };
  const result: LocalSpeakerFeatures[] = [];
  for (let speaker = 0; speaker < LOCAL_SPEAKERS; speaker += 1) {
    const active: number[] = [];
    const alone: number[] = [];
    for (let j = 0; j < fbankFrames; j += 1) {
      const frame = owner[j]!;
      if (activity[frame * LOCAL_SPEAKERS + speaker]! <= 0) continue;
      active.push(j);
      if (talking(frame) === 1) alone.push(j);
    }
    if (alone.length >= minCleanFrames) result.push({ localSpeaker: speaker, features: pick(alone), clean: true });
    else if (active.length >= minFrames) result.push({ localSpeaker: speaker, features: pick(active), clean: false });
  }
  return result;
}
