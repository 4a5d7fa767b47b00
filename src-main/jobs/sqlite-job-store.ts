/**
 * The job store on the library's SQLite database. Every transition is one IMMEDIATE transaction whose
 * UPDATE is guarded by the state (and, for a worker's calls, the lease owner), so two workers can never
 * both claim, finish or requeue the same job.
 */
import { randomUUID } from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3';
import type { JobErrorCode, JobResult, JobSummary } from '../../src-shared/jobs';
import { fail, ok, type CodedError, type Result } from '../../src-shared/result';
import { reasonOf } from '../library/open-library-database';
import { checkNewJob, clampProgress, errorJson, isoTime, toSummary, type JobRow } from './job-rows';
import type { JobListOptions, JobStore, NewJob } from './types';

const DEFAULT_LIST_LIMIT = 500;

/**
 * Leaving `running` for the queue again. A cancel asked for while it ran wins: the job ends cancelled
 * instead of running once more. (SQLite evaluates every SET expression against the old row.)
 */
const BACK_TO_QUEUE = `
  state = CASE WHEN cancel_requested = 1 THEN 'cancelled' ELSE 'queued' END,
  finished_at = CASE WHEN cancel_requested = 1 THEN @at ELSE NULL END,
  progress = CASE WHEN cancel_requested = 1 THEN progress ELSE 0 END,
  stage = NULL, lease_owner = NULL, lease_expires_at = NULL, updated_at = @at`;

/** Ending a running job for good. */
const FINISHED = `stage = NULL, lease_owner = NULL, lease_expires_at = NULL, finished_at = @at, updated_at = @at`;

const CRASHED: CodedError<JobErrorCode> = {
  code: 'JOB_CRASHED',
  message: 'the worker running this job stopped without finishing it (its lease expired)',
};

/** A failure found inside a transaction: thrown to roll it back, turned back into a value outside. */
class Abort extends Error {
  constructor(readonly failure: { ok: false; error: CodedError<JobErrorCode> }) {
    super(failure.error.message);
  }
}

type Params = Record<string, string | number | null>;

export class SqliteJobStore implements JobStore {
  private readonly statements = new Map<string, Statement>();

  /** Takes a connection opened with openLibraryDatabase (configured and migrated); the caller closes it. */
  constructor(private readonly db: Database) {}

  enqueue(job: NewJob, now: number): Result<JobSummary> {
    const checked = checkNewJob(job);
    if (!checked.ok) return checked;
    const { payload, title, meetingId, maxAttempts } = checked.value;
    const id = randomUUID();
    return this.transaction(() => {
      this.run(
        `INSERT INTO jobs (id, kind, state, payload, meeting_id, title, max_attempts, created_at, updated_at, run_after)
         VALUES (@id, @kind, 'queued', @payload, @meetingId, @title, @maxAttempts, @at, @at, @now)`,
        { id, kind: payload.kind, payload: JSON.stringify(payload), meetingId, title, maxAttempts, at: isoTime(now), now },
      );
      return this.summaryOf(id);
    });
  }

  get(jobId: string): Result<JobSummary> {
    return this.read(() => this.summaryOf(jobId));
  }

  list(options: JobListOptions = {}): Result<JobSummary[]> {
    const limit = Math.max(0, Math.floor(options.limit ?? DEFAULT_LIST_LIMIT));
    const states = options.states === undefined ? null : JSON.stringify(options.states);
    const kinds = options.kinds === undefined ? null : JSON.stringify(options.kinds);
    return this.read(() =>
      this.all(
        `SELECT * FROM jobs
         WHERE (@states IS NULL OR state IN (SELECT value FROM json_each(@states)))
           AND (@kinds IS NULL OR kind IN (SELECT value FROM json_each(@kinds)))
         ORDER BY seq DESC LIMIT @limit`,
        { states, kinds, limit },
      ).map(toSummary),
    );
  }

  claimNext(owner: string, now: number, leaseMs: number): Result<JobSummary | null> {
    return this.transaction(() => {
      const next = this.first(
        `SELECT * FROM jobs WHERE state = 'queued' AND cancel_requested = 0 AND run_after <= @now ORDER BY seq LIMIT 1`,
        { now },
      );
      if (next === null) return null;
      this.run(
        `UPDATE jobs SET state = 'running', attempts = attempts + 1, lease_owner = @owner, lease_expires_at = @expires,
           started_at = @at, updated_at = @at, finished_at = NULL, next_run_at = NULL, progress = 0, stage = NULL
         WHERE id = @id AND state = 'queued'`,
        { id: next.id, owner, expires: now + leaseMs, at: isoTime(now) },
      );
      return this.summaryOf(next.id);
    });
  }

