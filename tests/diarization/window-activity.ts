/** Segmentation-window activity written by hand, for the tests of what is built from the windows. */
import { LOCAL_SPEAKERS } from '../../src-main/diarization/powerset';
import {
  FRAME_DURATION_SAMPLES,
  FRAME_STEP_SAMPLES,
  FRAMES_PER_WINDOW,
  windowStartFrame,
} from '../../src-main/diarization/segmentation-windows';

export const SR = 16_000;
/** The pipeline's step between windows (5 s). */
export const STEP = 80_000;
/** File time (s) of a global frame's centre. */
export const centre = (frame: number): number => (frame * FRAME_STEP_SAMPLES + FRAME_DURATION_SAMPLES / 2) / SR;

/** A window's activity: `speakers[local]` lists the [from, to) seconds (file time) the local speaker talks. */
export function windowActivity(startSample: number, speakers: Record<number, [number, number][]>): Uint8Array {
  const activity = new Uint8Array(FRAMES_PER_WINDOW * LOCAL_SPEAKERS);
  const first = windowStartFrame(startSample);
  for (let local = 0; local < FRAMES_PER_WINDOW; local += 1) {
    const time = centre(first + local);
    for (const [speaker, spans] of Object.entries(speakers)) {
      if (spans.some(([from, to]) => time >= from && time < to)) activity[local * LOCAL_SPEAKERS + Number(speaker)] = 1;
    }
  }
  return activity;
}
