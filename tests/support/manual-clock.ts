/** A Clock that moves only when a test says so; due timers fire in time order (then in creation order). */
import type { Clock, ClockTimer } from '../../src-main/jobs/types';

interface PendingTimer {
  id: number;
  dueAt: number;
  callback: () => void;
}

export class ManualClock implements Clock {
  private current: number;
  private lastTimerId = 0;
  private readonly timers = new Map<number, PendingTimer>();

  constructor(start: number = Date.UTC(2025, 0, 1, 9, 0, 0)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(callback: () => void, ms: number): ClockTimer {
    const id = ++this.lastTimerId;
    const delay = Number.isFinite(ms) ? Math.max(0, ms) : 0;
    this.timers.set(id, { id, dueAt: this.current + delay, callback });
    return { id };
  }

  clearTimeout(timer: ClockTimer): void {
    this.timers.delete(timer.id);
  }

  get pendingTimers(): number {
    return this.timers.size;
  }

  /** When the earliest pending timer is due, or null. */
  get nextTimerAt(): number | null {
    let earliest: number | null = null;
    for (const timer of this.timers.values()) if (earliest === null || timer.dueAt < earliest) earliest = timer.dueAt;
    return earliest;
  }

  advance(ms: number): void {
    this.advanceTo(this.current + ms);
  }

  /** Moves to `time`, firing every timer due by then (including ones those callbacks set) at its own time. */
  advanceTo(time: number): void {
    if (time < this.current) throw new Error(`the clock only moves forward (now ${this.current}, asked for ${time})`);
    for (let timer = this.earliestDue(time); timer !== null; timer = this.earliestDue(time)) {
      this.timers.delete(timer.id);
      this.current = timer.dueAt;
      timer.callback();
    }
    this.current = time;
  }

  private earliestDue(time: number): PendingTimer | null {
    let earliest: PendingTimer | null = null;
    for (const timer of this.timers.values()) {
      if (timer.dueAt > time) continue;
      if (earliest === null || timer.dueAt < earliest.dueAt || (timer.dueAt === earliest.dueAt && timer.id < earliest.id)) earliest = timer;
    }
    return earliest;
  }
}
