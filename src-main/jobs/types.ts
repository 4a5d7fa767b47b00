/**
 * The job system's ports. The queue (job-queue.ts) schedules; a JobStore keeps every job durably; each
 * kind has a JobHandler that does the work. Everything here is plain Node and takes a Clock, so tests
 * drive time by hand.
 */
import type { JobKind, JobPayload, JobResult, JobSummary } from '../../src-shared/jobs';
import type { CodedError, Result } from '../../src-shared/result';

/** Milliseconds since the epoch, and timers on that time line. */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): ClockTimer;
  clearTimeout(timer: ClockTimer): void;
}

/** Opaque timer handle of a Clock. */
export interface ClockTimer {
  readonly id: number;
}

export interface NewJob {
  payload: JobPayload;
  title: string;
  meetingId: string | null;
  maxAttempts: number;
}

export interface JobListOptions {
  states?: readonly JobState[];
  kinds?: readonly JobKind[];
  /** Newest first; default 500. */
  limit?: number;
}

type JobState = JobSummary['state'];

/**
 * Durable job rows. Every transition is one atomic statement or transaction; lease-holding calls name
 * the owner and fail with JOB_LEASE_LOST when the lease has moved on (another worker reclaimed it).
 */
export interface JobStore {
  enqueue(job: NewJob, now: number): Result<JobSummary>;
  get(jobId: string): Result<JobSummary>;
  list(options?: JobListOptions): Result<JobSummary[]>;
  /** Atomically takes the oldest due queued job: running, attempts + 1, leased to `owner` until now + leaseMs. */
  claimNext(owner: string, now: number, leaseMs: number): Result<JobSummary | null>;
  renewLease(jobId: string, owner: string, now: number, leaseMs: number): Result<void>;
  setProgress(jobId: string, owner: string, progress: number, stage: string | null, now: number): Result<void>;
  succeed(jobId: string, owner: string, result: JobResult, now: number): Result<JobSummary>;
  /** Back to queued, due at `retryAt` (the backoff), error recorded. */
  scheduleRetry(jobId: string, owner: string, error: CodedError, retryAt: number, now: number): Result<JobSummary>;
  fail(jobId: string, owner: string, error: CodedError, now: number): Result<JobSummary>;
  /** The running job ended because it was cancelled. */
  markCancelled(jobId: string, owner: string, now: number): Result<JobSummary>;
  /** Queued → cancelled at once; running → cancelRequested (the worker ends it); final → JOB_NOT_CANCELLABLE. */
  requestCancel(jobId: string, now: number): Result<JobSummary>;
  /** A queued job that never started → failed with `error` (its input was found bad); otherwise JOB_NOT_REJECTABLE. */
  rejectQueued(jobId: string, error: CodedError, now: number): Result<JobSummary>;
  /** Failed or cancelled → queued again with a fresh attempt budget; otherwise JOB_NOT_RETRYABLE. */
  requeue(jobId: string, now: number): Result<JobSummary>;
  /** A worker shutting down hands its running job back: queued, the attempt not counted. */
  release(jobId: string, owner: string, now: number): Result<JobSummary>;
  /**
   * Running jobs whose lease expired before `now` (their worker died): back to queued, or failed with
   * JOB_CRASHED once their attempts are used.
   */
  reclaimExpiredLeases(now: number): Result<JobSummary[]>;
  /** Deletes every succeeded, failed and cancelled job; returns their ids. */
  removeFinished(): Result<string[]>;
  /** The earliest time a queued job becomes due, or null when none is queued. */
  nextDueAt(): Result<number | null>;
  /** The earliest lease expiry among running jobs (when a dead worker's job can be reclaimed), or null. */
  nextLeaseExpiry(): Result<number | null>;
}

export interface JobContext {
  job: JobSummary;
  /** Aborted when the user cancels, the lease is lost or the queue stops. */
  signal: AbortSignal;
  /** A folder only this attempt uses; the queue deletes it when the attempt ends, whatever the outcome. */
  tempDir: string;
  /** 0–100 over the whole job, with the stage's name; cheap to call often (the queue throttles). */
  reportProgress(progress: number, stage: string): void;
}

/** Does one job's work. Must return (not throw); a cancelled job returns CANCELLED promptly. */
export type JobHandler = (context: JobContext) => Promise<Result<JobResult>>;

export type JobHandlers = Partial<Record<JobKind, JobHandler>>;
