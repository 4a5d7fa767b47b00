import { describe, expect, it } from 'vitest';
import { SqliteJobStore } from '../../src-main/jobs/sqlite-job-store';
import { errorCode, exportResult, newJob, openDatabase, openJobStore, tempDir, T0, unwrap } from './job-fixtures';
import type { CodedError } from '../../src-shared/result';

const LEASE = 30_000;
const busy: CodedError = { code: 'ENGINE_PROCESS_DIED', message: 'the engine process exited' };

describe('SqliteJobStore: enqueue, get, list', () => {
  it('stores a queued job in the library database and reads it back from another connection', () => {
    const dir = tempDir();
    const job = unwrap(openJobStore(dir).enqueue(newJob(), T0));
    expect(job).toMatchObject({
      kind: 'export',
      state: 'queued',
      meetingId: 'meeting-1',
      title: 'Weekly sync',
      progress: 0,
      stage: null,
      attempts: 0,
      maxAttempts: 3,
      lastError: null,
      result: null,
      cancelRequested: false,
      createdAt: new Date(T0).toISOString(),
      startedAt: null,
      finishedAt: null,
      nextRunAt: null,
    });
    expect(unwrap(openJobStore(dir).get(job.id))).toEqual(job);
    const tables = openDatabase(dir).prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all();
    expect(tables).toEqual(expect.arrayContaining(['meetings', 'jobs']));
  });

  it('reads a last error stored by an older version with its cancellation code as CANCELLED', () => {
    const dir = tempDir();
    const job = unwrap(openJobStore(dir).enqueue(newJob(), T0));
    const stored = { code: 'JOB_CANCELLED', message: 'Importing /a.mp3 was cancelled.', subject: '/a.mp3' };
    openDatabase(dir).prepare(`UPDATE jobs SET state = 'failed', last_error = ? WHERE id = ?`).run(JSON.stringify(stored), job.id);
    expect(unwrap(openJobStore(dir).get(job.id)).lastError).toEqual({ ...stored, code: 'CANCELLED' });
  });

  it('refuses invalid jobs and reports unknown ids', () => {
    const store = openJobStore();
    expect(errorCode(store.enqueue(newJob({ title: '  ' }), T0))).toBe('JOB_INVALID');
    expect(errorCode(store.enqueue(newJob({ maxAttempts: 0 }), T0))).toBe('JOB_INVALID');
    expect(errorCode(store.enqueue(newJob({ payload: { kind: 'bake' } as never }), T0))).toBe('JOB_INVALID');
    expect(errorCode(store.get('nope'))).toBe('JOB_NOT_FOUND');
    expect(unwrap(store.list())).toEqual([]);
  });

  it('lists newest first, filtered by state and kind, up to a limit', () => {
    const store = openJobStore();
    const first = unwrap(store.enqueue(newJob({ title: 'first' }), T0));
    const second = unwrap(store.enqueue(newJob({ title: 'second', payload: { kind: 'retranscribe', meetingId: 'm' } }), T0));
    const third = unwrap(store.enqueue(newJob({ title: 'third' }), T0));
    unwrap(store.claimNext('w', T0, LEASE));
    expect(unwrap(store.list()).map((job) => job.title)).toEqual(['third', 'second', 'first']);
    expect(unwrap(store.list({ states: ['queued'] })).map((job) => job.id)).toEqual([third.id, second.id]);
    expect(unwrap(store.list({ states: ['running'] })).map((job) => job.id)).toEqual([first.id]);
    expect(unwrap(store.list({ kinds: ['retranscribe'] })).map((job) => job.id)).toEqual([second.id]);
    expect(unwrap(store.list({ limit: 1 })).map((job) => job.id)).toEqual([third.id]);
  });

  it('reports a closed database as JOB_STORE_FAILED', () => {
    const db = openDatabase(tempDir());
    const store = new SqliteJobStore(db);
    db.close();
    expect(errorCode(store.enqueue(newJob(), T0))).toBe('JOB_STORE_FAILED');
    expect(errorCode(store.claimNext('w', T0, LEASE))).toBe('JOB_STORE_FAILED');
  });
});

