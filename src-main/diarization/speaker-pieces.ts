import { FrameSpeakerReconstructor, type FrameSpeakers } from './frame-speakers';
import { FRAME_STEP_SAMPLES, SEGMENTATION_SAMPLE_RATE } from './segmentation-windows';

/**
 * Turns the segmentation windows into speech pieces of one speaker each, streamed:
 *
 * 1. Who talks in each frame (frame-speakers.ts): tracks linked across windows, pyannote's speaker count over
 *    the windows covering the frame, the tracks of the window whose centre is nearest.
 * 2. A track's activity is cut into runs at its pauses (≥ `pauseSeconds`).
 * 3. With a voice-activity detector (Silero), a run is cut again wherever the detector hears a pause, even a
 *    short one the segmentation model bridges: people take turns at pauses, so a piece cut there rarely holds
 *    two voices (the segmentation model, on far-field meeting audio, often gives two people the same local
 *    speaker). The frames of a pause go to the nearer side. A run in which the detector hears no speech at all
 *    (faint background talk, breathing, noise the segmentation model takes for a voice) is dropped.
 * 4. Each part is cut into pieces of about `pieceSeconds`, embedded from the frames where the speaker talks
 *    alone and the detector hears speech (falling back to fewer conditions when that is too little).
 *
 * Memory: the open runs (at most `maxRunSeconds` each) and the windows that cover unsettled frames.
 */

export interface SpeakerPieceOptions {
  /** A silence at least this long (seconds) ends a run. Default 0.3. */
  pauseSeconds?: number;
  /** Runs are split into pieces of about this length (seconds). Default 2. */
  pieceSeconds?: number;
  /** A run is closed once it spans this long (seconds), so that memory stays bounded. Default 10. */
  maxRunSeconds?: number;
  /** Below this much speech (seconds) under a condition, a piece's embedding drops the condition. Default 0.5. */
  minCleanSeconds?: number;
  /** Two local speakers of consecutive windows are the same track when they agree on this share of frames. Default 0.3. */
  minAgreement?: number;
}

/** Where a voice-activity detector hears speech, by segmentation frame; asked only about frames it has settled. */
export interface VoicedFrames {
  isVoiced(frame: number): boolean;
}

/** One piece of one speaker's speech. Frames are global segmentation frames (16.875 ms apart). */
export interface SpeakerPiece {
  track: number;
  /** Frames where the speaker talks: sorted. */
  frames: Int32Array;
  /** The frames to embed: where the speaker talks alone and is heard, or a looser choice when that is too little. */
  embeddingFrames: Int32Array;
}

interface OpenRun {
  track: number;
  frames: number[];
  /** Per frame: 1 when the speaker talks alone. */
  alone: number[];
  /** Per frame: 1 when the detector hears speech (all 1 without a detector). */
  voiced: number[];
  last: number;
}

const secondsToFrames = (seconds: number): number => Math.max(1, Math.round((seconds * SEGMENTATION_SAMPLE_RATE) / FRAME_STEP_SAMPLES));

export class SpeakerPieceTracker {
  private readonly pauseFrames: number;
  private readonly pieceFrames: number;
  private readonly maxRunFrames: number;
  private readonly minCleanFrames: number;
  private readonly reconstructor: FrameSpeakerReconstructor;
  private readonly runs = new Map<number, OpenRun>();

  constructor(
    options: SpeakerPieceOptions = {},
    private readonly voice?: VoicedFrames,
  ) {
    this.pauseFrames = secondsToFrames(options.pauseSeconds ?? 0.3);
    this.pieceFrames = secondsToFrames(options.pieceSeconds ?? 2);
    this.maxRunFrames = secondsToFrames(options.maxRunSeconds ?? 10);
    this.minCleanFrames = secondsToFrames(options.minCleanSeconds ?? 0.5);
    this.reconstructor = new FrameSpeakerReconstructor({ minAgreement: options.minAgreement });
  }

  /**
   * Adds the next window (windows in order of start; `activity` is frames × 3, 0/1) and returns the pieces
   * completed so far.
   */
  push(startSample: number, activity: Uint8Array): SpeakerPiece[] {
    return this.consume(this.reconstructor.push(startSample, activity));
  }

  /** The frames still unsettled, then every run still open. */
  finish(): SpeakerPiece[] {
    const pieces = this.consume(this.reconstructor.finish());
    for (const run of [...this.runs.values()]) pieces.push(...this.close(run));
    this.runs.clear();
    return pieces;
  }

