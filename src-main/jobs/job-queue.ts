/**
 * The durable job queue: enqueue answers at once, a pump claims due jobs up to the concurrency limit,
 * each attempt holds a lease it renews, and outcomes become succeeded, a retry after backoff, failed or
 * cancelled. Everything durable lives in the JobStore, so a crash or a quit leaves jobs resumable.
 */
import { randomUUID } from 'node:crypto';
import type { JobEvent, JobPayload, JobSummary } from '../../src-shared/jobs';
import { fail, ok, type CodedError, type Result } from '../../src-shared/result';
import type { BackoffPolicy } from '../util/retry';
import { RunningJob, runAttempt, type AttemptDeps } from './job-attempt';
import { applySettlement, settle, type SettleRules } from './job-settlement';
import { sweepTempRoot } from './job-temp-dirs';
import { isTransientJobError } from './transient-errors';
import type { Clock, ClockTimer, JobHandlers, JobListOptions, JobStore } from './types';
import type { Logger } from '../../src-shared/logger';

export const DEFAULT_JOB_BACKOFF: BackoffPolicy = { maxAttempts: 4, baseDelayMs: 2_000, maxDelayMs: 60_000 };
export const DEFAULT_LEASE_MS = 30_000;
export const DEFAULT_PROGRESS_THROTTLE_MS = 250;
/** How long to wait before trying the store again after it failed to answer the pump. */
const STORE_RETRY_MS = 1_000;

export interface JobQueueOptions {
  store: JobStore;
  clock: Clock;
  handlers: JobHandlers;
  /** This queue's name in leases; default: random + pid. */
  ownerId?: string;
  concurrency?: number | undefined;
  leaseMs?: number | undefined;
  /** Default: a third of the lease, so two beats can be missed before it expires. */
  heartbeatMs?: number;
  backoff?: BackoffPolicy | undefined;
  isTransient?: (error: CodedError) => boolean;
  /** A folder only this queue uses: attempts get `<tempRoot>/<jobId>-<attempt>`; leftovers are swept at start. */
  tempRoot: string;
  progressThrottleMs?: number;
  /** Where a listener that threw, or a cleanup that failed, is reported. */
  logger: Logger;
}

export interface EnqueueOptions {
  title: string;
  /** Default: the payload's meetingId, if it names one. */
  meetingId?: string | null;
  /** Default: the backoff policy's maxAttempts. */
  maxAttempts?: number;
}

export type JobListener = (event: JobEvent) => void;

type Phase = 'new' | 'starting' | 'started' | 'stopped';

export class JobQueue {
  private readonly store: JobStore;
  private readonly clock: Clock;
  private readonly handlers: JobHandlers;
  private readonly ownerId: string;
  private readonly concurrency: number;
  private readonly backoff: BackoffPolicy;
  private readonly attemptDeps: AttemptDeps;
  private readonly rules: SettleRules;
  /** Keyed by lease owner: unique per claim, even if a stalled attempt's job was reclaimed and claimed again. */
  private readonly running = new Map<string, RunningJob>();
  private readonly listeners = new Set<JobListener>();
  private readonly logger: Logger;
  private idleWaiters: Array<() => void> = [];
  private phase: Phase = 'new';
  private wakeTimer: ClockTimer | null = null;
  private pumpPending: NodeJS.Immediate | null = null;
  private claims = 0;
  private holds = 0;

  constructor(options: JobQueueOptions) {
    this.store = options.store;
    this.clock = options.clock;
    this.handlers = options.handlers;
    this.logger = options.logger;
    this.ownerId = options.ownerId ?? `${randomUUID().slice(0, 8)}-${process.pid}`;
    this.concurrency = Math.max(1, Math.floor(options.concurrency ?? 1));
    this.backoff = options.backoff ?? DEFAULT_JOB_BACKOFF;
    const leaseMs = Math.max(1, options.leaseMs ?? DEFAULT_LEASE_MS);
    this.attemptDeps = {
      store: this.store,
      clock: this.clock,
      tempRoot: options.tempRoot,
      leaseMs,
      heartbeatMs: Math.max(1, options.heartbeatMs ?? Math.floor(leaseMs / 3)),
      progressThrottleMs: Math.max(0, options.progressThrottleMs ?? DEFAULT_PROGRESS_THROTTLE_MS),
      emit: (event) => this.emit(event),
      logger: options.logger,
    };
    this.rules = { backoff: this.backoff, isTransient: options.isTransient ?? isTransientJobError };
  }

