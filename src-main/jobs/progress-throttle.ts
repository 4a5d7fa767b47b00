/**
 * Passes progress on at most once per interval: the first report at once, then the latest one when the
 * interval is over (so the last value before a pause is never lost).
 */
import type { Clock, ClockTimer } from './types';

export type ProgressSink = (progress: number, stage: string) => void;

export class ProgressThrottle {
  private lastFlushAt = Number.NEGATIVE_INFINITY;
  private pending: { progress: number; stage: string } | null = null;
  private timer: ClockTimer | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly intervalMs: number,
    private readonly sink: ProgressSink,
  ) {}

  report(progress: number, stage: string): void {
    const now = this.clock.now();
    if (this.timer === null && now - this.lastFlushAt >= this.intervalMs) {
      this.flush(progress, stage, now);
      return;
    }
    this.pending = { progress, stage };
    this.timer ??= this.clock.setTimeout(() => this.flushPending(), this.lastFlushAt + this.intervalMs - now);
  }

  /** Drops anything pending: the job's final row says where it ended. */
  dispose(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    this.pending = null;
  }

  private flushPending(): void {
    this.timer = null;
    const pending = this.pending;
    this.pending = null;
    if (pending !== null) this.flush(pending.progress, pending.stage, this.clock.now());
  }

  private flush(progress: number, stage: string, now: number): void {
    this.lastFlushAt = now;
    this.sink(progress, stage);
  }
}