describe('SqliteJobStore: claiming', () => {
  it('claims the oldest due job first (creation order, even within one millisecond), leased to the owner', () => {
    const store = openJobStore();
    const ids = [1, 2, 3].map((n) => unwrap(store.enqueue(newJob({ title: `job ${n}` }), T0)).id);
    const claimed = unwrap(store.claimNext('worker-a', T0 + 5, LEASE));
    expect(claimed).toMatchObject({ id: ids[0], state: 'running', attempts: 1, startedAt: new Date(T0 + 5).toISOString() });
    expect(unwrap(store.claimNext('worker-b', T0 + 5, LEASE))?.id).toBe(ids[1]);
    expect(unwrap(store.claimNext('worker-a', T0 + 5, LEASE))?.id).toBe(ids[2]);
    expect(unwrap(store.claimNext('worker-a', T0 + 5, LEASE))).toBeNull();
    expect(unwrap(store.nextLeaseExpiry())).toBe(T0 + 5 + LEASE);
  });

  it('skips a job waiting for its retry time and claims it once due', () => {
    const store = openJobStore();
    const early = unwrap(store.enqueue(newJob({ title: 'early' }), T0));
    unwrap(store.claimNext('w', T0, LEASE));
    const retried = unwrap(store.scheduleRetry(early.id, 'w', busy, T0 + 2_000, T0 + 10));
    expect(retried).toMatchObject({ state: 'queued', attempts: 1, lastError: busy, nextRunAt: new Date(T0 + 2_000).toISOString() });
    const later = unwrap(store.enqueue(newJob({ title: 'later' }), T0 + 20));
    expect(unwrap(store.nextDueAt())).toBe(T0 + 20);
    expect(unwrap(store.claimNext('w', T0 + 1_999, LEASE))?.id).toBe(later.id);
    expect(unwrap(store.nextDueAt())).toBe(T0 + 2_000);
    expect(unwrap(store.claimNext('w', T0 + 1_999, LEASE))).toBeNull();
    expect(unwrap(store.claimNext('w', T0 + 2_000, LEASE))).toMatchObject({ id: early.id, attempts: 2, nextRunAt: null });
    expect(unwrap(store.nextDueAt())).toBeNull();
  });
});

describe('SqliteJobStore: lease-holding transitions', () => {
  function claimedJob() {
    const store = openJobStore();
    const job = unwrap(store.enqueue(newJob(), T0));
    unwrap(store.claimNext('owner', T0, LEASE));
    return { store, id: job.id };
  }

  it('refuses every lease-holding call from another owner with JOB_LEASE_LOST, and unknown ids with JOB_NOT_FOUND', () => {
    const { store, id } = claimedJob();
    const calls = {
      renewLease: (jobId: string, owner: string) => store.renewLease(jobId, owner, T0, LEASE),
      setProgress: (jobId: string, owner: string) => store.setProgress(jobId, owner, 50, 'decode', T0),
      succeed: (jobId: string, owner: string) => store.succeed(jobId, owner, exportResult(), T0),
      scheduleRetry: (jobId: string, owner: string) => store.scheduleRetry(jobId, owner, busy, T0 + 1, T0),
      fail: (jobId: string, owner: string) => store.fail(jobId, owner, busy, T0),
      markCancelled: (jobId: string, owner: string) => store.markCancelled(jobId, owner, T0),
      release: (jobId: string, owner: string) => store.release(jobId, owner, T0),
    };
    for (const call of Object.values(calls)) {
      expect(errorCode(call(id, 'intruder'))).toBe('JOB_LEASE_LOST');
      expect(errorCode(call('missing', 'owner'))).toBe('JOB_NOT_FOUND');
    }
    expect(unwrap(store.get(id))).toMatchObject({ state: 'running', attempts: 1, progress: 0, result: null });
  });

  it('records progress, then success; a finished job can no longer be written by its old owner', () => {
    const { store, id } = claimedJob();
    unwrap(store.setProgress(id, 'owner', 140, 'transcribe', T0 + 1));
    expect(unwrap(store.get(id))).toMatchObject({ progress: 100, stage: 'transcribe' });
    const done = unwrap(store.succeed(id, 'owner', exportResult(), T0 + 2));
    expect(done).toMatchObject({
      state: 'succeeded',
      progress: 100,
      stage: null,
      result: exportResult(),
      finishedAt: new Date(T0 + 2).toISOString(),
    });
    expect(errorCode(store.succeed(id, 'owner', exportResult(), T0 + 3))).toBe('JOB_LEASE_LOST');
    expect(errorCode(store.renewLease(id, 'owner', T0 + 3, LEASE))).toBe('JOB_LEASE_LOST');
  });

  it('fails with the error recorded', () => {
    const { store, id } = claimedJob();
    const error: CodedError = { code: 'NOT_MEDIA', message: 'not a media file', subject: '/x.txt' };
    expect(unwrap(store.fail(id, 'owner', error, T0 + 1))).toMatchObject({ state: 'failed', lastError: error, attempts: 1 });
  });

  it('release hands the job back without counting the attempt, or ends it cancelled when a cancel was asked for', () => {
    const { store, id } = claimedJob();
    expect(unwrap(store.release(id, 'owner', T0 + 1))).toMatchObject({ state: 'queued', attempts: 0, progress: 0 });
    expect(unwrap(store.claimNext('other', T0 + 1, LEASE))).toMatchObject({ id, attempts: 1 });
    unwrap(store.requestCancel(id, T0 + 2));
    expect(unwrap(store.release(id, 'other', T0 + 3))).toMatchObject({ state: 'cancelled', finishedAt: new Date(T0 + 3).toISOString() });
  });

  it('a retry scheduled after a cancel was asked for ends cancelled instead', () => {
    const { store, id } = claimedJob();
    unwrap(store.requestCancel(id, T0 + 1));
    expect(unwrap(store.scheduleRetry(id, 'owner', busy, T0 + 5_000, T0 + 2))).toMatchObject({ state: 'cancelled', nextRunAt: null });
    expect(unwrap(store.nextDueAt())).toBeNull();
  });
});