  /** Sweeps the temp root, hands back jobs whose worker died, then starts running jobs. */
  async start(): Promise<Result<void>> {
    if (this.phase === 'stopped') return stopped();
    if (this.phase !== 'new') return ok(undefined);
    this.phase = 'starting';
    const swept = await sweepTempRoot(this.attemptDeps.tempRoot);
    if (this.phase !== 'starting') return stopped();
    const reclaimed = swept.ok ? this.store.reclaimExpiredLeases(this.clock.now()) : swept;
    if (!reclaimed.ok) {
      this.phase = 'new';
      return reclaimed;
    }
    reclaimed.value.forEach((job) => this.emitChanged(job));
    this.phase = 'started';
    this.schedulePump();
    return ok(undefined);
  }

  /** Stores the job and answers at once; it runs when a slot is free (after start). */
  enqueue(payload: JobPayload, options: EnqueueOptions): Result<JobSummary> {
    if (this.phase === 'stopped') return stopped();
    const meetingId = options.meetingId !== undefined ? options.meetingId : 'meetingId' in payload ? payload.meetingId : null;
    const maxAttempts = options.maxAttempts ?? this.backoff.maxAttempts;
    const created = this.store.enqueue({ payload, title: options.title, meetingId, maxAttempts }, this.clock.now());
    if (created.ok) this.changedAndPump(created.value);
    return created;
  }

  /** A queued job is cancelled at once; a running one is aborted and ends cancelled when its handler returns. */
  cancel(jobId: string): Result<JobSummary> {
    const requested = this.store.requestCancel(jobId, this.clock.now());
    if (!requested.ok) return requested;
    for (const run of this.running.values()) if (run.job.id === jobId) run.abort('cancel');
    this.emitChanged(requested.value);
    return requested;
  }

  /**
   * Fails a job that has not started because its input was found bad before its turn (an import's file
   * is checked as soon as it is queued, so a broken file says why at once, not after the jobs ahead).
   */
  rejectQueued(jobId: string, error: CodedError): Result<JobSummary> {
    const rejected = this.store.rejectQueued(jobId, error, this.clock.now());
    if (rejected.ok) this.emitChanged(rejected.value);
    return rejected;
  }

  /** A failed or cancelled job goes back in the queue with a fresh attempt budget. */
  retry(jobId: string): Result<JobSummary> {
    if (this.phase === 'stopped') return stopped();
    const requeued = this.store.requeue(jobId, this.clock.now());
    if (requeued.ok) this.changedAndPump(requeued.value);
    return requeued;
  }

  /** Clears finished jobs from the list (their meetings and files stay). */
  clearFinished(): Result<number> {
    const removed = this.store.removeFinished();
    if (!removed.ok) return removed;
    if (removed.value.length > 0) this.emit({ type: 'removed', jobIds: removed.value });
    return ok(removed.value.length);
  }

  get(jobId: string): Result<JobSummary> {
    return this.store.get(jobId);
  }

  list(options?: JobListOptions): Result<JobSummary[]> {
    return this.store.list(options);
  }

  onEvent(listener: JobListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /**
   * Until the returned release is called, no queued job starts (running ones go on): while a live recording
   * transcribes, the machine's cores and one copy of the model are the recording's. Holds nest.
   */
  holdClaims(): () => void {
    this.holds += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds -= 1;
      if (this.holds === 0) this.schedulePump();
    };
  }

  /** Resolves once no attempt is running and no pump is pending (every due job has been dealt with). */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Stops claiming, aborts the running handlers and waits for them; their jobs go back to queued with the
   * attempt not counted (a job that finished anyway keeps its result). Clears every timer.
   */
  async stop(): Promise<void> {
    this.phase = 'stopped';
    this.clearWake();
    if (this.pumpPending !== null) clearImmediate(this.pumpPending);
    this.pumpPending = null;
    const runs = [...this.running.values()];
    for (const run of runs) run.abort('stop');
    await Promise.all(runs.map((run) => run.done));
    this.notifyIdle();
  }

