/** What an attempt's outcome means for its job, and writing that down under the attempt's lease. */
import { isCancelled } from '../../src-shared/errors';
import type { JobResult, JobSummary } from '../../src-shared/jobs';
import type { CodedError, Result } from '../../src-shared/result';
import { backoffDelayMs, type BackoffPolicy } from '../util/retry';
import type { RunningJob } from './job-attempt';
import type { JobStore } from './types';

export type Settlement =
  /** The lease moved to another worker: this attempt's outcome is not ours to write. */
  | { action: 'drop' }
  | { action: 'cancel' }
  | { action: 'succeed'; result: JobResult }
  /** The queue is stopping: back to queued, the attempt not counted. */
  | { action: 'release' }
  | { action: 'retry'; error: CodedError; retryAt: number }
  | { action: 'fail'; error: CodedError };

export interface SettleRules {
  backoff: BackoffPolicy;
  isTransient(error: CodedError): boolean;
}

export function settle(run: RunningJob, outcome: Result<JobResult>, rules: SettleRules, now: number): Settlement {
  if (run.causes.has('lease-lost')) return { action: 'drop' };
  const stopping = run.causes.has('stop');
  // A handler that ignored the signal still ends cancelled: the user asked, and the result is unwanted.
  if (run.causes.has('cancel')) return { action: 'cancel' };
  if (!outcome.ok && isCancelled(outcome.error) && !stopping) return { action: 'cancel' };
  if (outcome.ok) return { action: 'succeed', result: outcome.value };
  if (stopping) return { action: 'release' };
  const { error } = outcome;
  const { attempts, maxAttempts } = run.job;
  if (error.code !== 'JOB_HANDLER_THREW' && rules.isTransient(error) && attempts < maxAttempts) {
    return { action: 'retry', error, retryAt: now + backoffDelayMs(rules.backoff, attempts) };
  }
  return { action: 'fail', error };
}

/** The job's new row, or null when nothing was written (dropped, or the lease was lost meanwhile). */
export function applySettlement(store: JobStore, run: RunningJob, settlement: Settlement, now: number): Result<JobSummary> | null {
  const { id } = run.job;
  switch (settlement.action) {
    case 'drop':
      return null;
    case 'cancel':
      return store.markCancelled(id, run.owner, now);
    case 'succeed':
      return store.succeed(id, run.owner, settlement.result, now);
    case 'release':
      return store.release(id, run.owner, now);
    case 'retry':
      return store.scheduleRetry(id, run.owner, settlement.error, settlement.retryAt, now);
    case 'fail':
      return store.fail(id, run.owner, settlement.error, now);
  }
}
