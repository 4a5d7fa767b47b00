import { LOCAL_SPEAKERS } from './powerset';
import {
  DEFAULT_WINDOW_SAMPLES,
  FRAME_DURATION_SAMPLES,
  FRAME_STEP_SAMPLES,
  roundHalfEven,
  windowStartFrame,
} from './segmentation-windows';

/**
 * Who talks in each global frame, from overlapping segmentation windows, streamed:
 *
 * 1. A window's three local speakers are linked to the previous window's by their agreement on the frames the
 *    two windows share (the best of the 6 permutations), so a voice keeps one track id across windows.
 * 2. How many talk in a frame is pyannote's speaker count: the number of active local speakers averaged over
 *    every window that covers the frame, rounded (numpy's rint). With windows every 5 s that is two windows:
 *    speech where both hear it, overlap where one hears two voices and the other one.
 * 3. Which tracks talk: those of the window whose centre is nearest the frame (where the model has context on
 *    both sides), trimmed to the count by how many windows hear each track, or completed from the other
 *    windows' tracks when the count is higher.
 *
 * A frame is settled once a window starting after it has arrived (no later window can cover it). Memory: the
 * windows that cover unsettled frames.
 */

export interface FrameSpeakers {
  frame: number;
  /** Track ids talking in the frame, at most two (the model's powerset has no three-speaker class). */
  tracks: number[];
}

interface LinkedWindow {
  startSample: number;
  firstFrame: number;
  frames: number;
  activity: Uint8Array;
  tracks: number[];
}

/** The 6 ways to pair 3 local speakers with 3 others. */
const PERMUTATIONS: readonly (readonly number[])[] = [
  [0, 1, 2],
  [0, 2, 1],
  [1, 0, 2],
  [1, 2, 0],
  [2, 0, 1],
  [2, 1, 0],
];

export interface FrameSpeakerOptions {
  /** Two local speakers of consecutive windows are the same track when they agree on this share of frames. Default 0.3. */
  minAgreement?: number | undefined;
}

export class FrameSpeakerReconstructor {
  private readonly minAgreement: number;
  private readonly windows: LinkedWindow[] = [];
  private nextTrack = 0;
  /** First frame not yet returned. */
  private nextFrame = 0;

  constructor(options: FrameSpeakerOptions = {}) {
    this.minAgreement = options.minAgreement ?? 0.3;
  }

  /** The first frame not yet settled: earlier ones have been returned. */
  get settledUntil(): number {
    return this.nextFrame;
  }

  /** Adds the next window (windows in order of start; `activity` is frames × 3, 0/1) and returns the frames it settles. */
  push(startSample: number, activity: Uint8Array): FrameSpeakers[] {
    const frames = activity.length / LOCAL_SPEAKERS;
    if (!Number.isInteger(frames)) throw new RangeError(`activity holds ${activity.length} values, not whole frames of ${LOCAL_SPEAKERS}`);
    const previous = this.windows.at(-1);
    if (previous !== undefined && startSample <= previous.startSample) {
      throw new RangeError(`windows must come in order of start: ${startSample} after ${previous.startSample}`);
    }
    const window: LinkedWindow = { startSample, firstFrame: windowStartFrame(startSample), frames, activity, tracks: [] };
    window.tracks = this.link(window, previous);
    this.windows.push(window);
    return this.settle(window.firstFrame);
  }

  /** Every frame still unsettled. */
  finish(): FrameSpeakers[] {
    const last = this.windows.at(-1);
    const settled = last === undefined ? [] : this.settle(last.firstFrame + last.frames);
    this.windows.length = 0;
    return settled;
  }

  private settle(untilFrame: number): FrameSpeakers[] {
    const settled: FrameSpeakers[] = [];
    const first = this.windows[0];
    if (first !== undefined) this.nextFrame = Math.max(this.nextFrame, first.firstFrame);
    for (; this.nextFrame < untilFrame; this.nextFrame += 1) {
      const tracks = this.speakersOf(this.nextFrame);
      if (tracks !== null) settled.push({ frame: this.nextFrame, tracks });
    }
    // Windows that end before the next frame are no longer needed (the last one is kept for linking).
    while (this.windows.length > 1 && this.windows[0]!.firstFrame + this.windows[0]!.frames <= this.nextFrame) this.windows.shift();
    return settled;
  }

