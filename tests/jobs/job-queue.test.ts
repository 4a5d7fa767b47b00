import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../src-main/jobs/clock';
import { JobQueue } from '../../src-main/jobs/job-queue';
import type { JobContext } from '../../src-main/jobs/types';
import type { JobEvent, JobResult } from '../../src-shared/jobs';
import { fail, ok, type Result } from '../../src-shared/result';
import { memoryLogger, silentLogger } from '../../src-shared/logger';
import {
  aborted,
  errorCode,
  exportPayload,
  exportResult,
  GatedHandler,
  makeQueue,
  openJobStore,
  T0,
  tempDir,
  unwrap,
  until,
} from './job-fixtures';

const options = { title: 'Weekly sync' };

function changedStates(events: JobEvent[], jobId: string): string[] {
  return events.flatMap((event) => (event.type === 'changed' && event.job.id === jobId ? [event.job.state] : []));
}

describe('JobQueue: enqueue and run', () => {
  it('acknowledges an enqueue at once, before any handler runs, then runs it', async () => {
    const calls: string[] = [];
    const { queue, store, events } = makeQueue({
      handlers: { export: async (context) => (calls.push(context.job.id), ok(exportResult())) },
    });
    unwrap(await queue.start());
    const job = unwrap(queue.enqueue(exportPayload('meeting-7'), options));
    expect(job).toMatchObject({ state: 'queued', attempts: 0, meetingId: 'meeting-7', maxAttempts: 4, title: 'Weekly sync' });
    expect(calls).toEqual([]);
    expect(unwrap(store.get(job.id)).state).toBe('queued');
    await queue.idle();
    expect(calls).toEqual([job.id]);
    expect(unwrap(queue.get(job.id))).toMatchObject({ state: 'succeeded', attempts: 1, result: exportResult(), progress: 100 });
    expect(changedStates(events, job.id)).toEqual(['queued', 'running', 'succeeded']);
  });

  it('never runs more handlers at once than its concurrency, and keeps every slot busy', async () => {
    const handler = new GatedHandler();
    const { queue } = makeQueue({ concurrency: 2, handlers: { export: handler.handle } });
    unwrap(await queue.start());
    const ids = [1, 2, 3, 4, 5].map((n) => unwrap(queue.enqueue(exportPayload(), { title: `job ${n}` })).id);
    await until(() => handler.contexts.length === 2, 'two attempts started');
    expect(handler.active).toBe(2);
    for (let index = 0; index < ids.length; index += 1) {
      await until(() => handler.contexts.length > index, `attempt ${index} started`);
      handler.finish(index);
    }
    await queue.idle();
    expect(handler.maxActive).toBe(2);
    expect(handler.contexts.map((context) => context.job.id)).toEqual(ids);
    expect(unwrap(queue.list({ states: ['succeeded'] }))).toHaveLength(5);
  });

  it('starts nothing queued while a hold is in place, lets a running job finish, and runs the queue once every hold is lifted', async () => {
    const handler = new GatedHandler();
    const { queue } = makeQueue({ handlers: { export: handler.handle } });
    unwrap(await queue.start());
    const running = unwrap(queue.enqueue(exportPayload(), { title: 'running' }));
    await until(() => handler.contexts.length === 1, 'first attempt started');
    const releaseRecording = queue.holdClaims();
    const releaseOther = queue.holdClaims();
    const waiting = unwrap(queue.enqueue(exportPayload(), { title: 'waiting' }));
    handler.finish(0);
    await until(() => unwrap(queue.get(running.id)).state === 'succeeded', 'running job finished');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(handler.contexts).toHaveLength(1);
    expect(unwrap(queue.get(waiting.id)).state).toBe('queued');
    releaseRecording();
    releaseRecording();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(handler.contexts).toHaveLength(1);
    releaseOther();
    await until(() => handler.contexts.length === 2, 'queued job started after the last hold');
    handler.finish(1);
    await queue.idle();
    expect(unwrap(queue.get(waiting.id)).state).toBe('succeeded');
  });

  it('fails a job of a kind nobody handles with JOB_NO_HANDLER', async () => {
    const { queue } = makeQueue({ handlers: {} });
    unwrap(await queue.start());
    const job = unwrap(queue.enqueue(exportPayload(), options));
    await queue.idle();
    expect(unwrap(queue.get(job.id))).toMatchObject({ state: 'failed', attempts: 1, lastError: { code: 'JOB_NO_HANDLER' } });
  });

  it('turns a throwing handler into a permanent JOB_HANDLER_THREW failure and goes on with the next job', async () => {
    let calls = 0;
    const { queue } = makeQueue({
      handlers: {
        export: async (context) => {
          calls += 1;
          if (context.job.title === 'bad') throw new Error('bug in handler');
          return ok(exportResult());
        },
      },
    });
    unwrap(await queue.start());
    const bad = unwrap(queue.enqueue(exportPayload(), { title: 'bad' }));
    const good = unwrap(queue.enqueue(exportPayload(), { title: 'good' }));
    await queue.idle();
    expect(unwrap(queue.get(bad.id))).toMatchObject({ state: 'failed', attempts: 1, lastError: { code: 'JOB_HANDLER_THREW' } });
    expect(unwrap(queue.get(bad.id)).lastError?.message).toContain('bug in handler');
    expect(unwrap(queue.get(good.id))).toMatchObject({ state: 'succeeded' });
    expect(calls).toBe(2);
  });

  it('reports a listener that throws to the logger, and the other listeners and the job go on', async () => {
    const logger = memoryLogger();
    const { queue, events } = makeQueue({ logger, handlers: { export: async () => ok(exportResult()) } });
    queue.onEvent(() => {
      throw new Error('listener bug');
    });
    unwrap(await queue.start());
    const job = unwrap(queue.enqueue(exportPayload(), { title: 'x' }));
    await queue.idle();
    expect(unwrap(queue.get(job.id))).toMatchObject({ state: 'succeeded' });
    expect(events.some((event) => event.type === 'changed' && event.job.state === 'succeeded')).toBe(true);
    expect(logger.entries.length).toBeGreaterThan(0);
    expect(
      logger.entries.every(
        (entry) => entry.level === 'warn' && entry.message.includes('listener') && (entry.cause as Error).message === 'listener bug',
      ),
    ).toBe(true);
  });

  it('refuses new work after stop', async () => {
    const { queue } = makeQueue();
    unwrap(await queue.start());
    await queue.stop();
    expect(errorCode(queue.enqueue(exportPayload(), options))).toBe('JOB_QUEUE_STOPPED');
  });
});

