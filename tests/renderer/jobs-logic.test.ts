import { describe, expect, it } from 'vitest';
import { applyJobEvent, canCancel, canRetry, upsertJobs } from '../../src-renderer/src/store/jobs-logic';
import { jobRow } from './fixtures';

describe('job list events', () => {
  const older = jobRow('a', { createdAt: '2025-01-01T10:00:00.000Z', state: 'running', progress: 10, stage: 'decode' });
  const newer = jobRow('b', { createdAt: '2025-01-01T11:00:00.000Z' });

  it('adds a job it has not seen, newest first', () => {
    const jobs = applyJobEvent([older], { type: 'changed', job: newer });
    expect(jobs.map((job) => job.id)).toEqual(['b', 'a']);
  });

  it('replaces the whole row on changed, leaving the others alone', () => {
    const failed = { ...older, state: 'failed' as const, lastError: { code: 'NOT_MEDIA' as const, message: 'not media' } };
    const jobs = applyJobEvent([newer, older], { type: 'changed', job: failed });
    expect(jobs).toHaveLength(2);
    expect(jobs.find((job) => job.id === 'a')).toEqual(failed);
    expect(jobs.find((job) => job.id === 'b')).toBe(newer);
  });

  it('moves only progress and stage on progress', () => {
    const jobs = applyJobEvent([newer, older], { type: 'progress', jobId: 'a', progress: 55, stage: 'transcribe' });
    const moved = jobs.find((job) => job.id === 'a');
    expect(moved).toEqual({ ...older, progress: 55, stage: 'transcribe' });
    expect(jobs.find((job) => job.id === 'b')).toBe(newer);
  });

  it('returns the same list for progress of an unknown job, or a late report for a finished one', () => {
    const done = jobRow('c', { state: 'succeeded', progress: 100 });
    const jobs = [older, done];
    expect(applyJobEvent(jobs, { type: 'progress', jobId: 'zzz', progress: 5, stage: null })).toBe(jobs);
    expect(applyJobEvent(jobs, { type: 'progress', jobId: 'c', progress: 80, stage: 'store' })).toBe(jobs);
  });

  it('upserts acknowledged jobs without duplicating rows that events already added', () => {
    const jobs = upsertJobs([older, newer], [{ ...newer, progress: 3 }]);
    expect(jobs.map((job) => [job.id, job.progress])).toEqual([
      ['b', 3],
      ['a', 10],
    ]);
  });

  it('offers cancel for queued/running jobs and retry for failed/cancelled ones', () => {
    const offers = (['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const).map((state) => {
      const job = jobRow('x', { state });
      return [state, canCancel(job), canRetry(job)];
    });
    expect(offers).toEqual([
      ['queued', true, false],
      ['running', true, false],
      ['succeeded', false, false],
      ['failed', false, true],
      ['cancelled', false, true],
    ]);
    expect(canCancel(jobRow('y', { state: 'running', cancelRequested: true }))).toBe(false);
  });
});
