import { LOCAL_SPEAKERS } from './powerset';

/**
 * Sliding-window plumbing around pyannote segmentation-3.0: which 10 s windows to run the model on, how
 * per-window frame activations land on one file-wide frame grid (pyannote `Inference.aggregate`), and how
 * activity curves become turns (pyannote `Binarize`).
 */
export const SEGMENTATION_SAMPLE_RATE = 16_000;
export const DEFAULT_WINDOW_SAMPLES = 160_000;
export const DEFAULT_STEP_SAMPLES = 16_000;

/**
 * Output frame timing is the receptive field of segmentation-3.0's SincNet front end (pyannote
 * `model.receptive_field`): frame i sees samples [i·270, i·270 + 991), so frames advance 16.875 ms, last ≈ 61.9 ms
 * and are centred at i·270 + 495.5 samples. A 160000-sample window yields 589 frames.
 */
export const FRAME_STEP_SAMPLES = 270;
export const FRAME_DURATION_SAMPLES = 991;
export const FRAME_STEP_SECONDS = FRAME_STEP_SAMPLES / SEGMENTATION_SAMPLE_RATE;

/** numpy's `rint`: halves go to the even neighbour, which pyannote relies on for frame indices and counts. */
export function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const fraction = value - floor;
  if (fraction < 0.5) return floor;
  if (fraction > 0.5) return floor + 1;
  return floor % 2 === 0 ? floor : floor + 1;
}

/** Frames the model outputs for an input of `samples` samples (only whole receptive fields). */
export function modelFrameCount(samples: number): number {
  if (samples < FRAME_DURATION_SAMPLES) return 0;
  return Math.floor((samples - FRAME_DURATION_SAMPLES) / FRAME_STEP_SAMPLES) + 1;
}

export const FRAMES_PER_WINDOW = modelFrameCount(DEFAULT_WINDOW_SAMPLES);

export function frameStartSeconds(frame: number): number {
  return (frame * FRAME_STEP_SAMPLES) / SEGMENTATION_SAMPLE_RATE;
}

export function frameCenterSeconds(frame: number): number {
  return (frame * FRAME_STEP_SAMPLES + FRAME_DURATION_SAMPLES / 2) / SEGMENTATION_SAMPLE_RATE;
}

/** The frame whose centre is closest to `seconds` (pyannote `SlidingWindow.closest_frame`); may be negative. */
export function closestFrame(seconds: number): number {
  return roundHalfEven((seconds * SEGMENTATION_SAMPLE_RATE - FRAME_DURATION_SAMPLES / 2) / FRAME_STEP_SAMPLES);
}

/**
 * Global frame that a window's first frame is added onto. Window starts that are not a multiple of the frame
 * step snap to the nearest frame, as in pyannote (closest_frame(chunk.start + frame_duration / 2)).
 */
export function windowStartFrame(startSample: number): number {
  return roundHalfEven(startSample / FRAME_STEP_SAMPLES);
}

export interface WindowPlanOptions {
  windowSamples?: number;
  stepSamples?: number;
}

/**
 * First sample of every window needed to cover `totalSamples`: every `stepSamples` from 0, plus one window
 * aligned to the end of the file when the regular steps do not reach it. A file shorter than one window gets a
 * single window at 0 that the caller zero-pads (see `windowSamples`). An empty file gets no window.
 * Unlike pyannote, which zero-pads a last partial window starting at the next step, the last window here is
 * aligned to the end so that every window holds only real audio once the file is at least one window long.
 */
