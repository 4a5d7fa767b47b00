import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { libraryPath, openLibraryDatabase } from '../../src-main/library/open-library-database';
import { SqliteLibraryStore } from '../../src-main/library/sqlite-library-store';
import type { Transcript } from '../../src-shared/transcript';
import {
  checkIndexes,
  expectError,
  JFK_LINES,
  numberedTranscript,
  openStore,
  rawConnection,
  segmentCount,
  tempDir,
  transcriptOf,
  unwrap,
} from './library-fixtures';

describe('replaceTranscript', () => {
  it('stores a transcript that reads back as it was given', () => {
    const store = openStore();
    const meeting = unwrap(store.createMeeting({ title: 'meeting', status: 'transcribing' }));
    const transcript = transcriptOf(JFK_LINES, { language: 'en', modelId: 'whisper-small', task: 'translate', duration: 11.5 });

    const summary = unwrap(store.replaceTranscript(meeting.id, transcript));
    expect(summary).toMatchObject({ status: 'ready', language: 'en', modelId: 'whisper-small', duration: 11.5, segmentCount: 3 });
    expect(summary.transcribedAt).not.toBeNull();
    expect(unwrap(store.getTranscript(meeting.id))).toEqual(transcript);
  });

  it('a rerun replaces the transcript: no duplicate segments, words or speakers, and the old text is not found', () => {
    const dir = tempDir();
    const store = openStore(dir);
    const meeting = unwrap(store.createMeeting({ title: 'rerun' }));
    unwrap(store.replaceTranscript(meeting.id, numberedTranscript(40, 'alpha')));
    const named = unwrap(store.listSpeakers(meeting.id)).find((speaker) => speaker.label === 'SPEAKER_00');
    if (named === undefined) throw new Error('no SPEAKER_00');
    unwrap(store.renameSpeaker(named.id, 'Ana'));

    // The same transcript again (an at-least-once job that ran twice), then a shorter one with one speaker.
    unwrap(store.replaceTranscript(meeting.id, numberedTranscript(40, 'alpha')));
    expect(unwrap(store.getMeeting(meeting.id)).segmentCount).toBe(40);
    const shorter = numberedTranscript(25, 'bravo');
    for (const segment of shorter.segments) segment.speaker = 'SPEAKER_00';
    unwrap(store.replaceTranscript(meeting.id, shorter));

    const db = rawConnection(dir);
    expect(segmentCount(db, meeting.id)).toBe(25);
    expect(db.prepare('SELECT count(*) AS n FROM words').get()).toEqual({
      n: shorter.segments.reduce((sum, segment) => sum + (segment.words?.length ?? 0), 0),
    });
    expect(unwrap(store.getTranscript(meeting.id)).segments).toEqual(shorter.segments);
    // SPEAKER_00 kept its id and name; SPEAKER_01 is no longer used, so it is gone.
    expect(unwrap(store.listSpeakers(meeting.id))).toEqual([{ id: named.id, meetingId: meeting.id, label: 'SPEAKER_00', name: 'Ana' }]);
    expect(unwrap(store.search('alpha'))).toEqual([]);
    expect(unwrap(store.search('bravo', { limit: 500 }))).toHaveLength(25);
    checkIndexes(db);
  });

  it('rejects a malformed transcript before writing anything', () => {
    const store = openStore();
    const meeting = unwrap(store.createMeeting({ title: 'meeting' }));
    unwrap(store.replaceTranscript(meeting.id, transcriptOf(JFK_LINES)));
    const duplicateIds = transcriptOf(['one', 'two']);
    const second = duplicateIds.segments[1];
    if (second !== undefined) second.id = 0;
    expectError(store.replaceTranscript(meeting.id, duplicateIds), 'INVALID_TRANSCRIPT');
    const backwards = transcriptOf(['one']);
    if (backwards.segments[0] !== undefined) backwards.segments[0].end = -1;
    expectError(store.replaceTranscript(meeting.id, backwards), 'INVALID_TRANSCRIPT');
    expectError(store.replaceTranscript('no-such-meeting', transcriptOf(JFK_LINES)), 'MEETING_NOT_FOUND');
    expect(unwrap(store.getTranscript(meeting.id)).segments.map((segment) => segment.text)).toEqual(JFK_LINES);
  });
});

describe('atomic transcript writes', () => {
  const faults = [
    ['a segment insert', `BEFORE INSERT ON segments WHEN new.segment_index = 150`],
    [
      'a word insert',
      `BEFORE INSERT ON words WHEN new.segment_id IN (SELECT id FROM segments WHERE segment_index = 299) AND new.word_index = 3`,
    ],
  ] as const;

  it.each(faults)('a failure midway (at %s) leaves the previous transcript exactly as it was', (_where, trigger) => {
    const dir = tempDir();
    const store = openStore(dir);
    const meeting = unwrap(store.createMeeting({ title: 'atomic' }));
    const before = unwrap(store.replaceTranscript(meeting.id, numberedTranscript(120, 'alpha')));
    const transcriptBefore = unwrap(store.getTranscript(meeting.id));
    const speakersBefore = unwrap(store.listSpeakers(meeting.id));

    // The fault comes from inside SQLite, after part of the new transcript has been written.
    const db = rawConnection(dir);
    db.exec(`CREATE TRIGGER injected_fault ${trigger} BEGIN SELECT RAISE(ABORT, 'injected fault'); END`);
    const failed = store.replaceTranscript(meeting.id, { ...numberedTranscript(300, 'bravo'), language: 'ko', modelId: 'whisper-small' });
    expectError(failed, 'LIBRARY_WRITE_FAILED');
    expect(failed.ok ? '' : failed.error.message).toContain('injected fault');

    expect(unwrap(store.getMeeting(meeting.id))).toEqual(before);
    expect(unwrap(store.getTranscript(meeting.id))).toEqual(transcriptBefore);
    expect(unwrap(store.listSpeakers(meeting.id))).toEqual(speakersBefore);
    expect(unwrap(store.search('bravo'))).toEqual([]);
    expect(unwrap(store.search('alpha', { limit: 500 }))).toHaveLength(120);
    checkIndexes(db);

    db.exec('DROP TRIGGER injected_fault');
    expect(unwrap(store.replaceTranscript(meeting.id, numberedTranscript(300, 'bravo'))).segmentCount).toBe(300);
  });
});