  private changedAndPump(job: JobSummary): void {
    this.emitChanged(job);
    this.schedulePump();
  }

  /** Pumps on a later turn, once: callers (enqueue, a finished attempt) never wait for a claim. */
  private schedulePump(): void {
    if (this.phase !== 'started' || this.pumpPending !== null) return;
    // Not unref'd: it fires on the next turn anyway, and with an unref'd immediate Node 20 held the
    // attempts' fs completions (mkdir, rm) until some other event woke the loop: with none, forever.
    this.pumpPending = setImmediate(() => {
      this.pumpPending = null;
      this.pump();
    });
  }

  private pump(): void {
    if (this.phase !== 'started') return this.notifyIdle();
    this.clearWake();
    const reclaimed = this.store.reclaimExpiredLeases(this.clock.now());
    if (reclaimed.ok) reclaimed.value.forEach((job) => this.emitChanged(job));
    let storeFailed = !reclaimed.ok;
    while (!storeFailed && this.holds === 0 && this.running.size < this.concurrency) {
      const owner = `${this.ownerId}:${++this.claims}`;
      const claimed = this.store.claimNext(owner, this.clock.now(), this.attemptDeps.leaseMs);
      if (!claimed.ok) storeFailed = true;
      else if (claimed.value === null) break;
      else this.launch(claimed.value, owner);
    }
    if (storeFailed) this.wakeAt(this.clock.now() + STORE_RETRY_MS);
    else if (this.holds === 0 && this.running.size < this.concurrency) this.wakeForNextDue();
    this.notifyIdle();
  }

  /** One timer for whichever comes first: a queued job's due time, or a lease that may need reclaiming. */
  private wakeForNextDue(): void {
    const due = this.store.nextDueAt();
    const expiry = this.store.nextLeaseExpiry();
    if (!due.ok || !expiry.ok) return this.wakeAt(this.clock.now() + STORE_RETRY_MS);
    // Leases are reclaimed once strictly past their expiry.
    const candidates = [due.value, expiry.value === null ? null : expiry.value + 1].filter((at): at is number => at !== null);
    if (candidates.length > 0) this.wakeAt(Math.min(...candidates));
  }

  private wakeAt(time: number): void {
    this.clearWake();
    this.wakeTimer = this.clock.setTimeout(() => {
      this.wakeTimer = null;
      this.schedulePump();
    }, time - this.clock.now());
  }

  private clearWake(): void {
    if (this.wakeTimer !== null) this.clock.clearTimeout(this.wakeTimer);
    this.wakeTimer = null;
  }

  private launch(job: JobSummary, owner: string): void {
    const run = new RunningJob(job, owner);
    this.running.set(owner, run);
    this.emitChanged(job);
    run.done = this.execute(run)
      // execute returns values only: a throw is a defect, reported, and stop() never rejects.
      .catch((error: unknown) => this.logger.error(`The queue could not settle job ${job.id}`, error))
      .finally(() => {
        this.running.delete(owner);
        this.schedulePump();
        this.notifyIdle();
      });
  }

  private async execute(run: RunningJob): Promise<void> {
    const handler = this.handlers[run.job.kind];
    const outcome =
      handler === undefined
        ? fail('JOB_NO_HANDLER', `no handler runs ${run.job.kind} jobs`, run.job.id)
        : await runAttempt(run, handler, this.attemptDeps);
    const now = this.clock.now();
    const written = applySettlement(this.store, run, settle(run, outcome, this.rules, now), now);
    // Not written: the lease moved on (the new holder reports the job) or the store failed (the lease
    // expires and the job is reclaimed).
    if (written?.ok) this.emitChanged(written.value);
  }

  private isIdle(): boolean {
    return this.pumpPending === null && this.running.size === 0;
  }

  private notifyIdle(): void {
    if (!this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    waiters.forEach((resolve) => resolve());
  }

  private emitChanged(job: JobSummary): void {
    this.emit({ type: 'changed', job });
  }

  private emit(event: JobEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        // A listener's bug must not stop the queue or the other listeners.
        this.logger.warn(`A job event listener threw on ${event.type}`, error);
      }
    }
  }
}

function stopped(): { ok: false; error: CodedError<'JOB_QUEUE_STOPPED'> } {
  return fail('JOB_QUEUE_STOPPED', 'the job queue has stopped');
}