  /** The tracks talking in `frame`, or null when no window covers it. */
  private speakersOf(frame: number): number[] | null {
    const frameCentre = frame * FRAME_STEP_SAMPLES + FRAME_DURATION_SAMPLES / 2;
    let owner: LinkedWindow | null = null;
    let ownerDistance = Infinity;
    let covering = 0;
    let voices = 0;
    const support = new Map<number, number>();
    for (const window of this.windows) {
      const local = frame - window.firstFrame;
      if (local < 0 || local >= window.frames) continue;
      covering += 1;
      for (let speaker = 0; speaker < LOCAL_SPEAKERS; speaker += 1) {
        if (window.activity[local * LOCAL_SPEAKERS + speaker] === 0) continue;
        voices += 1;
        const track = window.tracks[speaker]!;
        support.set(track, (support.get(track) ?? 0) + 1);
      }
      const distance = Math.abs(frameCentre - (window.startSample + DEFAULT_WINDOW_SAMPLES / 2));
      if (distance < ownerDistance) {
        ownerDistance = distance;
        owner = window;
      }
    }
    if (owner === null) return null;
    const count = roundHalfEven(voices / covering);
    if (count === 0) return [];
    const local = frame - owner.firstFrame;
    const own = owner.tracks.filter((_, speaker) => owner.activity[local * LOCAL_SPEAKERS + speaker] === 1);
    if (own.length === count) return own;
    const bySupport = (a: number, b: number): number => support.get(b)! - support.get(a)! || a - b;
    if (own.length > count)
      return own
        .sort(bySupport)
        .slice(0, count)
        .sort((a, b) => a - b);
    const others = [...support.keys()].filter((track) => !own.includes(track)).sort(bySupport);
    return [...own, ...others.slice(0, count - own.length)].sort((a, b) => a - b);
  }

  /** Track ids for the window's local speakers: the previous window's where they agree, new ones elsewhere. */
  private link(window: LinkedWindow, previous: LinkedWindow | undefined): number[] {
    const tracks = [-1, -1, -1];
    if (previous !== undefined) {
      const from = Math.max(window.firstFrame, previous.firstFrame);
      const to = Math.min(window.firstFrame + window.frames, previous.firstFrame + previous.frames);
      const agree = new Float64Array(9);
      const activeNow = new Float64Array(3);
      const activeBefore = new Float64Array(3);
      for (let frame = from; frame < to; frame += 1) {
        const now = (frame - window.firstFrame) * LOCAL_SPEAKERS;
        const before = (frame - previous.firstFrame) * LOCAL_SPEAKERS;
        for (let i = 0; i < LOCAL_SPEAKERS; i += 1) {
          activeBefore[i]! += previous.activity[before + i]!;
          activeNow[i]! += window.activity[now + i]!;
          for (let j = 0; j < LOCAL_SPEAKERS; j += 1) agree[i * 3 + j]! += previous.activity[before + i]! * window.activity[now + j]!;
        }
      }
      let best = PERMUTATIONS[0]!;
      let bestScore = -1;
      for (const permutation of PERMUTATIONS) {
        const score = permutation.reduce((sum, j, i) => sum + agree[i * 3 + j]!, 0);
        if (score > bestScore) {
          bestScore = score;
          best = permutation;
        }
      }
      best.forEach((j, i) => {
        const shared = agree[i * 3 + j]!;
        if (shared > 0 && shared >= this.minAgreement * Math.min(activeBefore[i]!, activeNow[j]!)) tracks[j] = previous.tracks[i]!;
      });
    }
    return tracks.map((track) => (track >= 0 ? track : this.nextTrack++));
  }
}
