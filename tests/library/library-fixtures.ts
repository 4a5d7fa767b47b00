/** Real SQLite libraries in temporary folders, and transcripts to store in them. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Database as SqliteDatabase } from 'better-sqlite3';
import { afterEach, expect } from 'vitest';
import { libraryPath } from '../../src-main/library/open-library-database';
import { openLibrary, type SqliteLibraryStore } from '../../src-main/library/sqlite-library-store';
import type { Result } from '../../src-shared/result';
import type { Transcript, TranscriptSegment } from '../../src-shared/transcript';

const dirs: string[] = [];
const stores: SqliteLibraryStore[] = [];
const connections: SqliteDatabase[] = [];

afterEach(() => {
  for (const store of stores.splice(0)) store.close();
  for (const db of connections.splice(0)) if (db.open) db.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'verbatim-library-'));
  dirs.push(dir);
  return dir;
}

/** Opens (and closes after the test) a store; fails the test if it cannot open. */
export function openStore(dir: string = tempDir()): SqliteLibraryStore {
  const store = unwrap(openLibrary(dir));
  stores.push(store);
  return store;
}

/** A second, independent connection to the same file, as another process or thread would have. */
export function rawConnection(dir: string, options: Database.Options = {}): SqliteDatabase {
  const db = new Database(libraryPath(dir), options);
  connections.push(db);
  return db;
}

export function unwrap<T>(result: Result<T>): T {
  if (!result.ok) expect.fail(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

export function expectError(result: Result<unknown>, code: string): void {
  expect(result.ok ? 'ok' : result.error.code).toBe(code);
}

/** Both full-text indexes agree with the segments table (FTS5's own check; throws on a mismatch). */
export function checkIndexes(db: SqliteDatabase): void {
  for (const index of ['segments_fts', 'segments_trigram']) {
    db.prepare(`INSERT INTO ${index} (${index}, rank) VALUES ('integrity-check', 1)`).run();
  }
}

export const JFK_LINES = [
  'And so, my fellow Americans,',
  'ask not what your country can do for you,',
  'ask what you can do for your country.',
];

export const KOREAN_LINES = ['오늘 회의를 시작하겠습니다.', '정기회의 안건은 예산 검토입니다.', '다음 주까지 보고서를 제출해 주세요.'];

export function transcriptOf(lines: readonly string[], overrides: Partial<Transcript> = {}): Transcript {
  const segments: TranscriptSegment[] = lines.map((text, index) => ({
    id: index,
    start: index * 4,
    end: index * 4 + 3.5,
    text,
    speaker: index % 2 === 0 ? 'SPEAKER_00' : 'SPEAKER_01',
    words: text.split(' ').map((word, wordIndex) => ({
      start: index * 4 + wordIndex * 0.3,
      end: index * 4 + wordIndex * 0.3 + 0.25,
      text: ` ${word}`,
      probability: 0.9,
    })),
  }));
  return {
    source: 'meeting',
    language: 'en',
    modelId: 'whisper-base',
    task: 'transcribe',
    duration: lines.length * 4,
    segments,
    ...overrides,
  };
}

/** `count` numbered segments, each with a marker word so tests can tell transcripts apart. */
export function numberedTranscript(count: number, marker: string): Transcript {
  return transcriptOf(
    Array.from({ length: count }, (_, index) => `${marker} segment number ${index} of the meeting`),
    { duration: count * 4 },
  );
}

export function segmentCount(db: SqliteDatabase, meetingId: string): number {
  return db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM segments WHERE meeting_id = ?').get(meetingId)?.n ?? 0;
}
