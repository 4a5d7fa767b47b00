/** Opens (creating when needed) the library database in a folder, configured and migrated to the latest schema. */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Database as SqliteDatabase } from 'better-sqlite3';
import { errorMessage } from '../../src-shared/errors';
import type { LibraryErrorCode } from '../../src-shared/library';
import { fail, ok, type Result } from '../../src-shared/result';
import { checkLibraryIntegrity, type IntegrityVerdict } from './library-integrity';
import { besideName, libraryPath, writeLocation, type LibraryLocation } from './library-location';
import { salvageLibrary } from './library-recovery';
import { migrate, type Migration } from './migrations';
import { LIBRARY_MIGRATIONS } from './schema';

export { LIBRARY_FILE_NAME, libraryPath } from './library-location';
/** How long a statement waits for another connection's write lock before SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 5000;

export interface OpenLibraryOptions {
  /** For tests of the upgrade path; default: every migration. */
  migrations?: readonly Migration[];
}

export function openLibraryDatabase(dir: string, options: OpenLibraryOptions = {}): Result<SqliteDatabase, LibraryErrorCode> {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    return fail('LIBRARY_OPEN_FAILED', `cannot open the library: ${reasonOf(error)}`, libraryPath(dir));
  }
  return openLibraryFile(libraryPath(dir), options.migrations ?? LIBRARY_MIGRATIONS);
}

function openLibraryFile(file: string, migrations: readonly Migration[]): Result<SqliteDatabase, LibraryErrorCode> {
  let db: SqliteDatabase;
  try {
    db = new Database(file);
  } catch (error) {
    return fail('LIBRARY_OPEN_FAILED', `cannot open the library: ${reasonOf(error)}`, file);
  }
  const configured = configure(db, file);
  if (!configured.ok) return closeAnd(db, configured);
  const migrated = migrate(db, migrations);
  if (!migrated.ok) return closeAnd(db, fail(migrated.error.code, migrated.error.message, file));
  return ok(db);
}

/** What to do when the library's file is damaged: say so (nothing is written), or open something beside it. */
export type DamagedLibraryChoice = 'refuse' | 'recover' | 'new';

export interface VerifiedOpenOptions extends OpenLibraryOptions {
  onDamaged?: DamagedLibraryChoice | undefined;
  /** How long the integrity check may take (default INTEGRITY_BUDGET_MS); past it the library opens unverified. */
  checkBudgetMs?: number | undefined;
}

export interface VerifiedLibrary {
  db: SqliteDatabase;
  verdict: IntegrityVerdict;
  /** Set when a recovered copy or a new library was opened instead of a damaged one: one sentence for the user. */
  notice: string | null;
}

/**
 * Opens the library after checking its file. A damaged file is never written: by default the open fails
 * with LIBRARY_DAMAGED (one sentence the CLI and the app show as they are); with `recover` or `new`, a
 * recovered copy or an empty library is made beside it and opened from then on (library-location.ts).
 */
export async function openVerifiedLibraryDatabase(
  dir: string,
  options: VerifiedOpenOptions = {},
): Promise<Result<VerifiedLibrary, LibraryErrorCode>> {
  const file = libraryPath(dir);
  const verdict = await checkLibraryIntegrity(file, { budgetMs: options.checkBudgetMs });
  let notice: string | null = null;
  if (verdict.state === 'damaged') {
    const choice = options.onDamaged ?? 'refuse';
    const problem = verdict.problems[0] ?? 'unknown damage';
    if (choice === 'refuse') {
      return fail(
        'LIBRARY_DAMAGED',
        `The library ${file} is damaged (${problem}) and was left untouched: Verbatim can open a copy recovered from it, or start a new library beside it.`,
        file,
      );
    }
    const replaced = choice === 'recover' ? recoverBeside(dir, file, options.migrations) : newBeside(dir, file, options.migrations);
    if (!replaced.ok) return replaced;
    notice = replaced.value;
  }
  const opened = openLibraryDatabase(dir, options);
  return opened.ok ? ok({ db: opened.value, verdict, notice }) : opened;
}

function recoverBeside(dir: string, damaged: string, migrations?: readonly Migration[]): Result<string, LibraryErrorCode> {
  const name = besideName('recovered');
  const salvaged = salvageLibrary(damaged, path.join(dir, name), migrations);
  if (!salvaged.ok) return salvaged;
  recordChoice(dir, { file: name, replaces: path.basename(damaged), how: 'recovered', at: new Date().toISOString() });
  const rows = salvaged.value.rows;
  return ok(
    `The damaged library ${damaged} was left as it is; a copy recovered from it (${rows.meetings ?? 0} meetings, ${rows.segments ?? 0} transcript segments${salvaged.value.damagedTables.length > 0 ? `; rows on damaged pages of ${salvaged.value.damagedTables.join(', ')} were lost` : ''}) is now the library: ${path.join(dir, name)}.`,
  );
}

function newBeside(dir: string, damaged: string, migrations?: readonly Migration[]): Result<string, LibraryErrorCode> {
  const name = besideName('new');
  const created = openLibraryFile(path.join(dir, name), migrations ?? LIBRARY_MIGRATIONS);
  if (!created.ok) return created;
  created.value.close();
  recordChoice(dir, { file: name, replaces: path.basename(damaged), how: 'new', at: new Date().toISOString() });
  return ok(
    `The damaged library ${damaged} was left as it is; a new, empty library beside it is now the library: ${path.join(dir, name)}.`,
  );
}

function recordChoice(dir: string, location: LibraryLocation): void {
  writeLocation(dir, location);
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
  return errorMessage(error);
}
