import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertOrdered, latestVersion, type Migration } from '../../src-main/library/migrations';
import { BUSY_TIMEOUT_MS, libraryPath, openLibraryDatabase } from '../../src-main/library/open-library-database';
import { LIBRARY_MIGRATIONS } from '../../src-main/library/schema';
import { openLibrary } from '../../src-main/library/sqlite-library-store';
import { checkIndexes, expectError, KOREAN_LINES, openStore, rawConnection, tempDir, transcriptOf, unwrap } from './library-fixtures';

const LATEST = latestVersion(LIBRARY_MIGRATIONS);

describe('opening the library', () => {
  it('creates the folder and the database in WAL mode with foreign keys, a busy timeout and full sync', () => {
    const dir = path.join(tempDir(), 'nested', 'user-data');
    const db = unwrap(openLibraryDatabase(dir));
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(db.pragma('busy_timeout', { simple: true })).toBe(BUSY_TIMEOUT_MS);
      expect(db.pragma('synchronous', { simple: true })).toBe(2);
      expect(db.pragma('user_version', { simple: true })).toBe(LATEST);
      db.prepare(`INSERT INTO meetings (id, title, created_at, updated_at, status) VALUES ('m', 't', 'x', 'x', 'queued')`).run();
      expect(existsSync(`${libraryPath(dir)}-wal`)).toBe(true);
      // Foreign keys are enforced: a segment of a meeting that does not exist is refused.
      expect(() =>
        db.prepare(`INSERT INTO segments (meeting_id, segment_index, start, "end", text) VALUES ('nope', 0, 0, 1, 'x')`).run(),
      ).toThrow(/FOREIGN KEY/);
    } finally {
      db.close();
    }
  });

  it('fails with LIBRARY_OPEN_FAILED, naming the file, when the folder cannot be made or the file is not a database', () => {
    const dir = tempDir();
    const blocker = path.join(dir, 'a-file');
    writeFileSync(blocker, 'not a folder');
    const underFile = openLibrary(path.join(blocker, 'library'));
    expectError(underFile, 'LIBRARY_OPEN_FAILED');

    const garbage = tempDir();
    writeFileSync(libraryPath(garbage), Buffer.alloc(8192, 0x41));
    const notSqlite = openLibrary(garbage);
    expectError(notSqlite, 'LIBRARY_OPEN_FAILED');
    expect(notSqlite.ok ? '' : notSqlite.error.subject).toBe(libraryPath(garbage));
    expect(readFileSync(libraryPath(garbage)).equals(Buffer.alloc(8192, 0x41))).toBe(true);
  });

  it('refuses a library written by a newer version and leaves it alone', () => {
    const dir = tempDir();
    openStore(dir).close();
    rawConnection(dir).pragma(`user_version = ${LATEST + 5}`);
    const opened = openLibrary(dir);
    expectError(opened, 'LIBRARY_TOO_NEW');
    expect(rawConnection(dir).pragma('user_version', { simple: true })).toBe(LATEST + 5);
  });
});