describe('JobQueue: retries', () => {
  const backoff = { maxAttempts: 5, baseDelayMs: 2_000, maxDelayMs: 5_000 };

  it('retries a transient failure on the exact backoff schedule (doubling, capped), then succeeds', async () => {
    const attemptTimes: number[] = [];
    const { queue, clock } = makeQueue({
      backoff,
      handlers: {
        export: async (context) => {
          attemptTimes.push(clock.now());
          return context.job.attempts < 5 ? fail('ENGINE_PROCESS_DIED', `died on attempt ${context.job.attempts}`) : ok(exportResult());
        },
      },
    });
    unwrap(await queue.start());
    const job = unwrap(queue.enqueue(exportPayload(), options));
    await queue.idle();
    const expected = [T0, T0 + 2_000, T0 + 6_000, T0 + 11_000, T0 + 16_000];
    for (let attempt = 2; attempt <= 5; attempt += 1) {
      const due = expected[attempt - 1] as number;
      expect(unwrap(queue.get(job.id))).toMatchObject({ state: 'queued', attempts: attempt - 1, nextRunAt: new Date(due).toISOString() });
      clock.advanceTo(due - 1);
      await queue.idle();
      expect(attemptTimes).toHaveLength(attempt - 1);
      clock.advanceTo(due);
      await queue.idle();
      expect(attemptTimes).toHaveLength(attempt);
    }
    expect(attemptTimes).toEqual(expected);
    expect(unwrap(queue.get(job.id))).toMatchObject({ state: 'succeeded', attempts: 5, lastError: { message: 'died on attempt 4' } });
    expect(clock.pendingTimers).toBe(0);
  });

  it('retries on the real clock too (unref’d timers still fire while the process is busy)', async () => {
    const dir = tempDir();
    let calls = 0;
    const queue = new JobQueue({
      store: openJobStore(dir),
      clock: systemClock,
      tempRoot: `${dir}/job-temp`,
      logger: silentLogger,
      backoff: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 5 },
      leaseMs: 1_000,
      handlers: { export: async () => (++calls < 3 ? fail('ENGINE_PROCESS_DIED', 'died') : ok(exportResult())) },
    });
    unwrap(await queue.start());
    const job = unwrap(queue.enqueue(exportPayload(), options));
    await until(() => unwrap(queue.get(job.id)).state === 'succeeded', 'the job succeeded');
    await queue.stop();
    expect(calls).toBe(3);
    expect(unwrap(queue.get(job.id)).attempts).toBe(3);
  });

  it('does not retry a permanent failure', async () => {
    let calls = 0;
    const { queue, clock } = makeQueue({
      backoff,
      handlers: { export: async () => (calls++, fail('FILE_NOT_FOUND', 'no such file', '/gone.wav')) },
    });
    unwrap(await queue.start());
    const job = unwrap(queue.enqueue(exportPayload(), options));
    await queue.idle();
    clock.advance(600_000);
    await queue.idle();
    expect(calls).toBe(1);
    expect(unwrap(queue.get(job.id))).toMatchObject({
      state: 'failed',
      attempts: 1,
      lastError: { code: 'FILE_NOT_FOUND', message: 'no such file', subject: '/gone.wav' },
    });
  });

  it('fails with the last error once the job has used its attempts', async () => {
    const { queue, clock } = makeQueue({
      backoff,
      handlers: { export: async (context) => fail('DOWNLOAD_NETWORK', `offline (attempt ${context.job.attempts})`) },
    });
    unwrap(await queue.start());
    const job = unwrap(queue.enqueue(exportPayload(), { title: 'x', maxAttempts: 3 }));
    await queue.idle();
    for (let step = 0; step < 5; step += 1) {
      clock.advance(backoff.maxDelayMs);
      await queue.idle();
    }
    expect(unwrap(queue.get(job.id))).toMatchObject({
      state: 'failed',
      attempts: 3,
      lastError: { code: 'DOWNLOAD_NETWORK', message: 'offline (attempt 3)' },
      nextRunAt: null,
    });
  });

  it('a user retry of a failed job runs it again with a fresh budget', async () => {
    let calls = 0;
    const { queue } = makeQueue({
      handlers: { export: async () => (++calls === 1 ? fail('NOT_MEDIA', 'not audio') : ok(exportResult())) },
    });
    unwrap(await queue.start());
    const job = unwrap(queue.enqueue(exportPayload(), options));
    await queue.idle();
    expect(unwrap(queue.get(job.id)).state).toBe('failed');
    expect(unwrap(queue.retry(job.id))).toMatchObject({ state: 'queued', attempts: 0 });
    await queue.idle();
    expect(unwrap(queue.get(job.id))).toMatchObject({ state: 'succeeded', attempts: 1 });
  });
});

