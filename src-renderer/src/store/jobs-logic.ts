/** Pure rules for the job list: applying engine events, ordering, and which actions a job allows. */
import type { ErrorCode } from '../../../src-shared/errors';
import type { JobEvent, JobState, JobSummary } from '../../../src-shared/jobs';

const FINAL_STATES: ReadonlySet<JobState> = new Set(['succeeded', 'failed', 'cancelled']);

export function isFinal(job: Pick<JobSummary, 'state'>): boolean {
  return FINAL_STATES.has(job.state);
}

export function canCancel(job: Pick<JobSummary, 'state' | 'cancelRequested'>): boolean {
  return (job.state === 'queued' || job.state === 'running') && !job.cancelRequested;
}

/**
 * Errors about the file itself: running the same job again gives the same answer, so no Retry is offered
 * (the user removes the job, or fixes the file and imports it again).
 */
const PERMANENT_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'NOT_MEDIA',
  'FILE_EMPTY',
  'NO_AUDIO_STREAM',
  'TRUNCATED_OR_CORRUPT',
  'UNSUPPORTED_CODEC',
  'DECODE_FAILED',
  'MEETING_NO_MEDIA',
  'MEETING_NOT_FOUND',
  'JOB_INVALID',
]);

export function isRetryableError(code: ErrorCode | undefined): boolean {
  return code === undefined || !PERMANENT_CODES.has(code);
}

export function canRetry(job: Pick<JobSummary, 'state' | 'lastError'>): boolean {
  if (job.state === 'cancelled') return true;
  return job.state === 'failed' && isRetryableError(job.lastError?.code);
}

function newestFirst(left: JobSummary, right: JobSummary): number {
  if (left.createdAt === right.createdAt) return left.id < right.id ? 1 : left.id > right.id ? -1 : 0;
  return left.createdAt < right.createdAt ? 1 : -1;
}

export function sortJobsNewestFirst(jobs: readonly JobSummary[]): JobSummary[] {
  return [...jobs].sort(newestFirst);
}

/** Replaces known rows by id and adds new ones; the result is newest first. */
export function upsertJobs(jobs: readonly JobSummary[], incoming: readonly JobSummary[]): JobSummary[] {
  const byId = new Map(jobs.map((job) => [job.id, job]));
  for (const job of incoming) byId.set(job.id, job);
  return sortJobsNewestFirst([...byId.values()]);
}

/**
 * `changed` replaces the whole row (or adds it); `progress` moves progress/stage of a job that is still
 * running or queued. Returns the same array when nothing changed, so subscribers do not re-render.
 */
export function applyJobEvent(jobs: readonly JobSummary[], event: JobEvent): readonly JobSummary[] {
  if (event.type === 'changed') return upsertJobs(jobs, [event.job]);
  if (event.type === 'removed') {
    const removed = new Set(event.jobIds);
    return jobs.some((job) => removed.has(job.id)) ? jobs.filter((job) => !removed.has(job.id)) : jobs;
  }
  const index = jobs.findIndex((job) => job.id === event.jobId);
  const job = jobs[index];
  // A late progress report must not pull a finished job back from 100 %.
  if (job === undefined || isFinal(job)) return jobs;
  if (job.progress === event.progress && job.stage === event.stage) return jobs;
  const next = [...jobs];
  next[index] = { ...job, progress: event.progress, stage: event.stage };
  return next;
}

/** State changes can add, finish or fail meetings; progress reports cannot. */
export function jobEventAffectsLibrary(event: JobEvent): boolean {
  return event.type === 'changed';
}