describe('migrations', () => {
  it('are numbered 1, 2, 3, … in order', () => {
    expect(() => assertOrdered(LIBRARY_MIGRATIONS)).not.toThrow();
    const noop = (version: number): Migration => ({ version, description: 'noop', up: () => undefined });
    expect(() => assertOrdered([noop(1), noop(3)])).toThrow(/versions must be/);
    expect(() => assertOrdered([noop(2), noop(1)])).toThrow(/versions must be/);
  });

  it('upgrade a version-1 library with its meetings to the latest, indexing the existing transcripts for substring search', () => {
    const dir = tempDir();
    unwrap(openLibrary(dir, { migrations: LIBRARY_MIGRATIONS.slice(0, 1) })).close();
    // Rows as a version-1 Verbatim wrote them (today's store code expects today's columns).
    const v1 = rawConnection(dir);
    expect(v1.pragma('user_version', { simple: true })).toBe(1);
    const meeting = { id: 'meeting-v1' };
    const transcript = transcriptOf(KOREAN_LINES, { language: 'ko' });
    v1.transaction(() => {
      v1.prepare(
        `INSERT INTO meetings (id, title, created_at, updated_at, language, model_id, status, transcribed_at) VALUES (?, '주간 회의', 'x', 'x', 'ko', 'whisper-base', 'ready', 'x')`,
      ).run(meeting.id);
      for (const label of ['SPEAKER_00', 'SPEAKER_01'])
        v1.prepare('INSERT INTO speakers (meeting_id, label) VALUES (?, ?)').run(meeting.id, label);
      for (const segment of transcript.segments) {
        v1.prepare('INSERT INTO segments (meeting_id, segment_index, start, "end", text, speaker_label) VALUES (?, ?, ?, ?, ?, ?)').run(
          meeting.id,
          segment.id,
          segment.start,
          segment.end,
          segment.text,
          segment.speaker,
        );
      }
    })();
    const speaker = v1.prepare(`SELECT id FROM speakers WHERE meeting_id = ? AND label = 'SPEAKER_00'`).get(meeting.id) as { id: number };
    v1.prepare(`UPDATE speakers SET name = '김민지' WHERE id = ?`).run(speaker.id);

    const store = openStore(dir);
    expect(rawConnection(dir).pragma('user_version', { simple: true })).toBe(LATEST);
    expect(unwrap(store.getMeeting(meeting.id))).toMatchObject({ title: '주간 회의', status: 'ready', segmentCount: 3 });
    expect(unwrap(store.getTranscript(meeting.id)).segments.map((segment) => segment.text)).toEqual(KOREAN_LINES);
    expect(unwrap(store.listSpeakers(meeting.id)).find((row) => row.id === speaker.id)?.name).toBe('김민지');
    // Text stored before the substring index existed is found inside a word.
    expect(unwrap(store.search('기회의')).map((hit) => [hit.meetingId, hit.segmentId])).toEqual([[meeting.id, 1]]);
    // And the triggers added by the upgrade keep it in step with later writes.
    unwrap(store.editSegmentText(meeting.id, 1, '임시회의 안건은 인사 문제입니다.'));
    expect(unwrap(store.search('기회의'))).toEqual([]);
    expect(unwrap(store.search('시회의')).map((hit) => hit.segmentId)).toEqual([1]);
    checkIndexes(rawConnection(dir));
  });

  it('roll back a failing migration completely and report it, leaving the previous version usable', () => {
    const dir = tempDir();
    unwrap(openLibrary(dir, { migrations: LIBRARY_MIGRATIONS.slice(0, 1) })).close();
    const broken: Migration = {
      version: 2,
      description: 'half-done upgrade',
      up(db) {
        db.exec('CREATE TABLE half_done (x INTEGER)');
        db.exec('ALTER TABLE meetings ADD COLUMN extra TEXT');
        throw new Error('disk exploded');
      },
    };
    const failed = openLibrary(dir, { migrations: [...LIBRARY_MIGRATIONS.slice(0, 1), broken] });
    expectError(failed, 'LIBRARY_MIGRATION_FAILED');
    expect(failed.ok ? '' : failed.error.message).toMatch(/migration 2 \(half-done upgrade\) failed: disk exploded/);

    const db = rawConnection(dir);
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.prepare(`SELECT count(*) AS n FROM sqlite_schema WHERE name = 'half_done'`).get()).toEqual({ n: 0 });
    expect(
      db
        .prepare('PRAGMA table_info(meetings)')
        .all()
        .some((column) => (column as { name: string }).name === 'extra'),
    ).toBe(false);
    // The real upgrade still succeeds afterwards.
    openStore(dir);
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST);
  });
});

describe('version 5: prompts and segment languages', () => {
  it('keeps a meeting’s vocabulary prompt and each segment’s language and inaudible mark', () => {
    const store = openStore(tempDir());
    const meeting = unwrap(store.createMeeting({ title: 'Mixed meeting' }));
    unwrap(store.updateMeeting(meeting.id, { prompt: 'Verbatim, 김민지' }));
    const transcript = transcriptOf(['Hello there.', '[inaudible]', '안녕하세요.']);
    transcript.segments[0] = { ...(transcript.segments[0] as (typeof transcript.segments)[number]), language: 'en' };
    transcript.segments[1] = { ...(transcript.segments[1] as (typeof transcript.segments)[number]), inaudible: true };
    transcript.segments[2] = { ...(transcript.segments[2] as (typeof transcript.segments)[number]), language: 'ko' };
    unwrap(store.replaceTranscript(meeting.id, transcript));
    expect(unwrap(store.getMeeting(meeting.id)).prompt).toBe('Verbatim, 김민지');
    const segments = unwrap(store.getTranscript(meeting.id)).segments;
    expect(segments.map((segment) => [segment.language ?? null, segment.inaudible ?? false])).toEqual([
      ['en', false],
      [null, true],
      ['ko', false],
    ]);
  });
});
