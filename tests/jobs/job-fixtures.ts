/** Real SQLite job stores in temporary folders, queues on a ManualClock, and handlers the tests steer. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { afterEach, expect } from 'vitest';
import { JobQueue, type JobQueueOptions } from '../../src-main/jobs/job-queue';
import { SqliteJobStore } from '../../src-main/jobs/sqlite-job-store';
import type { JobContext, NewJob } from '../../src-main/jobs/types';
import { openLibraryDatabase } from '../../src-main/library/open-library-database';
import type { ExportJobPayload, JobEvent, JobResult } from '../../src-shared/jobs';
import { ok, type Result } from '../../src-shared/result';
import { silentLogger } from '../../src-shared/logger';
import { ManualClock } from '../support/manual-clock';

const dirs: string[] = [];
const databases: Database[] = [];
const queues: JobQueue[] = [];

afterEach(async () => {
  await Promise.all(queues.splice(0).map((queue) => queue.stop()));
  for (const db of databases.splice(0)) if (db.open) db.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'verbatim-jobs-'));
  dirs.push(dir);
  return dir;
}

/** A new connection to the library in `dir` (closed after the test), as another process would open it. */
export function openDatabase(dir: string): Database {
  const db = unwrap(openLibraryDatabase(dir));
  databases.push(db);
  return db;
}

export function openJobStore(dir: string = tempDir()): SqliteJobStore {
  return new SqliteJobStore(openDatabase(dir));
}

export function unwrap<T>(result: Result<T>): T {
  if (!result.ok) expect.fail(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

export function errorCode(result: Result<unknown>): string {
  return result.ok ? 'ok' : result.error.code;
}

export function exportPayload(meetingId = 'meeting-1'): ExportJobPayload {
  return { kind: 'export', meetingId, formats: ['txt'], outDir: '/tmp/out' };
}

export function newJob(overrides: Partial<NewJob> = {}): NewJob {
  return { payload: exportPayload(), title: 'Weekly sync', meetingId: 'meeting-1', maxAttempts: 3, ...overrides };
}

export function exportResult(meetingId = 'meeting-1'): JobResult {
  return { kind: 'export', meetingId, files: [`${meetingId}.txt`] };
}

export const T0 = Date.UTC(2025, 0, 1, 9, 0, 0);

export interface TestQueue {
  queue: JobQueue;
  clock: ManualClock;
  store: SqliteJobStore;
  dir: string;
  tempRoot: string;
  events: JobEvent[];
}

/** A queue over a fresh library (or `dir`'s), on a ManualClock at T0, stopped after the test. */
export function makeQueue(options: Partial<JobQueueOptions> & { dir?: string } = {}): TestQueue {
  const dir = options.dir ?? tempDir();
  const clock = options.clock instanceof ManualClock ? options.clock : new ManualClock(T0);
  const store = options.store instanceof SqliteJobStore ? options.store : openJobStore(dir);
  const tempRoot = options.tempRoot ?? path.join(dir, 'job-temp');
  const queue = new JobQueue({ handlers: {}, logger: silentLogger, ...options, store, clock, tempRoot });
  queues.push(queue);
  const events: JobEvent[] = [];
  queue.onEvent((event) => events.push(event));
  return { queue, clock, store, dir, tempRoot, events };
}

export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
}

export function deferred<T>(): Deferred<T> {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((settle) => (resolve = settle));
  return { promise, resolve };
}

/** Resolves when the signal aborts (at once if it already has). */
export function aborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

/** Waits (turn by turn, a bounded number of turns) until `condition` holds; fails the test otherwise. */
export async function until(condition: () => boolean, what: string): Promise<void> {
  for (let turn = 0; turn < 10_000; turn += 1) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  expect.fail(`timed out waiting until ${what}`);
}

/** A handler that records each attempt and waits for the test to finish it. */
export class GatedHandler {
  readonly contexts: JobContext[] = [];
  private readonly gates: Array<Deferred<Result<JobResult>>> = [];
  active = 0;
  maxActive = 0;

  readonly handle = async (context: JobContext): Promise<Result<JobResult>> => {
    this.contexts.push(context);
    const gate = deferred<Result<JobResult>>();
    this.gates.push(gate);
    this.active += 1;
    this.maxActive = Math.max(this.maxActive, this.active);
    try {
      return await gate.promise;
    } finally {
      this.active -= 1;
    }
  };

  finish(index: number, outcome: Result<JobResult> = ok(exportResult())): void {
    const gate = this.gates[index];
    if (gate === undefined) throw new Error(`attempt ${index} has not started`);
    gate.resolve(outcome);
  }
}
