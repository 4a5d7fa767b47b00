/**
 * The import handler end to end on real parts: ffprobe/ffmpeg, the SQLite library, and the generated
 * tiny Whisper running in the real transcriber child process.
 */
import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobResult } from '../../../src-shared/jobs';
import type { Result } from '../../../src-shared/result';
import type { FfmpegAudioDecoder } from '../../../src-main/audio/decoder';
import { createJobHandlers } from '../../../src-main/jobs/handlers';
import { ChildTranscriber } from '../../../src-main/jobs/transcriber-process/child-transcriber';
import type { JobHandler, JobHandlers } from '../../../src-main/jobs/types';
import type { SqliteLibraryStore } from '../../../src-main/library/sqlite-library-store';
import { audioFile, bestCorrelation, decodeAll, ffmpeg, makeTempDir, realDecoder } from '../../audio/helpers';
import { TINY_MULTILINGUAL } from '../../support/paths';
import { contextFor, eventually, filesIn, isRunning, jobOf, openTestLibrary, processesMentioning } from './handler-fixtures';

let root: string;
let cleanup: () => Promise<void>;
let decoder: FfmpegAudioDecoder;
let library: SqliteLibraryStore;
let transcriber: ChildTranscriber;
let handlers: JobHandlers;
let importJob: JobHandler;
let mediaDir: string;
const bad: Record<string, string> = {};
let twentyMinutes: string;
let speech: string;

function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

/** A meeting as the app creates it when it enqueues an import, so the handler's status changes show. */
function queuedMeeting(title: string): string {
  return unwrap(library.createMeeting({ id: randomUUID(), title, status: 'queued' })).id;
}

beforeAll(async () => {
  ({ dir: root, cleanup } = await makeTempDir('import-handler'));
  decoder = realDecoder();
  library = openTestLibrary(path.join(root, 'library'));
  mediaDir = path.join(root, 'media');
  const ffmpegPath = decoder.binaries.ffmpeg.path;
  transcriber = new ChildTranscriber({
    modelsDir: path.join(root, 'models'),
    device: 'cpu',
    ffmpegPath,
    ffprobePath: decoder.binaries.ffprobe.path,
  });
  handlers = createJobHandlers({ library, decoder, transcriber, mediaDir, ffmpegPath, defaults: { modelDir: TINY_MULTILINGUAL } });
  importJob = handlers.import as JobHandler;

  const file = (name: string): string => path.join(root, name);
  const wav = await readFile(audioFile('jfk.wav'));
  bad.FILE_NOT_FOUND = file('missing.wav');
  bad.FILE_EMPTY = file('empty.wav');
  await writeFile(bad.FILE_EMPTY, '');
  bad.TRUNCATED_OR_CORRUPT = file('header-cut.wav');
  await writeFile(bad.TRUNCATED_OR_CORRUPT, wav.subarray(0, 30));
  bad.NOT_MEDIA = file('notes.mp3');
  await writeFile(bad.NOT_MEDIA, 'These are meeting notes, not audio.\n'.repeat(40));
  bad.NO_AUDIO_STREAM = file('video-only.mp4');
  // A WAVE format tag no ffmpeg knows: the header is fine, the codec is not decodable.
  const unknownCodec = Buffer.from(wav);
  unknownCodec.writeUInt16LE(0x7777, 20);
  bad.UNSUPPORTED_CODEC = file('unknown-codec.wav');
  await writeFile(bad.UNSUPPORTED_CODEC, unknownCodec);
  twentyMinutes = file('twenty-minutes.wav');
  speech = file('speech-88s.wav');
  await Promise.all([
    ffmpeg(decoder, ['-f', 'lavfi', '-i', 'testsrc=size=64x64:rate=5:duration=2', '-c:v', 'mpeg4', bad.NO_AUDIO_STREAM]),
    ffmpeg(decoder, ['-f', 'lavfi', '-i', 'sine=frequency=440:duration=1200:sample_rate=16000', '-ac', '1', twentyMinutes]),
    ffmpeg(decoder, ['-stream_loop', '7', '-i', audioFile('jfk.wav'), '-c:a', 'pcm_s16le', speech]),
  ]);
}, 120_000);

afterAll(async () => {
  await transcriber?.dispose();
  library?.close();
  await cleanup?.();
});

