/**
 * Seconds → whole milliseconds, rounded half-up on the decimal value (1.0005 s → 1001 ms even though
 * 1.0005 * 1000 is 1000.4999… in binary). Negative and non-finite times clamp to 0.
 */
export function secondsToMillis(seconds: number): number {
  if (!Number.isFinite(seconds) || seconds <= 0) return 0;
  return Math.round(Number((seconds * 1000).toPrecision(15)));
}

/** `HH:MM:SS<sep>mmm`; hours widen past 99 (long meetings) instead of wrapping. */
export function formatSubtitleTime(ms: number, fractionSeparator: ',' | '.'): string {
  const whole = Math.max(0, Math.round(ms));
  const millis = whole % 1000;
  return `${formatClock(Math.floor(whole / 1000))}${fractionSeparator}${pad(millis, 3)}`;
}

/** `HH:MM:SS` for a start time in seconds, truncated to the second it falls in. */
export function formatClockSeconds(seconds: number): string {
  return formatClock(Math.floor(secondsToMillis(seconds) / 1000));
}

function formatClock(totalSeconds: number): string {
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  return `${pad(hours, 2)}:${pad(minutes, 2)}:${pad(seconds, 2)}`;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}
