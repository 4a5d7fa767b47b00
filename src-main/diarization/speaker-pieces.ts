import { LOCAL_SPEAKERS } from './powerset';
import { DEFAULT_WINDOW_SAMPLES, FRAME_DURATION_SAMPLES, FRAME_STEP_SAMPLES, SEGMENTATION_SAMPLE_RATE, windowStartFrame } from './segmentation-windows';

/**
 * Turns the segmentation windows into speech pieces of one speaker each, streamed:
 *
 * 1. Each global frame is read from one window only: the one whose centre is nearest (with windows every
 *    5 s, its middle 5 s), where the model has context on both sides.
 * 2. A window's three local speakers are linked to the previous window's by their agreement on the frames
 *    the two windows share (the best of the 6 permutations), so a speaker's activity continues as one
 *    track across windows.
 * 3. A track's activity is cut into runs at pauses, each run into pieces of about `pieceSeconds`.
 *
 * The segmentation model is good at who talks when within a window but, on far-field meeting audio, often
 * gives two people the same local speaker; short pieces keep such a mix out of most embeddings, and the
 * embeddings then tell the voices apart. Memory: the open runs (at most `maxRunSeconds` each) and one
 * pending window.
 */

export interface SpeakerPieceOptions {
  /** A silence at least this long (seconds) ends a run. Default 0.3. */
  pauseSeconds?: number;
  /** Runs are split into pieces of about this length (seconds). Default 2. */
  pieceSeconds?: number;
  /** A run is closed once it spans this long (seconds), so that memory stays bounded. Default 10. */
  maxRunSeconds?: number;
  /** Below this much talking-alone speech (seconds) a piece's embedding uses its overlapped frames too. Default 0.5. */
  minCleanSeconds?: number;
  /** Two local speakers of consecutive windows are the same track when they agree on this share of frames. Default 0.3. */
  minAgreement?: number;
}

/** One piece of one speaker's speech. Frames are global segmentation frames (16.875 ms apart). */
export interface SpeakerPiece {
  track: number;
  /** Frames where the speaker talks: sorted. */
  frames: Int32Array;
  /** The frames to embed: where the speaker talks alone, or all of `frames` when that is too little. */
  embeddingFrames: Int32Array;
}

interface PendingWindow {
  startSample: number;
  firstFrame: number;
  activity: Uint8Array;
  tracks: number[];
}

interface OpenRun {
  track: number;
  frames: number[];
  clean: number[];
  last: number;
}

const secondsToFrames = (seconds: number): number => Math.max(1, Math.round((seconds * SEGMENTATION_SAMPLE_RATE) / FRAME_STEP_SAMPLES));

/** The 6 ways to pair 3 local speakers with 3 others. */
const PERMUTATIONS: readonly (readonly number[])[] = [
  [0, 1, 2],
  [0, 2, 1],
  [1, 0, 2],
  [1, 2, 0],
  [2, 0, 1],
  [2, 1, 0],
];

export class SpeakerPieceTracker {
  private readonly pauseFrames: number;
  private readonly pieceFrames: number;
  private readonly maxRunFrames: number;
  private readonly minCleanFrames: number;
  private readonly minAgreement: number;
  private pending: PendingWindow | null = null;
  private previous: PendingWindow | null = null;
  /** Centre (in samples) below which frames belong to windows already processed. */
  private ownedFrom = -Infinity;
  private nextTrack = 0;
  private readonly runs = new Map<number, OpenRun>();

  constructor(options: SpeakerPieceOptions = {}) {
    this.pauseFrames = secondsToFrames(options.pauseSeconds ?? 0.3);
    this.pieceFrames = secondsToFrames(options.pieceSeconds ?? 2);
    this.maxRunFrames = secondsToFrames(options.maxRunSeconds ?? 10);
    this.minCleanFrames = secondsToFrames(options.minCleanSeconds ?? 0.5);
    this.minAgreement = options.minAgreement ?? 0.3;
  }

  /**
   * Adds the next window (windows in order of start; `activity` is frames × 3, 0/1) and returns the pieces
   * completed so far.
   */
  push(startSample: number, activity: Uint8Array): SpeakerPiece[] {
    const window: PendingWindow = { startSample, firstFrame: windowStartFrame(startSample), activity, tracks: [] };
    const pieces = this.pending === null ? [] : this.process(this.pending, centre(this.pending, window));
    this.pending = window;
    return pieces;
  }