describe('JobQueue: cancel', () => {
  it('cancels a queued job at once; it never runs', async () => {
    const handler = new GatedHandler();
    const { queue } = makeQueue({ handlers: { export: handler.handle } });
    unwrap(await queue.start());
    const first = unwrap(queue.enqueue(exportPayload(), { title: 'first' }));
    const second = unwrap(queue.enqueue(exportPayload(), { title: 'second' }));
    await until(() => handler.contexts.length === 1, 'the first job started');
    expect(unwrap(queue.cancel(second.id))).toMatchObject({ state: 'cancelled' });
    handler.finish(0);
    await queue.idle();
    expect(handler.contexts.map((context) => context.job.id)).toEqual([first.id]);
    expect(unwrap(queue.get(second.id)).state).toBe('cancelled');
    expect(errorCode(queue.cancel(first.id))).toBe('JOB_NOT_CANCELLABLE');
  });

  it('aborts a running handler, ends the job cancelled and removes its temp folder', async () => {
    let context: JobContext | undefined;
    const { queue, events } = makeQueue({
      handlers: {
        export: async (ctx) => {
          context = ctx;
          await aborted(ctx.signal);
          return fail('CANCELLED', 'stopped');
        },
      },
    });
    unwrap(await queue.start());
    const job = unwrap(queue.enqueue(exportPayload(), options));
    await until(() => context !== undefined, 'the handler started');
    const started = context as JobContext;
    expect(started.tempDir.endsWith(`${job.id}-1`)).toBe(true);
    expect(existsSync(started.tempDir)).toBe(true);
    expect(started.signal.aborted).toBe(false);
    expect(unwrap(queue.cancel(job.id))).toMatchObject({ state: 'running', cancelRequested: true });
    await queue.idle();
    expect(started.signal.aborted).toBe(true);
    expect(existsSync(started.tempDir)).toBe(false);
    expect(unwrap(queue.get(job.id))).toMatchObject({ state: 'cancelled', attempts: 1, result: null });
    expect(changedStates(events, job.id)).toEqual(['queued', 'running', 'running', 'cancelled']);
  });

  it('ends a job cancelled even when its handler ignores the signal and returns a result', async () => {
    const handler = new GatedHandler();
    const { queue } = makeQueue({ handlers: { export: handler.handle } });
    unwrap(await queue.start());
    const job = unwrap(queue.enqueue(exportPayload(), options));
    await until(() => handler.contexts.length === 1, 'the handler started');
    unwrap(queue.cancel(job.id));
    handler.finish(0, ok(exportResult()));
    await queue.idle();
    expect(unwrap(queue.get(job.id))).toMatchObject({ state: 'cancelled', result: null });
  });
});

