/**
 * A damaged library is checked at open and never written: one damaged page of a real library (overwritten
 * in the test) or an empty file makes the open fail with LIBRARY_DAMAGED in one sentence, the file byte for
 * byte as it was; a recovered copy keeps every row that was not on the damaged page and becomes the library
 * from then on; a new library can start beside it; the check is bounded in time.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLibraryIntegrity } from '../../src-main/library/library-integrity';
import { LOCATION_FILE_NAME } from '../../src-main/library/library-location';
import { libraryPath, openLibraryDatabase } from '../../src-main/library/open-library-database';
import { SqliteLibraryStore } from '../../src-main/library/sqlite-library-store';
import { openWorkspace } from '../../src-main/app/workspace';
import { makeTempDir } from '../audio/helpers';
import { seededRandom } from '../export/fixtures';
import { REPO_ROOT } from '../support/paths';
import { transcriptOf } from './library-fixtures';

const MEETINGS = 24;
const SEGMENTS_PER_MEETING = 120;

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let healthy: string;

const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

/** A library of MEETINGS meetings with SEGMENTS_PER_MEETING segments (with words) each, closed cleanly. */
function buildLibrary(dir: string): void {
  const opened = openLibraryDatabase(dir);
  if (!opened.ok) throw new Error(opened.error.message);
  const store = new SqliteLibraryStore(opened.value);
  for (let meeting = 0; meeting < MEETINGS; meeting++) {
    const created = store.createMeeting({ id: `meeting-${String(meeting).padStart(2, '0')}`, title: `주간 회의 ${meeting}` });
    if (!created.ok) throw new Error(created.error.message);
    const lines = Array.from(
      { length: SEGMENTS_PER_MEETING },
      (_, index) => `meeting ${meeting} line ${index}: ask not what your country can do, 회의를 시작하겠습니다 marker${meeting}x${index}`,
    );
    const stored = store.replaceTranscript(created.value.id, transcriptOf(lines));
    if (!stored.ok) throw new Error(stored.error.message);
  }
  store.close();
}

/** Copies a library folder's database (closed, so there is no -wal) into a new folder. */
async function copyOf(name: string): Promise<string> {
  const dir = path.join(temp.dir, name);
  await mkdir(dir, { recursive: true });
  writeFileSync(libraryPath(dir), readFileSync(libraryPath(healthy)));
  return dir;
}

/** Overwrites one leaf page of `table` (the middle one) with random bytes; returns how many rows it held. */
function damagePage(dir: string, table: string, seed: number): number {
  const file = libraryPath(dir);
  const db = new Database(file, { readonly: true });
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const leaves = db.prepare(`SELECT pageno, ncell FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno`).all(table) as {
    pageno: number;
    ncell: number;
  }[];
  db.close();
  const victim = leaves[Math.floor(leaves.length / 2)];
  if (!victim) throw new Error(`${table} has no leaf pages`);
  const random = seededRandom(seed);
  const garbage = Buffer.from(Array.from({ length: pageSize }, () => Math.floor(random() * 256)));
  const fd = openSync(file, 'r+');
  writeSync(fd, garbage, 0, pageSize, (victim.pageno - 1) * pageSize);
  closeSync(fd);
  return victim.ncell;
}

function segmentCount(file: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM segments').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  temp = await makeTempDir('library-integrity');
  healthy = path.join(temp.dir, 'healthy');
  buildLibrary(healthy);
});

afterAll(async () => {
  await temp?.cleanup();
});

