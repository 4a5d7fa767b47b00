/** The real clock: Date.now and Node timers, unref'd so a pending retry or heartbeat never keeps the process alive. */
import type { Clock, ClockTimer } from './types';

/** Node turns longer delays into 1 ms; a timer that far out is re-armed long before it matters. */
const MAX_TIMER_DELAY_MS = 2_147_483_647;

const timers = new Map<number, NodeJS.Timeout>();
let lastTimerId = 0;

export const systemClock: Clock = {
  now: () => Date.now(),

  setTimeout(callback: () => void, ms: number): ClockTimer {
    const id = ++lastTimerId;
    const delay = Number.isFinite(ms) ? Math.min(Math.max(0, ms), MAX_TIMER_DELAY_MS) : 0;
    const handle = setTimeout(() => {
      timers.delete(id);
      callback();
    }, delay);
    handle.unref();
    timers.set(id, handle);
    return { id };
  },

  clearTimeout(timer: ClockTimer): void {
    const handle = timers.get(timer.id);
    if (handle === undefined) return;
    clearTimeout(handle);
    timers.delete(timer.id);
  },
};