describe('readers during a write', () => {
  it('another connection sees the old transcript while one is being written, then the whole new one', () => {
    const dir = tempDir();
    const db = unwrap(openLibraryDatabase(dir));
    const store = new SqliteLibraryStore(db);
    const meeting = unwrap(store.createMeeting({ title: 'snapshot' }));
    unwrap(store.replaceTranscript(meeting.id, numberedTranscript(200, 'alpha')));

    const reader = rawConnection(dir, { readonly: true });
    const observe = () => ({
      segments: segmentCount(reader, meeting.id),
      alphaHits: reader.prepare(`SELECT count(*) AS n FROM segments_fts WHERE segments_fts MATCH 'alpha'`).get(),
      bravoHits: reader.prepare(`SELECT count(*) AS n FROM segments_fts WHERE segments_fts MATCH 'bravo'`).get(),
      status: reader.prepare('SELECT status FROM meetings WHERE id = ?').get(meeting.id),
    });
    const midway: Array<ReturnType<typeof observe>> = [];
    // Called by SQLite from inside the writer's transaction, after 250 of the 500 new segments are in.
    db.function('observe_midway', () => {
      midway.push(observe());
      return 0;
    });
    db.exec(`CREATE TEMP TRIGGER midway AFTER INSERT ON main.segments WHEN new.segment_index = 249 BEGIN SELECT observe_midway(); END`);
    unwrap(store.updateMeeting(meeting.id, { status: 'transcribing' }));

    unwrap(store.replaceTranscript(meeting.id, numberedTranscript(500, 'bravo')));
    expect(midway).toEqual([{ segments: 200, alphaHits: { n: 200 }, bravoHits: { n: 0 }, status: { status: 'transcribing' } }]);
    expect(observe()).toEqual({ segments: 500, alphaHits: { n: 0 }, bravoHits: { n: 500 }, status: { status: 'ready' } });
  });

  it('a reader thread polling during repeated rewrites only ever sees complete transcripts', async () => {
    const dir = tempDir();
    const store = openStore(dir);
    const meeting = unwrap(store.createMeeting({ title: 'polling' }));
    const versions: Record<string, Transcript> = { alpha: numberedTranscript(400, 'alpha'), bravo: numberedTranscript(250, 'bravo') };
    unwrap(store.replaceTranscript(meeting.id, versions.alpha as Transcript));

    const stop = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(READER_THREAD, {
      eval: true,
      workerData: { sqlite: createRequire(import.meta.url).resolve('better-sqlite3'), file: libraryPath(dir), meetingId: meeting.id, stop },
    });
    const observations = new Promise<Record<string, number>>((resolve, reject) => {
      worker.on('message', (message: { type: string; counts?: Record<string, number> }) => {
        if (message.type === 'done') resolve(message.counts ?? {});
      });
      worker.on('error', reject);
    });
    await new Promise<void>((resolve) => worker.once('message', () => resolve()));

    for (let round = 0; round < 30; round += 1) {
      unwrap(store.replaceTranscript(meeting.id, (round % 2 === 0 ? versions.bravo : versions.alpha) as Transcript));
      await new Promise((resolve) => setImmediate(resolve));
    }
    Atomics.store(stop, 0, 1);
    const seen = await observations;
    await worker.terminate();

    // Keys are the distinct states seen, values how often; timing decides how often each appears, not whether.
    const complete = [JSON.stringify(['alpha', 400, 400]), JSON.stringify(['bravo', 250, 250])];
    expect(Object.values(seen).reduce((sum, count) => sum + count, 0)).toBeGreaterThan(0);
    expect(Object.keys(seen).filter((state) => !complete.includes(state))).toEqual([]);
  });
});

/** Plain CommonJS for an eval'd worker: reads in a loop until told to stop, each read one snapshot. */
const READER_THREAD = `
  const { parentPort, workerData } = require('node:worker_threads');
  const Database = require(workerData.sqlite);
  const db = new Database(workerData.file, { readonly: true });
  const segments = db.prepare("SELECT group_concat(DISTINCT substr(text, 1, 5)) AS markers, count(*) AS segments FROM segments WHERE meeting_id = ?");
  const indexed = db.prepare("SELECT count(*) AS n FROM segments_fts WHERE segments_fts MATCH ?");
  const snapshot = db.transaction(() => {
    const row = segments.get(workerData.meetingId);
    return JSON.stringify([row.markers, row.segments, indexed.get(row.markers ?? 'none').n]);
  });
  const counts = {};
  parentPort.postMessage({ type: 'ready' });
  while (Atomics.load(workerData.stop, 0) === 0) {
    const state = snapshot.deferred();
    counts[state] = (counts[state] ?? 0) + 1;
  }
  db.close();
  parentPort.postMessage({ type: 'done', counts });
`;
