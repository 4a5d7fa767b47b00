/** Opens (creating when needed) the library database in a folder, configured and migrated to the latest schema. */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Database as SqliteDatabase } from 'better-sqlite3';
import type { LibraryErrorCode } from '../../src-shared/library';
import { fail, ok, type Result } from '../../src-shared/result';
import { migrate, type Migration } from './migrations';
import { LIBRARY_MIGRATIONS } from './schema';

export const LIBRARY_FILE_NAME = 'library.sqlite3';
/** How long a statement waits for another connection's write lock before SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 5000;

export interface OpenLibraryOptions {
  /** For tests of the upgrade path; default: every migration. */
  migrations?: readonly Migration[];
}

export function libraryPath(dir: string): string {
  return path.join(dir, LIBRARY_FILE_NAME);
}

export function openLibraryDatabase(dir: string, options: OpenLibraryOptions = {}): Result<SqliteDatabase, LibraryErrorCode> {
  const file = libraryPath(dir);
  let db: SqliteDatabase;
  try {
    mkdirSync(dir, { recursive: true });
    db = new Database(file);
  } catch (error) {
    return fail('LIBRARY_OPEN_FAILED', `cannot open the library: ${reasonOf(error)}`, file);
  }
  const configured = configure(db, file);
  if (!configured.ok) return closeAnd(db, configured);
  const migrated = migrate(db, options.migrations ?? LIBRARY_MIGRATIONS);
  if (!migrated.ok) return closeAnd(db, fail(migrated.error.code, migrated.error.message, file));
  return ok(db);
}

function configure(db: SqliteDatabase, file: string): Result<void, LibraryErrorCode> {
  try {
    // The first statement reads the header: a file that is not SQLite fails here.
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') {
      return fail('LIBRARY_OPEN_FAILED', `the library needs write-ahead logging, but SQLite kept journal mode "${String(mode)}"`, file);
    }
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // FULL: a committed transcript or rename survives power loss too; library writes are few, so the extra fsync is cheap.
    db.pragma('synchronous = FULL');
    return ok(undefined);
  } catch (error) {
    return fail('LIBRARY_OPEN_FAILED', `cannot open the library: ${reasonOf(error)}`, file);
  }
}

function closeAnd<T extends { ok: false }>(db: SqliteDatabase, failure: T): T {
  try {
    db.close();
  } catch {
    // Already failing; the original error is the one worth reporting.
  }
  return failure;
}

export function reasonOf(error: unknown): string {
  if (error instanceof Database.SqliteError) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}