  /** The earliest frame an open run or an unsettled frame may still need features for. */
  earliestFrameNeeded(): number {
    let earliest = this.reconstructor.settledUntil;
    for (const run of this.runs.values()) earliest = Math.min(earliest, run.frames[0] ?? Infinity);
    return earliest;
  }

  private consume(frames: readonly FrameSpeakers[]): SpeakerPiece[] {
    const pieces: SpeakerPiece[] = [];
    for (const { frame, tracks } of frames) {
      const voiced = this.voice === undefined || tracks.length === 0 ? 1 : Number(this.voice.isVoiced(frame));
      for (const track of tracks) pieces.push(...this.extend(track, frame, tracks.length === 1, voiced));
      // Runs silent for a whole pause are over.
      for (const run of [...this.runs.values()]) {
        if (frame - run.last > this.pauseFrames) {
          this.runs.delete(run.track);
          pieces.push(...this.close(run));
        }
      }
    }
    return pieces;
  }

  private extend(track: number, frame: number, alone: boolean, voiced: number): SpeakerPiece[] {
    const pieces: SpeakerPiece[] = [];
    let run = this.runs.get(track);
    if (run !== undefined && (frame - run.last > this.pauseFrames || frame - run.frames[0]! >= this.maxRunFrames)) {
      this.runs.delete(track);
      pieces.push(...this.close(run));
      run = undefined;
    }
    if (run === undefined) {
      run = { track, frames: [], alone: [], voiced: [], last: frame };
      this.runs.set(track, run);
    }
    run.frames.push(frame);
    run.alone.push(alone ? 1 : 0);
    run.voiced.push(voiced);
    run.last = frame;
    return pieces;
  }

  /** A finished run: dropped when nothing in it is heard, else cut at the detector's pauses and into pieces. */
  private close(run: OpenRun): SpeakerPiece[] {
    if (run.frames.length === 0 || !run.voiced.includes(1)) return [];
    return voicedParts(run.voiced).flatMap(([from, to]) => this.split(run, from, to));
  }

  /** Frames [from, to) of a run as pieces of about pieceFrames (numpy's array_split: sizes differ by at most one). */
  private split(run: OpenRun, from: number, to: number): SpeakerPiece[] {
    const total = to - from;
    const parts = Math.max(1, Math.round(total / this.pieceFrames));
    const pieces: SpeakerPiece[] = [];
    let start = from;
    for (let part = 0; part < parts; part += 1) {
      const length = Math.floor(total / parts) + (part < total % parts ? 1 : 0);
      const indices = Array.from({ length }, (_, k) => start + k);
      start += length;
      pieces.push({
        track: run.track,
        frames: Int32Array.from(indices, (index) => run.frames[index]!),
        embeddingFrames: Int32Array.from(this.embeddingChoice(run, indices), (index) => run.frames[index]!),
      });
    }
    return pieces;
  }

  /** Heard and alone; else heard; else alone; else all: the first choice with at least minCleanFrames. */
  private embeddingChoice(run: OpenRun, indices: readonly number[]): readonly number[] {
    const heard = indices.filter((index) => run.voiced[index] === 1);
    const candidates = heard.length >= this.minCleanFrames ? heard : indices;
    const alone = candidates.filter((index) => run.alone[index] === 1);
    return alone.length >= this.minCleanFrames ? alone : candidates;
  }
}

/**
 * A run's frames as [from, to) index ranges split at the detector's pauses: each stretch of unheard frames
 * between heard ones is divided at its middle, leading and trailing ones join the first and last part.
 */
export function voicedParts(voiced: readonly number[]): [number, number][] {
  const parts: [number, number][] = [];
  let partStart = 0;
  let index = voiced.indexOf(1);
  if (index < 0) return [[0, voiced.length]];
  while (index < voiced.length) {
    // Skip the heard stretch.
    while (index < voiced.length && voiced[index] === 1) index += 1;
    const pauseStart = index;
    while (index < voiced.length && voiced[index] === 0) index += 1;
    if (index >= voiced.length) break;
    // An inner pause [pauseStart, index): cut at its middle.
    const cut = pauseStart + Math.floor((index - pauseStart) / 2);
    parts.push([partStart, cut]);
    partStart = cut;
  }
  parts.push([partStart, voiced.length]);
  return parts;
}
