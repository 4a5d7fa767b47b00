/**
 * Is the library's file whole? Checked at every open, before anything writes to it: a damaged page that
 * keeps being written spreads the damage, and a file that went empty must not silently become a new,
 * empty library. SQLite's `PRAGMA quick_check` reads every page once (about 7 ms per MB here): it runs on
 * a read-only connection in a worker thread, so a time budget can bound it; a library too big to check
 * within the budget opens unverified rather than keeping the app from starting.
 */
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** Default time the check may take before the library opens unverified. */
export const INTEGRITY_BUDGET_MS = 5000;
/** quick_check stops after this many problems; the first one is what the user is told. */
const MAX_PROBLEMS = 20;

export type IntegrityVerdict =
  | { state: 'ok'; elapsedMs: number }
  | { state: 'missing' }
  | { state: 'damaged'; problems: string[] }
  /** Not known: out of time, or the file could not be read for another reason (its open will say why). */
  | { state: 'unverified'; reason: string };

/**
 * Runs in the worker (plain CommonJS: the worker is started from source text, so it works the same from
 * TypeScript sources, the bundle and the packaged app). Damage is SQLITE_CORRUPT or SQLITE_NOTADB, or
 * quick_check's own findings; any other error (a lock, permissions) leaves the verdict open.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.sqlitePath);
let db = null;
try {
  db = new Database(workerData.file, { readonly: true, fileMustExist: true });
  const rows = db.pragma('quick_check(' + workerData.maxProblems + ')', { simple: false });
  const problems = rows.map((row) => String(Object.values(row)[0]));
  parentPort.postMessage(problems.length === 1 && problems[0] === 'ok' ? { state: 'ok' } : { state: 'damaged', problems });
} catch (error) {
  const code = String((error && error.code) || '');
  const text = (code ? code + ': ' : '') + (error && error.message ? error.message : String(error));
  const damaged = code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB';
  parentPort.postMessage(damaged ? { state: 'damaged', problems: [text] } : { state: 'unverified', reason: text });
} finally {
  try { if (db) db.close(); } catch {}
}
`;

export interface IntegrityOptions {
  budgetMs?: number | undefined;
}

export async function checkLibraryIntegrity(file: string, options: IntegrityOptions = {}): Promise<IntegrityVerdict> {
  const size = fileSize(file);
  if (size === null) return { state: 'missing' };
  // An empty file is what a failed copy or sync leaves: SQLite would take it as a new database.
  if (size === 0 && (fileSize(`${file}-wal`) ?? 0) === 0) return { state: 'damaged', problems: ['the file is empty'] };
  const started = performance.now();
  const sqlitePath = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { sqlitePath, file, maxProblems: MAX_PROBLEMS } });
  const budgetMs = options.budgetMs ?? INTEGRITY_BUDGET_MS;
  let timer: NodeJS.Timeout | undefined;
  const verdict = await new Promise<IntegrityVerdict>((resolve) => {
    timer = setTimeout(() => resolve({ state: 'unverified', reason: `the check did not finish within ${budgetMs} ms` }), budgetMs);
    worker.once('message', (message: IntegrityVerdict) =>
      resolve(message.state === 'ok' ? { state: 'ok', elapsedMs: performance.now() - started } : message),
    );
    worker.once('error', (error) => resolve({ state: 'unverified', reason: error.message }));
    worker.once('exit', () => resolve({ state: 'unverified', reason: 'the check ended without an answer' }));
  });
  clearTimeout(timer);
  // A check still running (out of time) holds only a read transaction; it is stopped, not waited for.
  worker.unref();
  worker.terminate().catch(() => undefined);
  return verdict;
}

function fileSize(path: string): number | null {
  try {
    return statSync(path).size;
  } catch {
    return null;
  }
}