describe('JobQueue: progress events', () => {
  it('writes and reports progress at most once per throttle interval, keeping the latest value', async () => {
    const gate: { release?: (result: Result<JobResult>) => void } = {};
    let context: JobContext | undefined;
    const { queue, clock, events } = makeQueue({
      progressThrottleMs: 250,
      handlers: {
        export: (ctx) => {
          context = ctx;
          return new Promise((resolve) => (gate.release = resolve));
        },
      },
    });
    unwrap(await queue.start());
    const job = unwrap(queue.enqueue(exportPayload(), options));
    await until(() => context !== undefined, 'the handler started');
    const report = (context as JobContext).reportProgress;
    report(5, 'validate');
    report(10, 'decode');
    report(20, 'decode');
    clock.advance(100);
    report(30, 'transcribe');
    const progress = () => events.flatMap((event) => (event.type === 'progress' ? [[event.progress, event.stage]] : []));
    expect(progress()).toEqual([[5, 'validate']]);
    expect(unwrap(queue.get(job.id))).toMatchObject({ progress: 5, stage: 'validate' });
    clock.advance(150);
    expect(progress()).toEqual([
      [5, 'validate'],
      [30, 'transcribe'],
    ]);
    expect(unwrap(queue.get(job.id))).toMatchObject({ progress: 30, stage: 'transcribe' });
    clock.advance(1_000);
    report(250, 'store'); // clamped to 100
    expect(progress()).toEqual([
      [5, 'validate'],
      [30, 'transcribe'],
      [100, 'store'],
    ]);
    gate.release?.(ok(exportResult()));
    await queue.idle();
    const order = events.map((event) => (event.type === 'changed' ? event.job.state : 'progress'));
    expect(order).toEqual(['queued', 'running', 'progress', 'progress', 'progress', 'succeeded']);
  });
});
