/**
 * One attempt at one job: a private temp folder, a heartbeat that keeps the lease, throttled progress,
 * and the handler's outcome as a value (a throwing handler becomes JOB_HANDLER_THREW).
 */
import { mkdir, rm } from 'node:fs/promises';
import { errorMessage } from '../../src-shared/errors';
import type { JobEvent, JobResult, JobSummary } from '../../src-shared/jobs';
import { fail, type ErrorCode, type Result } from '../../src-shared/result';
import { clampProgress } from './job-rows';
import { attemptTempDir } from './job-temp-dirs';
import { ProgressThrottle } from './progress-throttle';
import type { Clock, ClockTimer, JobHandler, JobStore } from './types';
import type { Logger } from '../../src-shared/logger';

/** Why the queue aborted a handler; several can apply (a cancel, then the app quits). */
export type AbortCause = 'cancel' | 'lease-lost' | 'stop';

export class RunningJob {
  readonly controller = new AbortController();
  readonly causes = new Set<AbortCause>();
  /** Settles once the attempt's outcome is written (or dropped); never rejects. */
  done: Promise<void> = Promise.resolve();

  constructor(
    readonly job: JobSummary,
    /** This claim's lease owner: unique per claim, so a stale attempt can never write over a newer one. */
    readonly owner: string,
  ) {}

  abort(cause: AbortCause): void {
    this.causes.add(cause);
    this.controller.abort(new Error(`job ${this.job.id}: ${cause}`));
  }
}

export interface AttemptDeps {
  store: JobStore;
  clock: Clock;
  tempRoot: string;
  leaseMs: number;
  heartbeatMs: number;
  progressThrottleMs: number;
  emit(event: JobEvent): void;
  logger: Logger;
}

export async function runAttempt(run: RunningJob, handler: JobHandler, deps: AttemptDeps): Promise<Result<JobResult>> {
  const tempDir = attemptTempDir(deps.tempRoot, run.job);
  const heartbeat = startHeartbeat(run, deps);
  let live = true;
  const throttle = new ProgressThrottle(deps.clock, deps.progressThrottleMs, (progress, stage) => {
    if (live) writeProgress(run, deps, progress, stage);
  });
  try {
    try {
      await mkdir(tempDir, { recursive: true });
    } catch (error) {
      return fail('JOB_TEMP_DIR_FAILED', `cannot create the job's temporary folder: ${errorMessage(error)}`, tempDir);
    }
    return await callHandler(handler, {
      job: run.job,
      signal: run.controller.signal,
      tempDir,
      reportProgress: (progress, stage) => {
        if (live) throttle.report(clampProgress(progress), stage);
      },
    });
  } finally {
    live = false;
    heartbeat.stop();
    throttle.dispose();
    // What is left is swept at the next start.
    await rm(tempDir, { recursive: true, force: true }).catch((error: unknown) =>
      deps.logger.warn(`Could not remove the job's temporary folder ${tempDir}`, error),
    );
  }
}

async function callHandler(handler: JobHandler, context: Parameters<JobHandler>[0]): Promise<Result<JobResult>> {
  try {
    return await handler(context);
  } catch (error) {
    return fail('JOB_HANDLER_THREW', `the ${context.job.kind} handler threw: ${errorMessage(error)}`, context.job.id);
  }
}

function writeProgress(run: RunningJob, deps: AttemptDeps, progress: number, stage: string): void {
  const written = deps.store.setProgress(run.job.id, run.owner, progress, stage, deps.clock.now());
  if (written.ok) deps.emit({ type: 'progress', jobId: run.job.id, progress, stage });
  else if (isLeaseGone(written.error.code)) run.abort('lease-lost');
}

/** Renews the lease every heartbeatMs; once it is gone the handler is aborted and its outcome will be dropped. */
function startHeartbeat(run: RunningJob, deps: AttemptDeps): { stop(): void } {
  let timer: ClockTimer | null = null;
  const beat = (): void => {
    timer = null;
    const renewed = deps.store.renewLease(run.job.id, run.owner, deps.clock.now(), deps.leaseMs);
    if (!renewed.ok && isLeaseGone(renewed.error.code)) {
      run.abort('lease-lost');
      return;
    }
    // Any other store failure may pass (a busy database): the lease still has time, try again next beat.
    timer = deps.clock.setTimeout(beat, deps.heartbeatMs);
  };
  timer = deps.clock.setTimeout(beat, deps.heartbeatMs);
  return {
    stop() {
      if (timer !== null) deps.clock.clearTimeout(timer);
      timer = null;
    },
  };
}

function isLeaseGone(code: ErrorCode): boolean {
  return code === 'JOB_LEASE_LOST' || code === 'JOB_NOT_FOUND';
}