  renewLease(jobId: string, owner: string, now: number, leaseMs: number): Result<void> {
    return this.transaction(() => {
      this.updateLeased(jobId, owner, 'lease_expires_at = @expires', { expires: now + leaseMs });
    });
  }

  setProgress(jobId: string, owner: string, progress: number, stage: string | null, now: number): Result<void> {
    return this.transaction(() => {
      this.updateLeased(jobId, owner, 'progress = @progress, stage = @stage, updated_at = @at', {
        progress: clampProgress(progress),
        stage,
        at: isoTime(now),
      });
    });
  }

  succeed(jobId: string, owner: string, result: JobResult, now: number): Result<JobSummary> {
    return this.finishLeased(jobId, owner, `state = 'succeeded', progress = 100, result = @result, ${FINISHED}`, {
      result: JSON.stringify(result),
      at: isoTime(now),
    });
  }

  scheduleRetry(jobId: string, owner: string, error: CodedError, retryAt: number, now: number): Result<JobSummary> {
    return this.finishLeased(
      jobId,
      owner,
      `${BACK_TO_QUEUE}, run_after = @retryAt, last_error = @error,
       next_run_at = CASE WHEN cancel_requested = 1 THEN NULL ELSE @nextRunAt END`,
      { retryAt, nextRunAt: isoTime(retryAt), error: errorJson(error), at: isoTime(now) },
    );
  }

  fail(jobId: string, owner: string, error: CodedError, now: number): Result<JobSummary> {
    return this.finishLeased(jobId, owner, `state = 'failed', last_error = @error, ${FINISHED}`, {
      error: errorJson(error),
      at: isoTime(now),
    });
  }

  markCancelled(jobId: string, owner: string, now: number): Result<JobSummary> {
    return this.finishLeased(jobId, owner, `state = 'cancelled', ${FINISHED}`, { at: isoTime(now) });
  }

  release(jobId: string, owner: string, now: number): Result<JobSummary> {
    return this.finishLeased(jobId, owner, `${BACK_TO_QUEUE}, attempts = attempts - 1, run_after = @now, next_run_at = NULL`, {
      now,
      at: isoTime(now),
    });
  }

  requestCancel(jobId: string, now: number): Result<JobSummary> {
    return this.transaction(() => {
      const job = this.summaryOf(jobId);
      const at = isoTime(now);
      if (job.state === 'queued') {
        this.run(`UPDATE jobs SET state = 'cancelled', next_run_at = NULL, finished_at = @at, updated_at = @at WHERE id = @id`, {
          id: jobId,
          at,
        });
      } else if (job.state === 'running') {
        this.run(`UPDATE jobs SET cancel_requested = 1, updated_at = @at WHERE id = @id`, { id: jobId, at });
      } else {
        throw new Abort(fail('JOB_NOT_CANCELLABLE', `job ${jobId} has already ${job.state}`, jobId));
      }
      return this.summaryOf(jobId);
    });
  }

  rejectQueued(jobId: string, error: CodedError, now: number): Result<JobSummary> {
    return this.transaction(() => {
      const at = isoTime(now);
      const { changes } = this.run(
        `UPDATE jobs SET state = 'failed', last_error = @error, next_run_at = NULL, finished_at = @at, updated_at = @at
         WHERE id = @id AND state = 'queued' AND attempts = 0`,
        { id: jobId, error: errorJson(error), at },
      );
      const job = this.summaryOf(jobId);
      if (changes === 0)
        throw new Abort(
          fail(
            'JOB_NOT_REJECTABLE',
            `job ${jobId} is ${job.state} after ${job.attempts} attempts; only a job not yet started can be rejected`,
            jobId,
          ),
        );
      return job;
    });
  }

  requeue(jobId: string, now: number): Result<JobSummary> {
    return this.transaction(() => {
      const job = this.summaryOf(jobId);
      if (job.state !== 'failed' && job.state !== 'cancelled') {
        throw new Abort(fail('JOB_NOT_RETRYABLE', `job ${jobId} is ${job.state}; only failed or cancelled jobs can be retried`, jobId));
      }
      this.run(
        `UPDATE jobs SET state = 'queued', attempts = 0, cancel_requested = 0, run_after = @now, next_run_at = NULL,
           progress = 0, stage = NULL, last_error = NULL, result = NULL, started_at = NULL, finished_at = NULL, updated_at = @at
         WHERE id = @id`,
        { id: jobId, now, at: isoTime(now) },
      );
      return this.summaryOf(jobId);
    });
  }