export function planWindows(totalSamples: number, options: WindowPlanOptions = {}): number[] {
  const windowSamples = options.windowSamples ?? DEFAULT_WINDOW_SAMPLES;
  const stepSamples = options.stepSamples ?? DEFAULT_STEP_SAMPLES;
  if (!Number.isInteger(windowSamples) || windowSamples <= 0) {
    throw new RangeError(`window must be a positive whole number of samples, got ${windowSamples}`);
  }
  if (!Number.isInteger(stepSamples) || stepSamples <= 0 || stepSamples > windowSamples) {
    throw new RangeError(`step must be a whole number of samples in [1, ${windowSamples}], got ${stepSamples}`);
  }
  if (!Number.isInteger(totalSamples) || totalSamples < 0) {
    throw new RangeError(`total must be a whole number of samples ≥ 0, got ${totalSamples}`);
  }
  if (totalSamples === 0) return [];
  if (totalSamples <= windowSamples) return [0];
  const starts: number[] = [];
  for (let start = 0; start + windowSamples <= totalSamples; start += stepSamples) starts.push(start);
  const lastEnd = starts[starts.length - 1]! + windowSamples;
  if (lastEnd < totalSamples) starts.push(totalSamples - windowSamples);
  return starts;
}

/** The model input for the window starting at `startSample`: a copy, zero-padded past the end of `audio`. */
export function windowSamples(audio: Float32Array, startSample: number, windowLength: number = DEFAULT_WINDOW_SAMPLES): Float32Array {
  const window = new Float32Array(windowLength);
  window.set(audio.subarray(startSample, Math.min(audio.length, startSample + windowLength)));
  return window;
}

/** One window's per-frame values (frames × tracks, row-major) and where the window starts in the file. */
export interface WindowFrames {
  startSample: number;
  values: Float32Array;
}

export interface AggregateOptions {
  /** Values per frame in every window. */
  tracks: number;
  /** Length of the global grid; default: up to the last frame of the last window. Extra frames stay 0. */
  frames?: number | undefined;
}

export interface AggregatedFrames {
  /** frames × tracks, row-major: the mean over the windows covering each frame, 0 where none does. */
  values: Float32Array;
  /** How many windows cover each global frame. */
  coverage: Uint32Array;
  frames: number;
  tracks: number;
}

/**
 * Overlap-add of per-window frames onto the global grid (global frame k starts at k·FRAME_STEP_SAMPLES),
 * averaged where windows overlap: pyannote `Inference.aggregate` with hamming=False, skip_average=False, no
 * warm-up and missing=0. Track j of one window is simply added to track j of the others: local speaker indices
 * are per window (the model's permutation differs from window to window), so aggregating speaker activations
 * only makes sense once clustering has mapped them to global speakers, or for permutation-free values such as
 * the number of active speakers.
 */
export function aggregate(windows: readonly WindowFrames[], options: AggregateOptions): AggregatedFrames {
  const { tracks } = options;
  if (!Number.isInteger(tracks) || tracks <= 0) throw new RangeError(`tracks must be ≥ 1, got ${tracks}`);
  let reach = 0;
  for (const window of windows) {
    if (window.values.length % tracks !== 0) {
      throw new RangeError(`window at sample ${window.startSample}: ${window.values.length} values for ${tracks} tracks`);
    }
    reach = Math.max(reach, windowStartFrame(window.startSample) + window.values.length / tracks);
  }
  const frames = options.frames ?? reach;
  const sums = new Float64Array(frames * tracks);
  const coverage = new Uint32Array(frames);
  for (const window of windows) {
    const first = windowStartFrame(window.startSample);
    const windowFrames = window.values.length / tracks;
    for (let local = 0; local < windowFrames; local += 1) {
      const global = first + local;
      if (global < 0 || global >= frames) continue;
      coverage[global]! += 1;
      for (let track = 0; track < tracks; track += 1) {
        sums[global * tracks + track]! += window.values[local * tracks + track]!;
      }
    }
  }
  const values = new Float32Array(frames * tracks);
  for (let frame = 0; frame < frames; frame += 1) {
    if (coverage[frame] === 0) continue;
    for (let track = 0; track < tracks; track += 1) {
      values[frame * tracks + track] = sums[frame * tracks + track]! / coverage[frame]!;
    }
  }
  return { values, coverage, frames, tracks };
}

export interface SpeakerCountOptions {
  /** Local speakers per frame in each window's hard activations; default 3. */
  tracks?: number;
  frames?: number;
}

/**
 * How many speakers talk in each global frame (pyannote `speaker_count` with warm_up=(0, 0)): per window, the
 * number of active local speakers per frame (hard 0/1 activations); averaged over overlapping windows; rounded
 * half to even. Frames no window covers count 0.
 */