  /** The last window, then every run still open. */
  finish(): SpeakerPiece[] {
    const pieces = this.pending === null ? [] : this.process(this.pending, Infinity);
    this.pending = null;
    for (const run of [...this.runs.values()]) pieces.push(...this.close(run));
    this.runs.clear();
    return pieces;
  }

  /** The earliest frame an open run or the pending window may still need features for. */
  earliestFrameNeeded(): number {
    let earliest = this.pending?.firstFrame ?? Infinity;
    for (const run of this.runs.values()) earliest = Math.min(earliest, run.frames[0] ?? Infinity);
    return earliest;
  }

  private process(window: PendingWindow, ownedUntil: number): SpeakerPiece[] {
    window.tracks = this.link(window);
    const frames = window.activity.length / LOCAL_SPEAKERS;
    const pieces: SpeakerPiece[] = [];
    for (let local = 0; local < frames; local += 1) {
      const frame = window.firstFrame + local;
      const frameCentre = frame * FRAME_STEP_SAMPLES + FRAME_DURATION_SAMPLES / 2;
      if (frameCentre < this.ownedFrom || frameCentre >= ownedUntil) continue;
      let talking = 0;
      for (let speaker = 0; speaker < LOCAL_SPEAKERS; speaker += 1) talking += window.activity[local * LOCAL_SPEAKERS + speaker]!;
      for (let speaker = 0; speaker < LOCAL_SPEAKERS; speaker += 1) {
        if (window.activity[local * LOCAL_SPEAKERS + speaker] === 0) continue;
        pieces.push(...this.extend(window.tracks[speaker]!, frame, talking === 1));
      }
      // Runs silent for a whole pause are over.
      for (const run of [...this.runs.values()]) {
        if (frame - run.last > this.pauseFrames) {
          this.runs.delete(run.track);
          pieces.push(...this.close(run));
        }
      }
    }
    this.ownedFrom = ownedUntil;
    this.previous = window;
    return pieces;
  }

  /** Track ids for the window's local speakers: the previous window's where they agree, new ones elsewhere. */
  private link(window: PendingWindow): number[] {
    const tracks = [-1, -1, -1];
    const previous = this.previous;
    if (previous !== null) {
      const from = Math.max(window.firstFrame, previous.firstFrame);
      const to = Math.min(window.firstFrame + window.activity.length / LOCAL_SPEAKERS, previous.firstFrame + previous.activity.length / LOCAL_SPEAKERS);
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

  private extend(track: number, frame: number, alone: boolean): SpeakerPiece[] {
    const pieces: SpeakerPiece[] = [];
    let run = this.runs.get(track);
    if (run !== undefined && (frame - run.last > this.pauseFrames || frame - run.frames[0]! >= this.maxRunFrames)) {
      this.runs.delete(track);
      pieces.push(...this.close(run));
      run = undefined;
    }
    if (run === undefined) {
      run = { track, frames: [], clean: [], last: frame };
      this.runs.set(track, run);
    }
    run.frames.push(frame);
    if (alone) run.clean.push(frame);
    run.last = frame;
    return pieces;
  }

  /** A finished run as pieces of about pieceFrames (numpy's array_split: sizes differ by at most one). */
  private close(run: OpenRun): SpeakerPiece[] {
    const total = run.frames.length;
    if (total === 0) return [];
    const parts = Math.max(1, Math.round(total / this.pieceFrames));
    const clean = new Set(run.clean);
    const pieces: SpeakerPiece[] = [];
    let start = 0;
    for (let part = 0; part < parts; part += 1) {
      const length = Math.floor(total / parts) + (part < total % parts ? 1 : 0);
      const frames = Int32Array.from(run.frames.slice(start, start + length));
      start += length;
      const cleanFrames = frames.filter((frame) => clean.has(frame));
      pieces.push({ track: run.track, frames, embeddingFrames: cleanFrames.length >= this.minCleanFrames ? cleanFrames : frames });
    }
    return pieces;
  }
}

/** Halfway between two windows' centres: frames before it belong to the first. */
function centre(first: PendingWindow, second: PendingWindow): number {
  return (first.startSample + second.startSample + DEFAULT_WINDOW_SAMPLES) / 2;
}