  reclaimExpiredLeases(now: number): Result<JobSummary[]> {
    return this.transaction(() => {
      const expired = this.all(`SELECT * FROM jobs WHERE state = 'running' AND lease_expires_at < @now ORDER BY seq`, { now });
      if (expired.length === 0) return [];
      const params = { now, at: isoTime(now), error: errorJson(CRASHED) };
      this.run(
        `UPDATE jobs SET state = 'failed', last_error = @error, ${FINISHED}
         WHERE state = 'running' AND lease_expires_at < @now AND cancel_requested = 0 AND attempts >= max_attempts`,
        params,
      );
      this.run(
        `UPDATE jobs SET ${BACK_TO_QUEUE}, run_after = @now, next_run_at = NULL, last_error = @error
         WHERE state = 'running' AND lease_expires_at < @now`,
        params,
      );
      return expired.map((row) => this.summaryOf(row.id));
    });
  }

  removeFinished(): Result<string[]> {
    return this.transaction(() => {
      const rows = this.db.prepare(`DELETE FROM jobs WHERE state IN ('succeeded', 'failed', 'cancelled') RETURNING id`).all() as {
        id: string;
      }[];
      return rows.map((row) => row.id);
    });
  }

  nextDueAt(): Result<number | null> {
    return this.read(() => this.minimum(`SELECT min(run_after) AS at FROM jobs WHERE state = 'queued' AND cancel_requested = 0`));
  }

  nextLeaseExpiry(): Result<number | null> {
    return this.read(() => this.minimum(`SELECT min(lease_expires_at) AS at FROM jobs WHERE state = 'running'`));
  }

  /** One guarded UPDATE of a job this owner holds; a miss is a lost lease, or an unknown job. */
  private updateLeased(jobId: string, owner: string, assignments: string, params: Params): void {
    const { changes } = this.run(`UPDATE jobs SET ${assignments} WHERE id = @id AND state = 'running' AND lease_owner = @owner`, {
      ...params,
      id: jobId,
      owner,
    });
    if (changes > 0) return;
    this.summaryOf(jobId); // throws JOB_NOT_FOUND for an unknown job
    throw new Abort(fail('JOB_LEASE_LOST', `job ${jobId} is no longer held by ${owner}`, jobId));
  }

  private finishLeased(jobId: string, owner: string, assignments: string, params: Params): Result<JobSummary> {
    return this.transaction(() => {
      this.updateLeased(jobId, owner, assignments, params);
      return this.summaryOf(jobId);
    });
  }

  private summaryOf(jobId: string): JobSummary {
    const row = this.first('SELECT * FROM jobs WHERE id = @id', { id: jobId });
    if (row === null) throw new Abort(fail('JOB_NOT_FOUND', `there is no job ${jobId}`, jobId));
    return toSummary(row);
  }

  private minimum(sql: string): number | null {
    const row = this.statement(sql).get() as { at: number | null } | undefined;
    return row?.at ?? null;
  }

  private first(sql: string, params: Params): JobRow | null {
    return (this.statement(sql).get(params) as JobRow | undefined) ?? null;
  }

  private all(sql: string, params: Params): JobRow[] {
    return this.statement(sql).all(params) as JobRow[];
  }

  private run(sql: string, params: Params): { changes: number } {
    return this.statement(sql).run(params);
  }

  private statement(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /** IMMEDIATE takes the write lock up front, so a busy database waits (busy_timeout) instead of failing midway. */
  private transaction<T>(body: () => T): Result<T> {
    return this.guarded(() => this.db.transaction(body).immediate());
  }

  private read<T>(body: () => T): Result<T> {
    return this.guarded(() => this.db.transaction(body).deferred());
  }

  private guarded<T>(body: () => T): Result<T> {
    if (!this.db.open) return fail('JOB_STORE_FAILED', 'the job store is closed');
    try {
      return ok(body());
    } catch (error) {
      if (error instanceof Abort) return error.failure;
      return fail('JOB_STORE_FAILED', reasonOf(error));
    }
  }
}
