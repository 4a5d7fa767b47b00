import { LOCAL_SPEAKERS } from './powerset';
import { binarize, roundHalfEven, SEGMENTATION_SAMPLE_RATE, windowStartFrame } from './segmentation-windows';
import type { SpeakerTurn } from './types';

/** One window's hard local-speaker activity (frames × 3, 0/1) and where the window starts in the file. */
export interface WindowActivity {
  startSample: number;
  activity: Uint8Array;
}

export interface ReconstructOptions {
  /** Global speakers found by clustering. */
  speakerCount: number;
  /** The global speaker of local speaker `localSpeaker` in window `windowIndex`, or -1 when it has none. */
  labelOf: (windowIndex: number, localSpeaker: number) => number;
  /** Length of the audio; turns are clipped to it. */
  totalSamples: number;
  /** Gaps within one speaker's speech shorter than this (seconds) are bridged. Default 0.1. */
  minDurationOff?: number;
  /** Turns shorter than this (seconds) are dropped. Default 0. */
  minDurationOn?: number;
}

/** "SPEAKER_00", "SPEAKER_01", … as pyannote and the RTTM files it writes name them. */
export function speakerLabel(index: number): string {
  return `SPEAKER_${String(index).padStart(2, '0')}`;
}

/**
 * Who speaks when, from every window's local activity once clustering has named the local speakers
 * (pyannote's `reconstruct` + `to_diarization`): each global speaker's activity is added up over the windows
 * that cover a frame; the frame's speaker count (the windows' mean number of active local speakers, rounded)
 * says how many of the highest-scoring speakers are kept there. Speakers are renamed SPEAKER_00, SPEAKER_01…
 * in the order they first speak.
 */
export function reconstructTurns(windows: readonly WindowActivity[], options: ReconstructOptions): SpeakerTurn[] {
  const { speakerCount, labelOf } = options;
  if (speakerCount === 0 || windows.length === 0) return [];
  let frames = 0;
  for (const window of windows) frames = Math.max(frames, windowStartFrame(window.startSample) + window.activity.length / LOCAL_SPEAKERS);
  const scores = new Float32Array(frames * speakerCount);
  const countSums = new Float32Array(frames);
  const coverage = new Uint32Array(frames);
  windows.forEach((window, windowIndex) => {
    const first = windowStartFrame(window.startSample);
    const labels = [0, 1, 2].map((local) => labelOf(windowIndex, local));
    const windowFrames = window.activity.length / LOCAL_SPEAKERS;
    for (let local = 0; local < windowFrames; local += 1) {
      const global = first + local;
      coverage[global]! += 1;
      let added = 0;
      for (let speaker = 0; speaker < LOCAL_SPEAKERS; speaker += 1) {
        if (window.activity[local * LOCAL_SPEAKERS + speaker] === 0) continue;
        countSums[global]! += 1;
        const label = labels[speaker]!;
        // Two local speakers clustered together count once: a speaker cannot talk twice in one frame.
        if (label < 0 || (added & (1 << label)) !== 0) continue;
        if (label < 31) added |= 1 << label;
        scores[global * speakerCount + label]! += 1;
      }
    }
  });
  const active = new Float32Array(frames * speakerCount);
  const order = new Int32Array(speakerCount);
  for (let frame = 0; frame < frames; frame += 1) {
    if (coverage[frame] === 0) continue;
    const count = Math.min(speakerCount, roundHalfEven(countSums[frame]! / coverage[frame]!));
    if (count === 0) continue;
    for (let speaker = 0; speaker < speakerCount; speaker += 1) order[speaker] = speaker;
    const row = frame * speakerCount;
    const ranked = Array.from(order).sort((a, b) => scores[row + b]! - scores[row + a]! || a - b);
    for (let rank = 0; rank < count; rank += 1) {
      const speaker = ranked[rank]!;
      if (scores[row + speaker]! > 0) active[row + speaker] = 1;
    }
  }
  const durationSeconds = options.totalSamples / SEGMENTATION_SAMPLE_RATE;
  const tracks = binarize(active, speakerCount, {
    onset: 0.5,
    minDurationOff: options.minDurationOff ?? 0.1,
    minDurationOn: options.minDurationOn ?? 0,
  })
    .map((turn) => ({ ...turn, end: Math.min(turn.end, durationSeconds) }))
    .filter((turn) => turn.end > turn.start)
    .sort((a, b) => a.start - b.start || a.track - b.track);
  const names = new Map<number, string>();
  return tracks.map((turn) => {
    let name = names.get(turn.track);
    if (name === undefined) {
      name = speakerLabel(names.size);
      names.set(turn.track, name);
    }
    return { start: turn.start, end: turn.end, speaker: name };
  });
}
