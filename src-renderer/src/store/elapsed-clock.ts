/**
 * Elapsed recording time. The recorder's level events carry the seconds of recorded audio (pauses
 * excluded), which is exact; until the first arrives, a wall clock that runs only while recording.
 */
import type { RecordingStatus } from '../../../src-shared/recording-events';

export interface ElapsedClock {
  accumulatedMs: number;
  runningSince: number | null;
  lastLevelAt: number | null;
}

export function resetClock(): ElapsedClock {
  return { accumulatedMs: 0, runningSince: null, lastLevelAt: null };
}

export function clockOnStatus(clock: ElapsedClock, status: RecordingStatus, nowMs: number): ElapsedClock {
  if (status === 'recording') {
    return clock.runningSince === null ? { ...clock, runningSince: nowMs } : clock;
  }
  if (clock.runningSince === null) return clock;
  return { ...clock, accumulatedMs: clock.accumulatedMs + Math.max(0, nowMs - clock.runningSince), runningSince: null };
}

export function clockOnLevel(clock: ElapsedClock, at: number): ElapsedClock {
  return { ...clock, lastLevelAt: at };
}

export function elapsedSeconds(clock: ElapsedClock, nowMs: number): number {
  if (clock.lastLevelAt !== null) return clock.lastLevelAt;
  const running = clock.runningSince === null ? 0 : Math.max(0, nowMs - clock.runningSince);
  return (clock.accumulatedMs + running) / 1000;
}
