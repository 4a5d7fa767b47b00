/**
 * Re-transcribe and export handlers on a real library, with tiny Whisper in the real transcriber child
 * process: a re-transcription replaces the transcript; an export writes files that independent
 * parsers read, all or nothing.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobResult } from '../../../src-shared/jobs';
import type { Result } from '../../../src-shared/result';
import type { FfmpegAudioDecoder } from '../../../src-main/audio/decoder';
import { ChildTranscriber } from '../../../src-main/jobs/transcriber-process/child-transcriber';
import { createJobHandlers } from '../../../src-main/jobs/handlers';
import type { JobHandler, JobHandlers } from '../../../src-main/jobs/types';
import type { SqliteLibraryStore } from '../../../src-main/library/sqlite-library-store';
import { audioFile, makeTempDir, realDecoder } from '../../audio/helpers';
import { parseSrtCues, parseVttCues } from '../../export/parsers';
import { TINY_MULTILINGUAL } from '../../support/paths';
import { contextFor, filesIn, jobOf, openTestLibrary } from './handler-fixtures';

let root: string;
let cleanup: () => Promise<void>;
let decoder: FfmpegAudioDecoder;
let library: SqliteLibraryStore;
let transcriber: ChildTranscriber;
let handlers: JobHandlers;
let meetingId: string;

function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

const run = async (
  kind: 'import' | 'retranscribe' | 'export',
  job: ReturnType<typeof jobOf>,
): Promise<{ result: Result<JobResult>; tempDir: string }> => {
  const { context, tempDir } = await contextFor(job, root);
  return { result: await (handlers[kind] as JobHandler)(context), tempDir };
};

beforeAll(async () => {
  ({ dir: root, cleanup } = await makeTempDir('retranscribe-export'));
  decoder = realDecoder();
  library = openTestLibrary(path.join(root, 'library'));
  const ffmpegPath = decoder.binaries.ffmpeg.path;
  transcriber = new ChildTranscriber({
    modelsDir: path.join(root, 'models'),
    device: 'cpu',
    ffmpegPath,
    ffprobePath: decoder.binaries.ffprobe.path,
  });
  handlers = createJobHandlers({
    library,
    decoder,
    transcriber,
    mediaDir: path.join(root, 'media'),
    ffmpegPath,
    defaults: { modelDir: TINY_MULTILINGUAL },
  });
  meetingId = randomUUID();
  unwrap(
    (await run('import', jobOf({ kind: 'import', path: audioFile('jfk.wav'), title: 'Ask not: a speech', language: 'en' }, meetingId)))
      .result,
  );
}, 120_000);

afterAll(async () => {
  await transcriber?.dispose();
  library?.close();
  await cleanup?.();
});

describe('re-transcribe handler', () => {
  it('transcribes the meeting’s media again with another language and replaces the transcript', async () => {
    const before = unwrap(library.getMeeting(meetingId));
    expect(before.language).toBe('en');
    const { result } = await run('retranscribe', jobOf({ kind: 'retranscribe', meetingId, language: 'ko' }, meetingId));
    const value = unwrap(result);
    expect(value).toMatchObject({ kind: 'retranscribe', meetingId });
    const after = unwrap(library.getMeeting(meetingId));
    expect(after).toMatchObject({ status: 'ready', language: 'ko', recordingPath: before.recordingPath, title: before.title });
    expect(after.segmentCount).toBe(value.kind === 'retranscribe' ? value.segmentCount : -1);
    expect(unwrap(library.getTranscript(meetingId)).segments.map((segment) => segment.id)).toEqual(
      Array.from({ length: after.segmentCount }, (_, index) => index),
    );
    expect(unwrap(library.listMeetings()).map((meeting) => meeting.id)).toEqual([meetingId]);
  }, 120_000);

  it('fails with the probe’s error when the media file is gone, and marks the meeting failed', async () => {
    const lost = unwrap(library.createMeeting({ title: 'lost', recordingPath: path.join(root, 'nowhere.ogg'), status: 'ready' }));
    const { result } = await run('retranscribe', jobOf({ kind: 'retranscribe', meetingId: lost.id }, lost.id));
    expect(result.ok ? 'ok' : result.error.code).toBe('FILE_NOT_FOUND');
    expect(unwrap(library.getMeeting(lost.id)).status).toBe('failed');
    library.deleteMeeting(lost.id);
  });
});

describe('export handler', () => {
  it('writes srt and vtt named after the meeting that independent parsers read, and nothing else', async () => {
    const outDir = path.join(root, 'exports', 'nested');
    const { result } = await run('export', jobOf({ kind: 'export', meetingId, formats: ['srt', 'vtt'], outDir }, meetingId));
    const value = unwrap(result);
    const expected = ['srt', 'vtt'].map((extension) => path.join(outDir, `Ask not_ a speech.${extension}`));
    expect(value).toEqual({ kind: 'export', meetingId, files: expected });
    expect((await filesIn(outDir)).sort()).toEqual(expected.map((file) => path.basename(file)));

    const transcript = unwrap(library.getTranscript(meetingId));
    const spoken = transcript.segments.filter((segment) => segment.text.trim() !== '');
    expect(spoken.length).toBeGreaterThan(0);
    const srtCues = parseSrtCues(await readFile(expected[0] as string, 'utf8'));
    const vtt = parseVttCues(await readFile(expected[1] as string, 'utf8'));
    expect(vtt.errors).toEqual([]);
    for (const cues of [srtCues, vtt.cues]) {
      expect(cues.length).toBeGreaterThanOrEqual(spoken.length);
      expect(cues[0]?.startMs).toBeCloseTo((spoken[0]?.start ?? -1) * 1000, -1);
      expect(cues.at(-1)?.endMs).toBeLessThanOrEqual(transcript.duration * 1000 + 1);
    }
  });

  it('writes nothing when cancelled', async () => {
    const outDir = path.join(root, 'cancelled-export');
    const job = jobOf({ kind: 'export', meetingId, formats: ['txt', 'srt', 'vtt', 'json', 'md'], outDir }, meetingId);
    const { context, controller } = await contextFor(job, root, (progress) => {
      if (progress > 0) controller.abort();
    });
    const result = await (handlers.export as JobHandler)(context);
    expect(result.ok ? 'ok' : result.error.code).toBe('CANCELLED');
    expect(await filesIn(outDir)).toEqual([]);
  });

  it('refuses a meeting with no transcript yet', async () => {
    const pending = unwrap(library.createMeeting({ title: 'pending', status: 'queued' }));
    const { result } = await run(
      'export',
      jobOf({ kind: 'export', meetingId: pending.id, formats: ['txt'], outDir: path.join(root, 'none') }, pending.id),
    );
    expect(result.ok ? 'ok' : result.error.code).toBe('MEETING_NOT_TRANSCRIBED');
    library.deleteMeeting(pending.id);
  });
});