describe('SqliteJobStore: cancel and requeue', () => {
  it('cancels a queued job at once and flags a running one; a finished job is not cancellable', () => {
    const store = openJobStore();
    const running = unwrap(store.enqueue(newJob({ title: 'running' }), T0));
    const queued = unwrap(store.enqueue(newJob({ title: 'queued' }), T0));
    unwrap(store.claimNext('owner', T0, LEASE));
    expect(unwrap(store.requestCancel(queued.id, T0 + 1))).toMatchObject({ state: 'cancelled', cancelRequested: false });
    expect(unwrap(store.claimNext('owner', T0 + 1, LEASE))).toBeNull();
    expect(unwrap(store.requestCancel(running.id, T0 + 1))).toMatchObject({ state: 'running', cancelRequested: true });
    expect(unwrap(store.markCancelled(running.id, 'owner', T0 + 2))).toMatchObject({ state: 'cancelled' });
    expect(errorCode(store.requestCancel(running.id, T0 + 3))).toBe('JOB_NOT_CANCELLABLE');
    expect(errorCode(store.requestCancel('missing', T0 + 3))).toBe('JOB_NOT_FOUND');
  });

  it('requeues failed and cancelled jobs with a fresh attempt budget, and nothing else', () => {
    const store = openJobStore();
    const job = unwrap(store.enqueue(newJob(), T0));
    expect(errorCode(store.requeue(job.id, T0))).toBe('JOB_NOT_RETRYABLE');
    unwrap(store.claimNext('owner', T0, LEASE));
    expect(errorCode(store.requeue(job.id, T0))).toBe('JOB_NOT_RETRYABLE');
    unwrap(store.fail(job.id, 'owner', busy, T0 + 1));
    expect(unwrap(store.requeue(job.id, T0 + 2))).toMatchObject({
      state: 'queued',
      attempts: 0,
      lastError: null,
      finishedAt: null,
      cancelRequested: false,
    });
    expect(unwrap(store.claimNext('owner', T0 + 2, LEASE))).toMatchObject({ id: job.id, attempts: 1 });
    unwrap(store.succeed(job.id, 'owner', exportResult(), T0 + 3));
    expect(errorCode(store.requeue(job.id, T0 + 4))).toBe('JOB_NOT_RETRYABLE');
  });
});

describe('SqliteJobStore: reclaiming expired leases', () => {
  it('requeues a crashed attempt, fails one that used its last attempt with JOB_CRASHED, and leaves live leases alone', () => {
    const store = openJobStore();
    const retryable = unwrap(store.enqueue(newJob({ title: 'retryable', maxAttempts: 2 }), T0));
    const exhausted = unwrap(store.enqueue(newJob({ title: 'exhausted', maxAttempts: 1 }), T0));
    const live = unwrap(store.enqueue(newJob({ title: 'live' }), T0));
    unwrap(store.claimNext('dead', T0, LEASE));
    unwrap(store.claimNext('dead', T0, LEASE));
    unwrap(store.claimNext('alive', T0, LEASE));
    unwrap(store.renewLease(live.id, 'alive', T0 + 20_000, LEASE));

    expect(unwrap(store.reclaimExpiredLeases(T0 + LEASE))).toEqual([]); // strictly after the expiry
    const reclaimed = unwrap(store.reclaimExpiredLeases(T0 + LEASE + 1));
    expect(reclaimed.map((job) => [job.id, job.state, job.lastError?.code])).toEqual([
      [retryable.id, 'queued', 'JOB_CRASHED'],
      [exhausted.id, 'failed', 'JOB_CRASHED'],
    ]);
    expect(unwrap(store.get(live.id))).toMatchObject({ state: 'running' });
    expect(errorCode(store.renewLease(retryable.id, 'dead', T0 + LEASE + 2, LEASE))).toBe('JOB_LEASE_LOST');
    expect(unwrap(store.claimNext('alive', T0 + LEASE + 1, LEASE))).toMatchObject({ id: retryable.id, attempts: 2 });
  });
});
