/**
 * Uploads (`<uploadsDir>/<uuid>/<name>`) are only the way a browser's file reaches the engine: once its
 * import has ended (succeeded: the library keeps its own media copy; failed or cancelled: nothing will
 * read it again) the folder goes, and anything older than a day that no waiting import names (a page
 * closed between upload and import, a crash) is swept at start and every hour after.
 */
import { readdir, rm, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { JobEvent, JobSummary } from '../../src-shared/jobs';

export const STALE_UPLOAD_MS = 24 * 60 * 60 * 1000;
export const SWEEP_INTERVAL_MS = 60 * 60 * 1000;

const FINISHED_STATES: ReadonlySet<JobSummary['state']> = new Set(['succeeded', 'failed', 'cancelled']);

/** The upload folder (`<uploadsDir>/<uuid>`) a path lies in, or null when it is not an upload. */
export function uploadFolderOf(uploadsDir: string, path: string): string | null {
  const rel = relative(resolve(uploadsDir), resolve(path));
  if (rel.length === 0 || rel.startsWith('..') || isAbsolute(rel)) return null;
  const [folder] = rel.split(/[\\/]/u);
  return folder === undefined || folder === rel ? null : join(resolve(uploadsDir), folder);
}

/** An import that has ended for good: its upload folder, if it came from one, is removed. */
export async function forgetFinishedUpload(uploadsDir: string, event: JobEvent): Promise<void> {
  if (event.type !== 'changed' || event.job.payload.kind !== 'import' || !FINISHED_STATES.has(event.job.state)) return;
  const folder = uploadFolderOf(uploadsDir, event.job.payload.path);
  if (folder !== null && folder === dirname(resolve(event.job.payload.path))) await rm(folder, { recursive: true, force: true });
}

export interface SweepOptions {
  /** Folders modified more recently than this are left alone (an upload may still be on its way to an import). */
  olderThanMs?: number;
  /** Paths that queued or running imports will still read. */
  inUse: readonly string[];
  now?: number;
}

/** Removes every upload folder older than the limit that no waiting import names; returns what it removed. */
export async function sweepUploads(uploadsDir: string, options: SweepOptions): Promise<string[]> {
  const now = options.now ?? Date.now();
  const keep = new Set(options.inUse.map((path) => uploadFolderOf(uploadsDir, path)).filter((folder): folder is string => folder !== null));
  const entries = await readdir(uploadsDir, { withFileTypes: true }).catch(() => []);
  const removed: string[] = [];
  for (const entry of entries) {
    const folder = join(resolve(uploadsDir), entry.name);
    if (keep.has(folder)) continue;
    const info = await stat(folder).catch(() => null);
    if (info === null || now - info.mtimeMs < (options.olderThanMs ?? STALE_UPLOAD_MS)) continue;
    await rm(folder, { recursive: true, force: true }).catch(() => undefined);
    removed.push(folder);
  }
  return removed;
}

/** Bytes held by pending uploads (everything under the folder). */
export async function pendingUploadBytes(uploadsDir: string): Promise<number> {
  let total = 0;
  const entries = await readdir(uploadsDir, { withFileTypes: true, recursive: true }).catch(() => []);
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    total += (await stat(join(entry.parentPath, entry.name)).catch(() => ({ size: 0 }))).size;
  }
  return total;
}

/** The paths waiting imports will read (queued or running). */
export function importsInUse(jobs: readonly JobSummary[]): string[] {
  return jobs.flatMap((job) => (job.payload.kind === 'import' && !FINISHED_STATES.has(job.state) ? [job.payload.path] : []));
}
