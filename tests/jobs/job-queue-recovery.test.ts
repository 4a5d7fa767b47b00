import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JobContext } from '../../src-main/jobs/types';
import { fail, ok } from '../../src-shared/result';
import { ManualClock } from '../support/manual-clock';
import { aborted, exportPayload, exportResult, GatedHandler, makeQueue, openJobStore, T0, unwrap, until } from './job-fixtures';

const LEASE = 30_000;

/** A dead worker's handler: never finishes by itself (the afterEach stop() ends it). */
async function untilAborted(context: JobContext) {
  await aborted(context.signal);
  return fail('CANCELLED', 'aborted');
}
const options = { title: 'Weekly sync' };

describe('JobQueue: stop', () => {
  it('aborts running handlers and hands their jobs back queued with the attempt not counted; a new queue runs them', async () => {
    const contexts: JobContext[] = [];
    const first = makeQueue({
      concurrency: 2,
      handlers: {
        export: async (context) => {
          contexts.push(context);
          await aborted(context.signal);
          return fail('CANCELLED', 'stopped');
        },
      },
    });
    unwrap(await first.queue.start());
    const ids = [1, 2, 3].map((n) => unwrap(first.queue.enqueue(exportPayload(), { title: `job ${n}` })).id);
    await until(() => contexts.length === 2, 'two attempts started');
    expect(unwrap(first.queue.get(ids[0] as string))).toMatchObject({ state: 'running', attempts: 1 });

    await first.queue.stop();
    expect(contexts.every((context) => context.signal.aborted)).toBe(true);
    expect(contexts.some((context) => existsSync(context.tempDir))).toBe(false);
    expect(unwrap(first.queue.list()).map((job) => [job.state, job.attempts])).toEqual([
      ['queued', 0],
      ['queued', 0],
      ['queued', 0],
    ]);
    expect(first.clock.pendingTimers).toBe(0);

    const ran: string[] = [];
    const second = makeQueue({
      dir: first.dir,
      handlers: { export: async (context) => (ran.push(context.job.id), ok(exportResult())) },
    });
    unwrap(await second.queue.start());
    await second.queue.idle();
    expect(ran).toEqual(ids);
    expect(unwrap(second.queue.list()).map((job) => [job.state, job.attempts])).toEqual([
      ['succeeded', 1],
      ['succeeded', 1],
      ['succeeded', 1],
    ]);
  });

  it('a job cancelled before the stop still ends cancelled, not queued', async () => {
    const handler = new GatedHandler();
    const { queue } = makeQueue({ handlers: { export: handler.handle } });
    unwrap(await queue.start());
    const job = unwrap(queue.enqueue(exportPayload(), options));
    await until(() => handler.contexts.length === 1, 'the handler started');
    unwrap(queue.cancel(job.id));
    const stopping = queue.stop();
    handler.finish(0, fail('CANCELLED', 'cancelled'));
    await stopping;
    expect(unwrap(queue.get(job.id)).state).toBe('cancelled');
  });
});

describe('JobQueue: crash recovery', () => {
  it('a second queue over the same database reclaims a dead worker’s job once its lease expires and runs it exactly once more', async () => {
    // The first queue claims the job and then "dies": never stopped, its clock frozen, so no heartbeat renews the lease.
    const dead = makeQueue({ ownerId: 'dead', leaseMs: LEASE, handlers: { export: untilAborted } });
    unwrap(await dead.queue.start());
    const job = unwrap(dead.queue.enqueue(exportPayload(), options));
    const leftover = path.join(dead.tempRoot, `${job.id}-1`);
    await until(() => existsSync(leftover), 'the first attempt made its temp folder');
    expect(unwrap(dead.queue.get(job.id)).state).toBe('running');

    const runs: number[] = [];
    const clock = new ManualClock(T0 + 1_000);
    const restarted = makeQueue({
      dir: dead.dir,
      clock,
      ownerId: 'restarted',
      leaseMs: LEASE,
      handlers: { export: async (context) => (runs.push(context.job.attempts), ok(exportResult())) },
    });
    unwrap(await restarted.queue.start());
    await restarted.queue.idle();
    expect(existsSync(leftover)).toBe(false); // swept at start
    expect(runs).toEqual([]); // the lease is still live
    expect(unwrap(restarted.queue.get(job.id)).state).toBe('running');

    clock.advanceTo(T0 + LEASE); // expired only strictly after T0 + LEASE
    await restarted.queue.idle();
    expect(runs).toEqual([]);
    clock.advanceTo(T0 + LEASE + 1);
    await restarted.queue.idle();
    expect(runs).toEqual([2]);
    expect(unwrap(restarted.queue.get(job.id))).toMatchObject({ state: 'succeeded', attempts: 2, lastError: { code: 'JOB_CRASHED' } });
    clock.advance(10 * LEASE);
    await restarted.queue.idle();
    expect(runs).toEqual([2]);
  });

  it('a crashed job on its last attempt fails with JOB_CRASHED when the next queue starts', async () => {
    const dead = makeQueue({ leaseMs: LEASE, handlers: { export: untilAborted } });
    unwrap(await dead.queue.start());
    const job = unwrap(dead.queue.enqueue(exportPayload(), { title: 'once', maxAttempts: 1 }));
    await until(() => existsSync(path.join(dead.tempRoot, `${job.id}-1`)), 'the attempt started');
    let calls = 0;
    const next = makeQueue({
      dir: dead.dir,
      clock: new ManualClock(T0 + LEASE + 1),
      handlers: { export: async () => (calls++, ok(exportResult())) },
    });
    unwrap(await next.queue.start());
    await next.queue.idle();
    expect(calls).toBe(0);
    expect(unwrap(next.queue.get(job.id))).toMatchObject({ state: 'failed', attempts: 1, lastError: { code: 'JOB_CRASHED' } });
    expect(next.events.flatMap((event) => (event.type === 'changed' ? [event.job.state] : []))).toEqual(['failed']);
  });
});

