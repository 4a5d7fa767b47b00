/**
 * A copy of a damaged library with every row that can still be read, made beside it (the damaged file is
 * only ever opened read-only).
 *
 * Why a row-salvaging copy and not SQLite's `.recover`: `.recover` lives in the sqlite3 shell and its
 * recovery extension, which better-sqlite3 does not build; the shell is not on Windows and not shipped
 * with the app, so the app cannot count on it. A copy through the SQLite the app ships works wherever the
 * app runs: each table is read in key order; where a damaged page stops the read, the reader seeks past
 * it (exponentially growing jumps on an integer key, or from the other end of the table) and goes on, so
 * what is lost is what sat on the damaged pages. Rows are inserted with OR IGNORE into a library built by
 * the same migrations (a garbled row that breaks a constraint is dropped, not copied), rows whose parent
 * was lost are removed by the foreign keys' own definitions, and the full-text indexes are rebuilt from
 * the copied segments. (The sqlite3 shell Debian ships here, 3.40, is built without the sqlite_dbpage table
 * its `.recover` reads, and recovers nothing; the tests check instead that exactly the rows on the damaged
 * page are lost.)
 */
import { existsSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { Database as SqliteDatabase } from 'better-sqlite3';
import { errorMessage } from '../../src-shared/errors';
import type { LibraryErrorCode } from '../../src-shared/library';
import { fail, ok, type Result } from '../../src-shared/result';
import { latestVersion, type Migration } from './migrations';
import { LIBRARY_MIGRATIONS } from './schema';

export interface SalvageReport {
  /** Rows copied per table. */
  rows: Record<string, number>;
  /** Tables where a damaged stretch was skipped. */
  damagedTables: string[];
  /** Rows dropped afterwards because the row they belong to was lost (a segment of a lost meeting). */
  orphansRemoved: number;
}

const BATCH = 500;
type Key = string | number | bigint | Buffer | null;

export function salvageLibrary(
  sourceFile: string,
  targetFile: string,
  migrations: readonly Migration[] = LIBRARY_MIGRATIONS,
): Result<SalvageReport, LibraryErrorCode> {
  if (existsSync(targetFile))
    return fail('LIBRARY_RECOVERY_FAILED', `${targetFile} exists already; a recovery never writes over a file.`, targetFile);
  let source: SqliteDatabase;
  try {
    source = new Database(sourceFile, { readonly: true, fileMustExist: true });
  } catch (error) {
    return fail('LIBRARY_RECOVERY_FAILED', `The damaged library ${sourceFile} cannot be read at all: ${errorMessage(error)}`, sourceFile);
  }
  let target: SqliteDatabase | null = null;
  try {
    const version = readVersion(source);
    if (version > latestVersion(migrations))
      return fail('LIBRARY_TOO_NEW', `The library ${sourceFile} was written by a newer Verbatim.`, sourceFile);
    target = new Database(targetFile);
    target.pragma('journal_mode = WAL');
    // The copy is built at the damaged library's own version; the normal open migrates it on.
    for (const migration of migrations.slice(0, version)) {
      target.transaction(() => {
        migration.up(target as SqliteDatabase);
        (target as SqliteDatabase).pragma(`user_version = ${migration.version}`);
      })();
    }
    target.pragma('foreign_keys = OFF');
    const report: SalvageReport = { rows: {}, damagedTables: [], orphansRemoved: 0 };
    const writer = target;
    // One transaction for the whole copy: a copy that fails halfway is removed anyway, and one commit is fast.
    writer.transaction(() => {
      for (const table of baseTables(writer)) {
        const copied = copyTable(source, writer, table);
        report.rows[table] = copied.rows;
        if (copied.damaged) report.damagedTables.push(table);
      }
      report.orphansRemoved = removeOrphans(writer);
      rebuildFullTextIndexes(writer);
    })();
    const check = target.pragma('integrity_check', { simple: true });
    if (check !== 'ok') throw new Error(`the recovered copy does not pass its own check: ${String(check)}`);
    target.close();
    target = null;
    return ok(report);
  } catch (error) {
    target?.close();
    rmSync(targetFile, { force: true });
    rmSync(`${targetFile}-wal`, { force: true });
    rmSync(`${targetFile}-shm`, { force: true });
    return fail('LIBRARY_RECOVERY_FAILED', `No copy could be recovered from ${sourceFile}: ${errorMessage(error)}`, sourceFile);
  } finally {
    source.close();
  }
}

function readVersion(source: SqliteDatabase): number {
  return source.pragma('user_version', { simple: true }) as number;
}

/** Ordinary tables of the (fresh) copy: not SQLite's own, not the full-text indexes or their shadow tables. */
function baseTables(db: SqliteDatabase): string[] {
  const all = db.prepare(`SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).all() as {
    name: string;
    sql: string;
  }[];
  const virtual = all.filter((table) => /^CREATE VIRTUAL TABLE/i.test(table.sql)).map((table) => table.name);
  return all
    .filter((table) => !virtual.some((name) => table.name === name || table.name.startsWith(`${name}_`)))
    .map((table) => table.name);
}

interface TableShape {
  columns: string[];
  /** The key the table is stored in order of: its rowid, or a WITHOUT ROWID table's primary key. */
  keys: string[];
}

function shapeOf(db: SqliteDatabase, table: string): TableShape | null {
  const info = db.prepare(`SELECT name, pk FROM pragma_table_info(?)`).all(table) as { name: string; pk: number }[];
  if (info.length === 0) return null;
  const withoutRowid = /WITHOUT\s+ROWID\s*;?\s*$/i.test(
    (db.prepare(`SELECT sql FROM sqlite_schema WHERE name = ?`).get(table) as { sql: string } | undefined)?.sql ?? '',
  );
  const keys = withoutRowid
    ? info
        .filter((column) => column.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((column) => column.name)
    : ['rowid'];
  return { columns: info.map((column) => column.name), keys };
}

const quote = (name: string): string => `"${name.replaceAll('"', '""')}"`;

function copyTable(source: SqliteDatabase, target: SqliteDatabase, table: string): { rows: number; damaged: boolean } {
  const into = shapeOf(target, table);
  let from: TableShape | null;
  try {
    from = shapeOf(source, table);
  } catch {
    return { rows: 0, damaged: true };
  }
  if (into === null || from === null) return { rows: 0, damaged: from === null };
  const columns = into.columns.filter((column) => from.columns.includes(column));
  const keys = from.keys;
  const keyList = keys.map(quote).join(', ');
  const keyColumns = keys.map((key, index) => `${quote(key)} AS k${index}`).join(', ');
  const selected = `${keyColumns}, ${columns.map(quote).join(', ')}`;
  const after = `(${keyList}) > (${keys.map(() => '?').join(', ')})`;
  const descending = keys.map((key) => `${quote(key)} DESC`).join(', ');
  const statements = {
    first: source.prepare(`SELECT ${selected} FROM ${quote(table)} ORDER BY ${keyList} LIMIT ${BATCH}`),
    forward: source.prepare(`SELECT ${selected} FROM ${quote(table)} WHERE ${after} ORDER BY ${keyList} LIMIT ${BATCH}`),
    // Resuming at a row found past the damage: a seek for "after the row before it" would land in the damage.
    resume: source.prepare(
      `SELECT ${selected} FROM ${quote(table)} WHERE (${keyList}) >= (${keys.map(() => '?').join(', ')}) ORDER BY ${keyList} LIMIT ${BATCH}`,
    ),
    backwardAll: source.prepare(`SELECT ${selected} FROM ${quote(table)} ORDER BY ${descending}`),
    backward: source.prepare(`SELECT ${selected} FROM ${quote(table)} WHERE ${after} ORDER BY ${descending}`),
    before: source.prepare(
      `SELECT ${selected} FROM ${quote(table)} WHERE (${keyList}) < (${keys.map(() => '?').join(', ')}) ORDER BY ${descending}`,
    ),
    // >= and not >: a seek for the first key of the page after the damage lands on that page, while a seek
    // for "after the damaged page's last key" descends into the damaged page and fails.
    jumpPast: source.prepare(
      `SELECT ${keyColumns} FROM ${quote(table)} WHERE ${quote(keys[0] as string)} >= ? ORDER BY ${keyList} LIMIT 1`,
    ),
  };
  const insert = target.prepare(
    `INSERT OR IGNORE INTO ${quote(table)} (${columns.map(quote).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
  );
  const keyOf = (row: Record<string, unknown>): Key[] => keys.map((_key, index) => row[`k${index}`] as Key);
  let rows = 0;
  let damaged = false;
  const store = (row: Record<string, unknown>): void => {
    try {
      rows += insert.run(...columns.map((column) => row[column] as Key)).changes;
    } catch {
      // A garbled row the copy cannot hold (a text where an integer key belongs): dropped.
    }
  };

  /** The last row read (the next read starts after it), or where a jump past damage landed (it starts there). */
  let last: Key[] | null = null;
  let landed: Key[] | null = null;
  for (let rounds = 0; rounds < 1_000_000; rounds++) {
    let read = 0;
    try {
      const batch = (
        landed !== null
          ? statements.resume.iterate(...landed)
          : last === null
            ? statements.first.iterate()
            : statements.forward.iterate(...last)
      ) as Iterable<Record<string, unknown>>;
      for (const row of batch) {
        store(row);
        last = keyOf(row);
        landed = null;
        read++;
      }
      landed = null;
      if (read < BATCH) break;
    } catch {
      damaged = true;
      // Jump on from the last row read, or from past the landing if the read failed again right there.
      const from = read === 0 && landed !== null ? Number(landed[0]) + 1 : (last?.[0] ?? null);
      const next = nextReadableKey(statements.jumpPast, from, keys.length);
      if (next === 'unknown') {
        // No way to seek past the damage on this key: read the rest from the other end, up to the damage.
        salvageBackward(last === null ? statements.backwardAll : statements.backward, last, store);
        break;
      }
      if (next === null) break;
      // A jump on the first key column can land past readable rows that share it (the rest of a segment's
      // words): read back from the landing until the damage stops the read.
      if (keys.length > 1) salvageBackward(statements.before, next, store);
      landed = next;
    }
  }
  return { rows, damaged };
}

/**
 * The first key past a damaged stretch that can be read, by jumps of 1, 2, 4, … on the first key column;
 * null when nothing lies beyond, 'unknown' when the key is not an integer (no jump can be computed).
 */
function nextReadableKey(jumpPast: Database.Statement, from: Key, keyCount: number): Key[] | null | 'unknown' {
  if (from !== null && typeof from !== 'number' && typeof from !== 'bigint') return 'unknown';
  const base = from === null ? 0 : Number(from);
  const probe = (after: number): Record<string, Key> | undefined | 'damaged' => {
    try {
      return jumpPast.get(after) as Record<string, Key> | undefined;
    } catch {
      return 'damaged';
    }
  };
  // Jump out of the damage, then narrow back down to the first readable row after it, so that no row of
  // the next (whole) page is jumped over.
  let damaged = base;
  for (let step = 1; step <= 2 ** 53; step *= 2) {
    let found = probe(base + step);
    if (found === 'damaged') {
      damaged = base + step;
      continue;
    }
    let readable = base + step;
    while (readable - damaged > 1) {
      const middle = damaged + Math.floor((readable - damaged) / 2);
      const there = probe(middle);
      if (there === 'damaged') damaged = middle;
      else {
        readable = middle;
        found = there;
      }
    }
    if (found === undefined) return null;
    const row = found;
    return Array.from({ length: keyCount }, (_unused, index) => row[`k${index}`] ?? null);
  }
  return null;
}

function salvageBackward(statement: Database.Statement, last: Key[] | null, store: (row: Record<string, unknown>) => void): void {
  try {
    for (const row of (last === null ? statement.iterate() : statement.iterate(...last)) as Iterable<Record<string, unknown>>) store(row);
  } catch {
    // The other end of the damage: what was read is kept.
  }
}

/**
 * Removes rows whose parent row was lost, following the foreign keys the schema declares (a segment of a
 * lost meeting, a word of a lost segment), until none is left. A segment whose speaker row was lost keeps
 * its text: the speaker is recreated from its label first.
 */
function removeOrphans(db: SqliteDatabase): number {
  const tables = new Set(baseTables(db));
  if (tables.has('speakers') && tables.has('segments')) {
    db.exec(
      `INSERT OR IGNORE INTO speakers (meeting_id, label) SELECT DISTINCT meeting_id, speaker_label FROM segments WHERE speaker_label IS NOT NULL AND meeting_id IN (SELECT id FROM meetings)`,
    );
  }
  let removed = 0;
  for (let round = 0; round < 10; round++) {
    let thisRound = 0;
    for (const table of tables) {
      const references = db
        .prepare(`SELECT "table" AS parent, "from" AS child, "to" AS key, id FROM pragma_foreign_key_list(?) ORDER BY id, seq`)
        .all(table) as { parent: string; child: string; key: string | null; id: number }[];
      const byConstraint = new Map<number, typeof references>();
      for (const reference of references) byConstraint.set(reference.id, [...(byConstraint.get(reference.id) ?? []), reference]);
      for (const columns of byConstraint.values()) {
        const parent = columns[0]?.parent ?? '';
        const present = columns.map((column) => `${quote(table)}.${quote(column.child)} IS NOT NULL`).join(' AND ');
        const matches = columns
          .map((column) => `${quote(parent)}.${quote(column.key ?? 'rowid')} = ${quote(table)}.${quote(column.child)}`)
          .join(' AND ');
        thisRound += db
          .prepare(`DELETE FROM ${quote(table)} WHERE ${present} AND NOT EXISTS (SELECT 1 FROM ${quote(parent)} WHERE ${matches})`)
          .run().changes;
      }
    }
    removed += thisRound;
    if (thisRound === 0) break;
  }
  return removed;
}

function rebuildFullTextIndexes(db: SqliteDatabase): void {
  const indexes = db
    .prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%USING fts5%'`)
    .all() as { name: string }[];
  for (const { name } of indexes) db.prepare(`INSERT INTO ${quote(name)} (${quote(name)}) VALUES ('rebuild')`).run();
}