export function speakerCountPerFrame(windows: readonly WindowFrames[], options: SpeakerCountOptions = {}): Uint8Array {
  const tracks = options.tracks ?? LOCAL_SPEAKERS;
  const perWindowCounts = windows.map((window): WindowFrames => {
    const windowFrames = Math.floor(window.values.length / tracks);
    if (windowFrames * tracks !== window.values.length) {
      throw new RangeError(`window at sample ${window.startSample}: ${window.values.length} values for ${tracks} tracks`);
    }
    const counts = new Float32Array(windowFrames);
    for (let frame = 0; frame < windowFrames; frame += 1) {
      for (let track = 0; track < tracks; track += 1) counts[frame]! += window.values[frame * tracks + track]!;
    }
    return { startSample: window.startSample, values: counts };
  });
  const averaged = aggregate(perWindowCounts, { tracks: 1, frames: options.frames });
  return Uint8Array.from(averaged.values, (count) => roundHalfEven(count));
}

export interface BinarizeOptions {
  /** A track switches on where its value rises strictly above this. Default 0.5. */
  onset?: number;
  /** An active track switches off where its value falls strictly below this. Default: the onset. */
  offset?: number;
  /** Turns shorter than this (seconds) are dropped, after gaps are filled. Default 0. */
  minDurationOn?: number;
  /** Gaps within one track shorter than this (seconds) are filled. Default 0. */
  minDurationOff?: number;
  /** Time of the first frame's start: 0 for the global grid, the window start for one window's local frames. */
  originSeconds?: number;
}

export interface TrackTurn {
  track: number;
  start: number;
  end: number;
}

/**
 * Turns of activity per track (pyannote `Binarize`, without padding). Frames are taken at their centres: a turn
 * runs from the centre of the frame that switched on to the centre of the frame that switched off, or to the
 * centre of the last frame. `activity` is frames × tracks, row-major. Turns come out by track, then by time.
 */
export function binarize(activity: Float32Array, tracks: number, options: BinarizeOptions = {}): TrackTurn[] {
  const onset = options.onset ?? 0.5;
  const offset = options.offset ?? onset;
  const minDurationOn = options.minDurationOn ?? 0;
  const minDurationOff = options.minDurationOff ?? 0;
  const origin = options.originSeconds ?? 0;
  if (!Number.isInteger(tracks) || tracks <= 0 || activity.length % tracks !== 0) {
    throw new RangeError(`${activity.length} values do not split into ${tracks} tracks`);
  }
  const frames = activity.length / tracks;
  const time = (frame: number): number => origin + frameCenterSeconds(frame);
  const turns: TrackTurn[] = [];
  for (let track = 0; track < tracks; track += 1) {
    const regions: TrackTurn[] = [];
    let active = false;
    let start = 0;
    for (let frame = 0; frame < frames; frame += 1) {
      const value = activity[frame * tracks + track]!;
      if (frame === 0) {
        active = value > onset;
        start = time(0);
      } else if (active && value < offset) {
        regions.push({ track, start, end: time(frame) });
        active = false;
      } else if (!active && value > onset) {
        start = time(frame);
        active = true;
      }
    }
    if (active && frames > 1) regions.push({ track, start, end: time(frames - 1) });
    turns.push(...dropShort(fillGaps(regions, minDurationOff), minDurationOn));
  }
  return turns;
}

function fillGaps(regions: readonly TrackTurn[], minDurationOff: number): TrackTurn[] {
  if (minDurationOff <= 0) return [...regions];
  const merged: TrackTurn[] = [];
  for (const region of regions) {
    const previous = merged[merged.length - 1];
    if (previous !== undefined && region.start - previous.end < minDurationOff) {
      previous.end = Math.max(previous.end, region.end);
    } else {
      merged.push({ ...region });
    }
  }
  return merged;
}

function dropShort(regions: readonly TrackTurn[], minDurationOn: number): TrackTurn[] {
  return regions.filter((region) => region.end > region.start && region.end - region.start >= minDurationOn);
}
