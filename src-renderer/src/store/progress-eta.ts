/**
 * Time left for a running job, from how fast its progress has moved lately: the rate over the last
 * minute of reports (the first stages, model loading and decoding, move at other speeds than
 * transcription, so old samples would mislead). Nothing is promised before the job has moved for a few
 * seconds.
 */
export interface ProgressSample {
  at: number;
  progress: number;
}

const WINDOW_MS = 60_000;
const MIN_SPAN_MS = 3_000;
const MIN_PROGRESS = 0.5;

/** Appends a sample, dropping those out of the window (keeps the oldest inside it as the baseline). */
export function addSample(samples: readonly ProgressSample[], sample: ProgressSample): ProgressSample[] {
  const recent = samples.filter((candidate) => sample.at - candidate.at <= WINDOW_MS && candidate.progress <= sample.progress);
  return [...recent, sample];
}

/** Seconds left, or null while the rate is unknown. */
export function secondsLeft(samples: readonly ProgressSample[]): number | null {
  const first = samples[0];
  const last = samples.at(-1);
  if (first === undefined || last === undefined) return null;
  const span = last.at - first.at;
  const moved = last.progress - first.progress;
  if (span < MIN_SPAN_MS || moved < MIN_PROGRESS) return null;
  const perMs = moved / span;
  return Math.max(0, (100 - last.progress) / perMs / 1000);
}

/** "about 3 min left", "about 40 s left", "a few seconds left". */
export function formatTimeLeft(seconds: number | null): string | null {
  if (seconds === null) return null;
  if (seconds < 10) return 'a few seconds left';
  if (seconds < 60) return `about ${Math.round(seconds / 5) * 5} s left`;
  if (seconds < 3600) return `about ${Math.round(seconds / 60)} min left`;
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.round((seconds % 3600) / 60);
  return `about ${hours} h ${minutes} min left`;
}
