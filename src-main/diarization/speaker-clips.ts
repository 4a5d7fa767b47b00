import { LOCAL_SPEAKERS } from './powerset';
import { FRAME_DURATION_SAMPLES, FRAME_STEP_SAMPLES } from './segmentation-windows';

/** Audio of one local speaker of one window, for its speaker embedding. */
export interface LocalSpeakerClip {
  localSpeaker: number;
  samples: Float32Array;
  /** True when only frames where this speaker talks alone were used. */
  clean: boolean;
}

export interface SpeakerClipOptions {
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

/**
 * The stretch of window audio that frame `frame` stands for: FRAME_STEP_SAMPLES around the frame's centre,
 * so consecutive frames tile the audio without overlap.
 */
function frameSpan(frame: number, windowLength: number): [number, number] {
  const centre = frame * FRAME_STEP_SAMPLES + FRAME_DURATION_SAMPLES / 2;
  const start = Math.max(0, Math.round(centre - FRAME_STEP_SAMPLES / 2));
  const end = Math.min(windowLength, Math.round(centre + FRAME_STEP_SAMPLES / 2));
  return [start, end];
}

function gather(samples: Float32Array, frames: readonly number[]): Float32Array {
  const spans = frames.map((frame) => frameSpan(frame, samples.length));
  const total = spans.reduce((sum, [start, end]) => sum + Math.max(0, end - start), 0);
  const clip = new Float32Array(total);
  let offset = 0;
  for (const [start, end] of spans) {
    if (end <= start) continue;
    clip.set(samples.subarray(start, end), offset);
    offset += end - start;
  }
  return clip;
}

/**
 * One clip per local speaker who talks in the window: the audio of the frames where they talk alone, or of all
 * their frames when that is too short. `activity` is the window's hard activity (frames × 3, 0/1).
 */
export function localSpeakerClips(
  samples: Float32Array,
  activity: Float32Array | Uint8Array,
  options: SpeakerClipOptions = {},
): LocalSpeakerClip[] {
  const minClean = options.minCleanSamples ?? DEFAULT_MIN_CLEAN_SAMPLES;
  const minClip = options.minClipSamples ?? DEFAULT_MIN_CLIP_SAMPLES;
  const frames = Math.floor(activity.length / LOCAL_SPEAKERS);
  const clips: LocalSpeakerClip[] = [];
  for (let speaker = 0; speaker < LOCAL_SPEAKERS; speaker += 1) {
    const active: number[] = [];
    const alone: number[] = [];
    for (let frame = 0; frame < frames; frame += 1) {
      if (activity[frame * LOCAL_SPEAKERS + speaker]! <= 0) continue;
      active.push(frame);
      let talking = 0;
      for (let other = 0; other < LOCAL_SPEAKERS; other += 1) talking += activity[frame * LOCAL_SPEAKERS + other]! > 0 ? 1 : 0;
      if (talking === 1) alone.push(frame);
    }
    if (active.length === 0) continue;
    const cleanClip = gather(samples, alone);
    if (cleanClip.length >= minClean) {
      clips.push({ localSpeaker: speaker, samples: cleanClip, clean: true });
      continue;
    }
    const anyClip = gather(samples, active);
    if (anyClip.length >= minClip) clips.push({ localSpeaker: speaker, samples: anyClip, clean: false });
  }
  return clips;
}
