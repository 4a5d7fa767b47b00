/**
 * Versioned schema migrations: the version lives in SQLite's `PRAGMA user_version`; migrations run in
 * order, each in its own transaction together with the version bump, so a failed one leaves the database
 * exactly at the previous version.
 */
import type { Database } from 'better-sqlite3';
import { errorMessage } from '../../src-shared/errors';
import { fail, ok, type Result } from '../../src-shared/result';

export interface Migration {
  /** 1, 2, 3, … in order; the database's user_version after this migration. */
  version: number;
  description: string;
  up(db: Database): void;
}

export type MigrationErrorCode = 'LIBRARY_MIGRATION_FAILED' | 'LIBRARY_TOO_NEW';

export interface MigrationOutcome {
  from: number;
  to: number;
}

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export function latestVersion(migrations: readonly Migration[]): number {
  return migrations.at(-1)?.version ?? 0;
}

/** Throws on a malformed list: that is a programming error, caught by the tests. */
export function assertOrdered(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(`migration #${index} has version ${migration.version}; versions must be 1, 2, 3, … in order`);
    }
  });
}

export function migrate(db: Database, migrations: readonly Migration[]): Result<MigrationOutcome, MigrationErrorCode> {
  assertOrdered(migrations);
  const from = schemaVersion(db);
  const latest = latestVersion(migrations);
  if (from > latest) {
    return fail('LIBRARY_TOO_NEW', `the library is at schema version ${from}; this version of Verbatim knows up to ${latest}`);
  }
  for (const migration of migrations.slice(from)) {
    try {
      db.transaction(() => {
        migration.up(db);
        // user_version is stored in the database header, so it commits or rolls back with the migration.
        db.pragma(`user_version = ${migration.version}`);
      }).immediate();
    } catch (error) {
      const reason = errorMessage(error);
      return fail('LIBRARY_MIGRATION_FAILED', `migration ${migration.version} (${migration.description}) failed: ${reason}`);
    }
  }
  return ok({ from, to: latest });
}