describe('the library integrity check at open', () => {
  it('passes a whole library quickly, and opens it', async () => {
    const verdict = await checkLibraryIntegrity(libraryPath(healthy));
    expect(verdict.state).toBe('ok');
    console.log(
      `quick_check of a ${(statSync(libraryPath(healthy)).size / 1e6).toFixed(1)} MB library: ${verdict.state === 'ok' ? verdict.elapsedMs.toFixed(0) : '?'} ms`,
    );
  });

  it('refuses a library with one damaged page in one sentence, and writes nothing to it', async () => {
    const dir = await copyOf('damaged-refused');
    damagePage(dir, 'segments', 1);
    const before = sha256(libraryPath(dir));
    const opened = await openWorkspace({ dataDir: dir });
    expect(opened.ok).toBe(false);
    if (opened.ok) return;
    expect(opened.error.code).toBe('LIBRARY_DAMAGED');
    expect(opened.error.subject).toBe(libraryPath(dir));
    expect(opened.error.message).toMatch(
      /^The library .+ is damaged \(.+\) and was left untouched: Verbatim can open a copy recovered from it, or start a new library beside it\.$/,
    );
    expect(opened.error.message).not.toContain('\n');
    expect(sha256(libraryPath(dir))).toBe(before);
    // A read-only connection to a WAL database may leave an empty -wal beside it; nothing was written into one.
    expect(existsSync(`${libraryPath(dir)}-wal`) ? statSync(`${libraryPath(dir)}-wal`).size : 0).toBe(0);
    expect(existsSync(path.join(dir, LOCATION_FILE_NAME))).toBe(false);
  });

  it('refuses an empty library file instead of starting an empty library in its place', async () => {
    const dir = path.join(temp.dir, 'zero-bytes');
    await mkdir(dir);
    writeFileSync(libraryPath(dir), '');
    const opened = await openWorkspace({ dataDir: dir });
    expect(opened.ok ? 'opened' : opened.error.code).toBe('LIBRARY_DAMAGED');
    expect(opened.ok ? '' : opened.error.message).toContain('the file is empty');
    expect(statSync(libraryPath(dir)).size).toBe(0);
    expect(await readdir(dir)).toEqual(['library.sqlite3']);
  });

  it('opens a recovered copy beside it on request: every segment not on the damaged page, the damaged file untouched, and that copy from then on', async () => {
    const dir = await copyOf('damaged-recovered');
    const lost = damagePage(dir, 'segments', 2);
    const damaged = libraryPath(dir);
    const before = sha256(damaged);

    const opened = await openWorkspace({ dataDir: dir, onDamagedLibrary: 'recover' });
    if (!opened.ok) throw new Error(`${opened.error.code}: ${opened.error.message}`);
    const workspace = opened.value;
    try {
      expect(workspace.libraryNotice).toMatch(
        /^The damaged library .+ was left as it is; a copy recovered from it \(24 meetings, \d+ transcript segments.*\) is now the library: .+\.$/,
      );
      const recoveredFile = libraryPath(dir);
      expect(recoveredFile).not.toBe(damaged);
      const meetings = workspace.library.listMeetings({ limit: 1000 });
      expect(meetings.ok && meetings.value.length).toBe(MEETINGS);
      const recovered = segmentCount(recoveredFile);
      console.log(`recovered ${recovered} of ${MEETINGS * SEGMENTS_PER_MEETING} segments; the damaged page held ${lost}`);
      // What is lost is what sat on the damaged page, nothing more.
      expect(recovered).toBe(MEETINGS * SEGMENTS_PER_MEETING - lost);
      // The copy is a whole library: search works on what survived, and writes go to the copy.
      const hits = workspace.library.search('marker0x0');
      expect(hits.ok && hits.value.length).toBe(1);
      expect(workspace.library.updateMeeting('meeting-00', { title: 'renamed in the copy' }).ok).toBe(true);
    } finally {
      await workspace.close();
    }
    expect(sha256(damaged)).toBe(before);

    // The next start (no choice given) opens the recovered copy, without complaint.
    const again = await openWorkspace({ dataDir: dir });
    if (!again.ok) throw new Error(`${again.error.code}: ${again.error.message}`);
    expect(again.value.libraryNotice).toBeNull();
    const renamed = again.value.library.getMeeting('meeting-00');
    expect(renamed.ok && renamed.value.title).toBe('renamed in the copy');
    await again.value.close();
    expect(sha256(damaged)).toBe(before);
  });

  it('recovers past a damaged page of a table keyed without rowid (words): only that page’s rows are lost', async () => {
    const dir = await copyOf('damaged-words');
    const lost = damagePage(dir, 'words', 5);
    const count = (file: string, table: string): number => {
      const db = new Database(file, { readonly: true });
      try {
        return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
      } finally {
        db.close();
      }
    };
    const words = count(libraryPath(healthy), 'words');
    const opened = await openWorkspace({ dataDir: dir, onDamagedLibrary: 'recover' });
    if (!opened.ok) throw new Error(`${opened.error.code}: ${opened.error.message}`);
    await opened.value.close();
    expect(count(libraryPath(dir), 'segments')).toBe(MEETINGS * SEGMENTS_PER_MEETING);
    expect(count(libraryPath(dir), 'words')).toBe(words - lost);
  });

  it('starts a new library beside a damaged one on request', async () => {
    const dir = await copyOf('damaged-new');
    damagePage(dir, 'meetings', 3);
    const before = sha256(libraryPath(dir));
    const damaged = libraryPath(dir);
    const opened = await openWorkspace({ dataDir: dir, onDamagedLibrary: 'new' });
    if (!opened.ok) throw new Error(`${opened.error.code}: ${opened.error.message}`);
    expect(opened.value.libraryNotice).toContain('a new, empty library beside it');
    const meetings = opened.value.library.listMeetings();
    expect(meetings.ok && meetings.value.length).toBe(0);
    await opened.value.close();
    expect(sha256(damaged)).toBe(before);
    expect(libraryPath(dir)).not.toBe(damaged);
  });

  it('is bounded in time: past its budget the library opens unverified', async () => {
    const verdict = await checkLibraryIntegrity(libraryPath(healthy), { budgetMs: 1 });
    expect(verdict).toMatchObject({ state: 'unverified' });
    const opened = await openWorkspace({ dataDir: await copyOf('budget'), libraryCheckBudgetMs: 1 });
    expect(opened.ok).toBe(true);
    if (opened.ok) await opened.value.close();
  });
});

describe('the CLI on a damaged library', () => {
  function cli(args: string[]): Promise<{ code: number | null; stderr: string; stdout: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'src-main/cli/main.ts'), ...args], { cwd: REPO_ROOT });
      let stderr = '';
      let stdout = '';
      child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
      child.stdout.on('data', (data: Buffer) => (stdout += data.toString()));
      child.on('close', (code) => resolve({ code, stderr, stdout }));
    });
  }

  it('says it in one line with the ways on, then opens the recovered copy when asked', async () => {
    const dir = await copyOf('cli-damaged');
    damagePage(dir, 'segments', 4);
    const before = sha256(libraryPath(dir));
    const refused = await cli(['search', 'marker1x1', '--data-dir', dir]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /^error LIBRARY_DAMAGED: The library .+ is damaged \(.+\) and was left untouched: .+ \(run again with --recover-library or --new-library\)\n$/,
    );
    expect(sha256(libraryPath(dir))).toBe(before);

    const recovered = await cli(['search', 'marker1x1', '--data-dir', dir, '--recover-library']);
    expect(recovered.stderr).toMatch(/^The damaged library .+ is now the library: .+\n$/);
    expect(recovered.code).toBe(0);
    expect(recovered.stdout).toContain('주간 회의 1');
  });
});
