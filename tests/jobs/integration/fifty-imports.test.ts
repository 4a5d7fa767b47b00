/**
 * A folder of 50 recordings in every common container dropped on the queue: each is transcribed by the
 * real child process and stored exactly once, with its playable copy; then search finds a phrase of one
 * of them at its meeting and time.
 */
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Workspace } from '../../../src-main/jobs/workspace';
import { makeTempDir, realDecoder } from '../../audio/helpers';
import { buildImportFolder } from './import-fixtures';
import { enqueuedIds, openTestWorkspace, untilFinal } from './workspace-helpers';

const FILES = 50;
let temp: Awaited<ReturnType<typeof makeTempDir>>;
let files: string[];
let workspace: Workspace;

beforeAll(async () => {
  temp = await makeTempDir('fifty-imports');
  const folder = path.join(temp.dir, 'dropped');
  await import('node:fs/promises').then((fs) => fs.mkdir(folder));
  files = await buildImportFolder(realDecoder(), folder, FILES);
  workspace = await openTestWorkspace(path.join(temp.dir, 'data'));
});

afterAll(async () => {
  await workspace?.close();
  await temp?.cleanup();
});

describe('importing a folder of 50 recordings', () => {
  it('transcribes each file once, stores one meeting per file, and search finds a phrase at its time', async () => {
    const began = performance.now();
    const enqueued = workspace.importFiles(files);
    const acknowledgedMs = performance.now() - began;
    const ids = enqueuedIds(enqueued);
    expect(new Set(ids).size).toBe(FILES);
    // Every file shows in the library at once, queued.
    const listed = workspace.library.listMeetings({ limit: 500 });
    if (!listed.ok) throw new Error(listed.error.message);
    expect(listed.value).toHaveLength(FILES);

    const finished = await untilFinal(workspace, ids, 600_000);
    const seconds = (performance.now() - began) / 1000;
    const states = [...finished.values()].map((job) => job.state);
    const failed = [...finished.values()].filter((job) => job.state !== 'succeeded');
    expect(failed.map((job) => `${job.title}: ${job.lastError?.code} ${job.lastError?.message}`)).toEqual([]);
    expect(states.every((state) => state === 'succeeded')).toBe(true);

    const meetings = workspace.library.listMeetings({ limit: 500 });
    if (!meetings.ok) throw new Error(meetings.error.message);
    expect(meetings.value).toHaveLength(FILES);
    expect(new Set(meetings.value.map((meeting) => meeting.sourceFile))).toEqual(new Set(files));
    let segments = 0;
    for (const meeting of meetings.value) {
      expect(meeting.status).toBe('ready');
      expect(meeting.recordingPath && existsSync(meeting.recordingPath)).toBe(true);
      const transcript = workspace.library.getTranscript(meeting.id);
      if (!transcript.ok) throw new Error(transcript.error.message);
      const keys = transcript.value.segments.map((segment) => `${segment.start}|${segment.text}`);
      expect(new Set(keys).size).toBe(keys.length);
      const segmentIds = transcript.value.segments.map((segment) => segment.id);
      expect(new Set(segmentIds).size).toBe(segmentIds.length);
      segments += transcript.value.segments.length;
    }
    // One attempt each: nothing ran twice.
    expect([...finished.values()].every((job) => job.attempts === 1)).toBe(true);
    const media = await readdir(path.join(temp.dir, 'data', 'media'));
    expect(media.sort()).toEqual(meetings.value.map((meeting) => `${meeting.id}.ogg`).sort());
    expect(await readdir(path.join(temp.dir, 'data', 'tmp', 'jobs'))).toEqual([]);

    // Search: a phrase from the middle of one meeting's transcript finds that meeting and segment time.
    const chosen = meetings.value.find((meeting) => meeting.sourceFile?.endsWith('shared-jfk.flac'));
    if (!chosen) throw new Error('jfk.flac was not imported');
    const transcript = workspace.library.getTranscript(chosen.id);
    if (!transcript.ok) throw new Error(transcript.error.message);
    const target = transcript.value.segments.find((segment) => segment.text.trim().split(/\s+/).length >= 3);
    if (!target) throw new Error('no segment with three words');
    const phrase = target.text.trim().split(/\s+/).slice(0, 3).join(' ');
    const hits = workspace.library.search(phrase, { limit: 500 });
    if (!hits.ok) throw new Error(hits.error.message);
    expect(hits.value).toContainEqual(
      expect.objectContaining({ meetingId: chosen.id, segmentId: target.id, start: target.start, end: target.end }),
    );
    console.log(
      `50 imports (${[...new Set(files.map((file) => path.extname(file)))].join(' ')}): acknowledged in ${acknowledgedMs.toFixed(0)} ms, all done in ${seconds.toFixed(1)} s; ${segments} segments; search "${phrase}" → ${hits.value.length} hits`,
    );
  }, 900_000);
});