describe('JobQueue: leases', () => {
  it('renews its lease while a handler runs, so a long job is never reclaimed', async () => {
    const handler = new GatedHandler();
    const { queue, clock, store } = makeQueue({ leaseMs: LEASE, handlers: { export: handler.handle } });
    unwrap(await queue.start());
    const job = unwrap(queue.enqueue(exportPayload(), options));
    await until(() => handler.contexts.length === 1, 'the handler started');
    clock.advance(5 * LEASE);
    expect(unwrap(store.reclaimExpiredLeases(clock.now()))).toEqual([]);
    expect(handler.contexts[0]?.signal.aborted).toBe(false);
    handler.finish(0);
    await queue.idle();
    expect(unwrap(queue.get(job.id))).toMatchObject({ state: 'succeeded', attempts: 1 });
  });

  it('a lease lost to another owner aborts the handler, and its result is never written', async () => {
    const handler = new GatedHandler();
    const heartbeatMs = 10_000;
    const { queue, clock, dir } = makeQueue({ leaseMs: LEASE, heartbeatMs, handlers: { export: handler.handle } });
    unwrap(await queue.start());
    const job = unwrap(queue.enqueue(exportPayload(), options));
    await until(() => handler.contexts.length === 1, 'the handler started');

    // Another process decides the worker is dead and takes the job over.
    const other = openJobStore(dir);
    expect(unwrap(other.reclaimExpiredLeases(T0 + LEASE + 1)).map((reclaimed) => reclaimed.id)).toEqual([job.id]);
    expect(unwrap(other.claimNext('other-owner', T0 + LEASE + 1, LEASE))).toMatchObject({ id: job.id, attempts: 2 });

    const signal = handler.contexts[0]?.signal as AbortSignal;
    clock.advance(heartbeatMs - 1);
    expect(signal.aborted).toBe(false);
    clock.advance(1); // the next heartbeat finds the lease gone
    expect(signal.aborted).toBe(true);
    handler.finish(0, ok(exportResult('written-by-the-stale-worker')));
    await queue.idle();
    expect(unwrap(other.get(job.id))).toMatchObject({ state: 'running', attempts: 2, result: null });
    expect(unwrap(other.succeed(job.id, 'other-owner', exportResult(), T0 + LEASE + 2))).toMatchObject({
      state: 'succeeded',
      result: exportResult(),
    });
  });
});

describe('JobQueue: temp folders', () => {
  it('sweeps leftovers from the temp root at start, and gives each attempt its own folder', async () => {
    const seen: string[] = [];
    const made = makeQueue({
      backoff: { maxAttempts: 2, baseDelayMs: 100, maxDelayMs: 100 },
      handlers: {
        export: async (context) => {
          seen.push(context.tempDir);
          writeFileSync(path.join(context.tempDir, 'partial.wav'), 'x');
          return context.job.attempts === 1 ? fail('ENGINE_PROCESS_DIED', 'died') : ok(exportResult());
        },
      },
    });
    mkdirSync(path.join(made.tempRoot, 'old-job-1', 'nested'), { recursive: true });
    writeFileSync(path.join(made.tempRoot, 'old-job-1', 'nested', 'chunk.pcm'), 'x');
    writeFileSync(path.join(made.tempRoot, 'stray.tmp'), 'x');
    unwrap(await made.queue.start());
    expect(readdirSync(made.tempRoot)).toEqual([]);

    const job = unwrap(made.queue.enqueue(exportPayload(), options));
    await made.queue.idle();
    made.clock.advance(100);
    await made.queue.idle();
    expect(seen).toEqual([path.join(made.tempRoot, `${job.id}-1`), path.join(made.tempRoot, `${job.id}-2`)]);
    expect(readdirSync(made.tempRoot)).toEqual([]);
    expect(unwrap(made.queue.get(job.id)).state).toBe('succeeded');
  });
});
