/** Job contexts, real libraries and process checks for the handler tests. */
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { JobPayload, JobSummary } from '../../../src-shared/jobs';
import type { JobContext } from '../../../src-main/jobs/types';
import { openLibraryDatabase } from '../../../src-main/library/open-library-database';
import { SqliteLibraryStore } from '../../../src-main/library/sqlite-library-store';

export function jobOf(payload: JobPayload, meetingId: string | null): JobSummary {
  const now = new Date().toISOString();
  return {
    id: randomUUID(),
    kind: payload.kind,
    state: 'running',
    payload,
    meetingId,
    title: 'test job',
    progress: 0,
    stage: null,
    attempts: 1,
    maxAttempts: 3,
    lastError: null,
    result: null,
    cancelRequested: false,
    createdAt: now,
    updatedAt: now,
    startedAt: now,
    finishedAt: null,
    nextRunAt: null,
  };
}

export interface TestContext {
  context: JobContext;
  controller: AbortController;
  progress: { progress: number; stage: string }[];
  tempDir: string;
}

/** A context as the queue would give one: a fresh temp folder per attempt, a cancel signal, a progress log. */
export async function contextFor(
  job: JobSummary,
  root: string,
  onProgress?: (progress: number, stage: string) => void,
): Promise<TestContext> {
  const tempDir = path.join(root, `attempt-${randomUUID()}`);
  await mkdir(tempDir, { recursive: true });
  const controller = new AbortController();
  const progress: { progress: number; stage: string }[] = [];
  const context: JobContext = {
    job,
    signal: controller.signal,
    tempDir,
    reportProgress(value, stage) {
      progress.push({ progress: value, stage });
      onProgress?.(value, stage);
    },
  };
  return { context, controller, progress, tempDir };
}

export function openTestLibrary(dir: string): SqliteLibraryStore {
  const opened = openLibraryDatabase(dir);
  if (!opened.ok) throw new Error(opened.error.message);
  return new SqliteLibraryStore(opened.value);
}

export async function filesIn(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
}

/** Running (not zombie) processes other than this one whose command line mentions `marker`. */
export function processesMentioning(marker: string): { pid: number; cmdline: string }[] {
  const found: { pid: number; cmdline: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid || !isRunning(pid)) continue;
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
      if (cmdline.includes(marker)) found.push({ pid, cmdline });
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

/** Whether `pid` is a live process: it exists and is not a zombie waiting to be reaped. */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** Polls until `check` holds or `timeoutMs` passes; returns whether it held. */
export async function eventually(check: () => boolean, timeoutMs: number, intervalMs = 50): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