describe('import handler', () => {
  let firstRun: { meetingId: string; segmentIds: number[]; segmentCount: number; job: ReturnType<typeof jobOf> };

  it('imports jfk.wav: one ready meeting with segments and a playable Opus copy of the file', async () => {
    const meetingId = randomUUID();
    const job = jobOf({ kind: 'import', path: audioFile('jfk.wav'), language: 'en' }, meetingId);
    const { context, progress, tempDir } = await contextFor(job, root);
    const result = await importJob(context);
    const value = unwrap(result) as Extract<JobResult, { segmentCount: number }>;
    expect(value).toMatchObject({ kind: 'import', meetingId });

    const meeting = unwrap(library.getMeeting(meetingId));
    const mediaPath = path.join(mediaDir, `${meetingId}.ogg`);
    expect(meeting).toMatchObject({
      status: 'ready',
      title: 'jfk',
      sourceFile: audioFile('jfk.wav'),
      recordingPath: mediaPath,
      modelId: 'tiny-random-whisper',
    });
    expect(meeting.segmentCount).toBeGreaterThan(0);
    expect(meeting.segmentCount).toBe(value.segmentCount);
    expect(meeting.duration).toBeCloseTo(11, 0);

    const media = unwrap(await decoder.probe(mediaPath));
    expect(media).toMatchObject({ codec: 'opus', channels: 1 });
    expect(media.durationSeconds).toBeCloseTo(11, 0);
    const original = await decodeAll(decoder, audioFile('jfk.wav'));
    const copy = await decodeAll(decoder, mediaPath);
    expect(Math.abs(copy.length - original.length)).toBeLessThan(16000 * 0.1);
    expect(bestCorrelation(original, copy)).toBeGreaterThan(0.9);

    const stages = progress.map((entry) => entry.stage).filter((stage) => stage !== 'load-model');
    expect(stages.filter((stage, index) => stages[index - 1] !== stage)).toEqual(['validate', 'decode', 'transcribe', 'store']);
    for (let index = 1; index < progress.length; index += 1) {
      expect(progress[index]?.progress).toBeGreaterThanOrEqual(progress[index - 1]?.progress ?? 0);
    }
    expect(progress.at(-1)?.progress).toBe(100);
    expect(await filesIn(tempDir)).toEqual([]);

    const transcript = unwrap(library.getTranscript(meetingId));
    firstRun = { meetingId, job, segmentCount: meeting.segmentCount, segmentIds: transcript.segments.map((segment) => segment.id) };
  }, 120_000);

  it('rerunning the same job replaces the meeting’s transcript and media, never doubles them', async () => {
    expect(firstRun).toBeDefined();
    const { context, tempDir } = await contextFor(firstRun.job, root);
    const result = await importJob(context);
    expect(unwrap(result)).toMatchObject({ kind: 'import', meetingId: firstRun.meetingId, segmentCount: firstRun.segmentCount });

    const meetings = unwrap(library.listMeetings()).filter((meeting) => meeting.sourceFile === audioFile('jfk.wav'));
    expect(meetings.map((meeting) => meeting.id)).toEqual([firstRun.meetingId]);
    expect(meetings[0]?.segmentCount).toBe(firstRun.segmentCount);
    const transcript = unwrap(library.getTranscript(firstRun.meetingId));
    expect(transcript.segments.map((segment) => segment.id)).toEqual(firstRun.segmentIds);
    expect((await filesIn(mediaDir)).filter((name) => name.includes(firstRun.meetingId))).toEqual([`${firstRun.meetingId}.ogg`]);
    expect(await filesIn(tempDir)).toEqual([]);
  }, 120_000);

  it.each(['FILE_NOT_FOUND', 'FILE_EMPTY', 'TRUNCATED_OR_CORRUPT', 'NOT_MEDIA', 'NO_AUDIO_STREAM', 'UNSUPPORTED_CODEC'])(
    'fails a %s input within 5 s with that code, naming the file, and marks its meeting failed',
    async (code) => {
      const file = bad[code] as string;
      const meetingId = queuedMeeting(path.basename(file));
      const { context, tempDir } = await contextFor(jobOf({ kind: 'import', path: file }, meetingId), root);
      const started = Date.now();
      const result = await importJob(context);
      expect(Date.now() - started).toBeLessThan(5000);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error.code).toBe(code);
      expect(result.error.subject).toBe(file);
      expect(result.error.message).toContain(file);
      expect(unwrap(library.getMeeting(meetingId)).status).toBe('failed');
      expect(await filesIn(tempDir)).toEqual([]);
      expect((await filesIn(mediaDir)).some((name) => name.includes(meetingId))).toBe(false);
    },
  );

  it('cancelled while extracting the audio: CANCELLED promptly, ffmpeg gone, nothing left behind', async () => {
    const meetingId = queuedMeeting('twenty minutes');
    let abortedAt = 0;
    let ffmpegBeforeCancel = 0;
    const job = jobOf({ kind: 'import', path: twentyMinutes }, meetingId);
    const { context, controller, tempDir } = await contextFor(job, root, (progress, stage) => {
      // ffmpeg has reported encoding progress: it is mid-file.
      if (stage === 'decode' && progress > 2 && abortedAt === 0) {
        ffmpegBeforeCancel = processesMentioning(twentyMinutes).length;
        abortedAt = Date.now();
        controller.abort();
      }
    });
    const result = await importJob(context);
    const cancelMs = Date.now() - abortedAt;
    console.log(`import handler: cancel during audio extraction answered in ${cancelMs} ms`);
    expect(abortedAt).toBeGreaterThan(0);
    // The process check sees the running ffmpeg, so its "none left" below means something.
    expect(ffmpegBeforeCancel).toBe(1);
    // ffmpeg is killed, not waited for: the rest of a 20-minute encode would take many seconds.
    expect(cancelMs).toBeLessThan(4000);
    expect(result.ok ? 'ok' : result.error.code).toBe('CANCELLED');
    expect(await eventually(() => processesMentioning(twentyMinutes).length === 0, 2000)).toBe(true);
    expect(await filesIn(tempDir)).toEqual([]);
    expect((await filesIn(mediaDir)).some((name) => name.includes(meetingId))).toBe(false);
    expect(unwrap(library.getMeeting(meetingId)).status).toBe('queued');
  }, 60_000);

  it('cancelled while transcribing: CANCELLED promptly, no ffmpeg or temp file left, and the next import works', async () => {
    const meetingId = queuedMeeting('speech');
    let abortedAt = 0;
    const job = jobOf({ kind: 'import', path: speech, language: 'en' }, meetingId);
    const { context, controller, tempDir } = await contextFor(job, root, (progress, stage) => {
      // Past the stage's start: the child has reported its own progress, so it is working on the file.
      if (stage === 'transcribe' && progress > 20 && abortedAt === 0) {
        abortedAt = Date.now();
        controller.abort();
      }
    });
    const result = await importJob(context);
    const cancelMs = Date.now() - abortedAt;
    console.log(`import handler: cancel during transcription answered in ${cancelMs} ms`);
    expect(abortedAt).toBeGreaterThan(0);
    expect(cancelMs).toBeLessThan(4000);
    expect(result.ok ? 'ok' : result.error.code).toBe('CANCELLED');
    expect(await eventually(() => processesMentioning(tempDir).length === 0, 2000)).toBe(true);
    expect(await filesIn(tempDir)).toEqual([]);
    expect((await filesIn(mediaDir)).some((name) => name.includes(meetingId))).toBe(false);
    expect(unwrap(library.getMeeting(meetingId)).status).toBe('queued');

    const again = await contextFor(jobOf({ kind: 'import', path: audioFile('jfk.wav'), title: 'again' }, randomUUID()), root);
    expect(unwrap(await importJob(again.context)).kind).toBe('import');
  }, 120_000);

  it('a transcriber process killed mid-import fails the attempt as ENGINE_PROCESS_DIED (transient: the meeting stays transcribing)', async () => {
    const meetingId = queuedMeeting('crash');
    let killed = false;
    const job = jobOf({ kind: 'import', path: speech, language: 'en' }, meetingId);
    const { context, tempDir } = await contextFor(job, root, (progress, stage) => {
      if (stage === 'transcribe' && progress > 20 && !killed && transcriber.pid !== null) {
        killed = true;
        process.kill(transcriber.pid, 'SIGKILL');
      }
    });
    const result = await importJob(context);
    expect(killed).toBe(true);
    expect(result.ok ? 'ok' : result.error.code).toBe('ENGINE_PROCESS_DIED');
    expect(result.ok ? '' : result.error.message).toContain('SIGKILL');
    expect(result.ok ? '' : result.error.subject).toBe(speech);
    expect(unwrap(library.getMeeting(meetingId)).status).toBe('transcribing');
    expect(await filesIn(tempDir)).toEqual([]);
    expect(await eventually(() => processesMentioning(tempDir).length === 0, 2000)).toBe(true);

    // The retry (here: the same job's next attempt) gets a fresh process and finishes the import.
    const retry = await contextFor(job, root);
    expect(unwrap(await importJob(retry.context))).toMatchObject({ kind: 'import', meetingId });
    expect(unwrap(library.getMeeting(meetingId)).status).toBe('ready');
  }, 120_000);

  it('dispose ends the transcriber child and leaves no process of this test running', async () => {
    const pid = transcriber.pid;
    expect(pid).not.toBeNull();
    await transcriber.dispose();
    expect(transcriber.pid).toBeNull();
    expect(isRunning(pid as number)).toBe(false);
    expect(await eventually(() => processesMentioning(root).length === 0, 2000)).toBe(true);
    const afterDispose = await importJob(
      (await contextFor(jobOf({ kind: 'import', path: audioFile('jfk.wav') }, randomUUID()), root)).context,
    );
    expect(afterDispose.ok ? 'ok' : afterDispose.error.code).toBe('ENGINE_DISPOSED');
  }, 60_000);
});
