/** Seconds of speech, absolute from the start of the audio. */
export interface SpeechSpan {
  start: number;
  end: number;
}

export interface PlannedWindow {
  start: number;
  end: number;
  /** True when the cut falls inside speech (a monologue longer than the window): the caller seeks back. */
  forced: boolean;
}

export const MAX_WINDOW_SECONDS = 30;

/**
 * The next window to transcribe from `cursor`: it starts at the first speech at or after the cursor and
 * takes as many whole speech spans as fit in `maxSeconds`, so cuts land in pauses. Only a span longer
 * than the window is cut inside speech. Returns null when no speech is left.
 */
export function planNextWindow(spans: readonly SpeechSpan[], cursor: number, maxSeconds = MAX_WINDOW_SECONDS): PlannedWindow | null {
  const first = spans.findIndex((span) => span.end > cursor);
  if (first === -1) return null;
  const firstSpan = spans[first] as SpeechSpan;
  const start = Math.max(cursor, firstSpan.start);
  const limit = start + maxSeconds;
  if (firstSpan.end > limit) return { start, end: limit, forced: true };
  let end = firstSpan.end;
  for (let index = first + 1; index < spans.length; index += 1) {
    const span = spans[index] as SpeechSpan;
    if (span.end > limit) break;
    end = span.end;
  }
  return { start, end, forced: false };
}

export interface WindowSegment {
  start: number;
  end: number | null;
}

/**
 * After a forced cut the last segment may hold a word cut in half. Like Whisper's own long-form loop,
 * drop that segment and resume at its start, so the words are transcribed whole in the next window,
 * once. Returns the absolute time to resume from and how many segments to keep.
 */
export function resumePointAfter(window: PlannedWindow, segments: readonly WindowSegment[]): { resumeAt: number; keep: number } {
  const last = segments.at(-1);
  if (!window.forced || segments.length < 2 || last === undefined) return { resumeAt: window.end, keep: segments.length };
  const resumeAt = window.start + last.start;
  // A resume point too close to the window start would make no progress; keep everything then.
  if (resumeAt - window.start < 1) return { resumeAt: window.end, keep: segments.length };
  return { resumeAt, keep: segments.length - 1 };
}
