/** Jobs as rows: the column layout, the mapping to JobSummary, and the checks on a new job. */
import { JOB_KINDS, type JobKind, type JobPayload, type JobResult, type JobState, type JobSummary } from '../../src-shared/jobs';
import { readStoredError } from '../../src-shared/errors';
import { fail, ok, type CodedError, type Result } from '../../src-shared/result';
import type { NewJob } from './types';

/** Generous: a job that failed this often is not going to succeed on the next try. */
export const MAX_ATTEMPTS_LIMIT = 100;

export interface JobRow {
  seq: number;
  id: string;
  kind: JobKind;
  state: JobState;
  payload: string;
  meeting_id: string | null;
  title: string;
  progress: number;
  stage: string | null;
  attempts: number;
  max_attempts: number;
  last_error: string | null;
  result: string | null;
  cancel_requested: 0 | 1;
  created_at: string;
  updated_at: string;
  started_at: string | null;
  finished_at: string | null;
  next_run_at: string | null;
  run_after: number;
  lease_owner: string | null;
  lease_expires_at: number | null;
}

export function toSummary(row: JobRow): JobSummary {
  return {
    id: row.id,
    kind: row.kind,
    state: row.state,
    payload: JSON.parse(row.payload) as JobPayload,
    meetingId: row.meeting_id,
    title: row.title,
    progress: row.progress,
    stage: row.stage,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    // An older version's code reads in today's vocabulary (its cancellation codes as CANCELLED).
    lastError: row.last_error === null ? null : readStoredError(JSON.parse(row.last_error)),
    result: row.result === null ? null : (JSON.parse(row.result) as JobResult),
    cancelRequested: row.cancel_requested === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    nextRunAt: row.next_run_at,
  };
}

export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** Only the fields of a CodedError, so a stray property (a stack, a cause) never lands in the database. */
export function errorJson(error: CodedError): string {
  const { code, message, subject } = error;
  return JSON.stringify(subject === undefined ? { code, message } : { code, message, subject });
}

export function clampProgress(progress: number): number {
  return Number.isFinite(progress) ? Math.min(100, Math.max(0, progress)) : 0;
}

export function checkNewJob(job: NewJob): Result<NewJob, 'JOB_INVALID'> {
  const payload: unknown = job.payload;
  if (typeof payload !== 'object' || payload === null || !JOB_KINDS.includes((payload as { kind?: JobKind }).kind as JobKind)) {
    return fail('JOB_INVALID', `a job payload needs a kind (${JOB_KINDS.join(', ')})`);
  }
  if (typeof job.title !== 'string' || job.title.trim().length === 0) return fail('JOB_INVALID', 'a job needs a title');
  if (job.meetingId !== null && (typeof job.meetingId !== 'string' || job.meetingId.length === 0)) {
    return fail('JOB_INVALID', 'a job meeting id is a non-empty string or null');
  }
  if (!Number.isInteger(job.maxAttempts) || job.maxAttempts < 1 || job.maxAttempts > MAX_ATTEMPTS_LIMIT) {
    return fail('JOB_INVALID', `maxAttempts must be a whole number from 1 to ${MAX_ATTEMPTS_LIMIT}`);
  }
  return ok({ ...job, title: job.title.trim() });
}
