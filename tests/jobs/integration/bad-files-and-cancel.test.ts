/**
 * The queue as users meet it, on the real workspace: broken files dropped behind a long import say why
 * within 5 s each while the import goes on; an import whose engine process dies is retried and succeeds;
 * cancelling during decode and during transcription leaves nothing behind.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobEvent, JobSummary } from '../../../src-shared/jobs';
import { ChildTranscriber } from '../../../src-main/jobs/transcriber-process/child-transcriber';
import type { Workspace } from '../../../src-main/jobs/workspace';
import { audioFile, ffmpeg, makeTempDir, realDecoder } from '../../audio/helpers';
import { enqueuedIds, openTestWorkspace, untilFinal } from './workspace-helpers';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
const bad: Record<string, string> = {};
let longSpeech: string;
let longTone: string;
const opened: Workspace[] = [];

beforeAll(async () => {
  temp = await makeTempDir('queue-bad-files');
  const file = (name: string): string => path.join(temp.dir, name);
  const decoder = realDecoder();
  const wav = await readFile(audioFile('jfk.wav'));
  bad.FILE_NOT_FOUND = file('missing.wav');
  bad.FILE_EMPTY = file('empty.m4a');
  await writeFile(bad.FILE_EMPTY, '');
  bad.TRUNCATED_OR_CORRUPT = file('cut-header.wav');
  await writeFile(bad.TRUNCATED_OR_CORRUPT, wav.subarray(0, 30));
  bad.NOT_MEDIA = file('minutes.mp3');
  await writeFile(bad.NOT_MEDIA, 'Minutes of the meeting, typed, not recorded.\n'.repeat(50));
  const unknownCodec = Buffer.from(wav);
  unknownCodec.writeUInt16LE(0x7777, 20);
  bad.UNSUPPORTED_CODEC = file('strange-codec.wav');
  await writeFile(bad.UNSUPPORTED_CODEC, unknownCodec);
  bad.NO_AUDIO_STREAM = file('screen-only.mp4');
  longSpeech = file('long-speech.wav');
  longTone = file('twenty-minutes.wav');
  await Promise.all([
    ffmpeg(decoder, ['-f', 'lavfi', '-i', 'testsrc=size=64x64:rate=5:duration=2', '-c:v', 'mpeg4', bad.NO_AUDIO_STREAM]),
    ffmpeg(decoder, ['-stream_loop', '7', '-i', audioFile('jfk.wav'), '-c:a', 'pcm_s16le', longSpeech]),
    ffmpeg(decoder, ['-f', 'lavfi', '-i', 'sine=frequency=440:duration=1200:sample_rate=16000', '-ac', '1', longTone]),
  ]);
}, 120_000);

afterAll(async () => {
  for (const workspace of opened) await workspace.close();
  await temp?.cleanup();
});

async function workspaceIn(name: string, options: Parameters<typeof openTestWorkspace>[1] = {}): Promise<Workspace> {
  const workspace = await openTestWorkspace(path.join(temp.dir, name), options);
  opened.push(workspace);
  return workspace;
}

function firstEvent(workspace: Workspace, matches: (event: JobEvent) => boolean, timeoutMs: number): Promise<JobEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no such event')), timeoutMs);
    const unsubscribe = workspace.jobs.onEvent((event) => {
      if (!matches(event)) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(event);
    });
  });
}

describe('the import queue on the real workspace', () => {
  it('fails each broken file within 5 s with its own code naming it, while a long import goes on', async () => {
    const workspace = await workspaceIn('bad-files');
    const [longJob] = enqueuedIds(workspace.importFiles([longSpeech]));
    await firstEvent(workspace, (event) => event.type === 'progress' && event.stage === 'transcribe', 60_000);

    const failedAt = new Map<string, number>();
    const unsubscribe = workspace.jobs.onEvent((event) => {
      if (event.type === 'changed' && event.job.state === 'failed') failedAt.set(event.job.id, performance.now());
    });
    const enqueuedAt = performance.now();
    const codes = Object.keys(bad);
    const ids = enqueuedIds(workspace.importFiles(codes.map((code) => bad[code] as string)));
    const failed = await untilFinal(workspace, ids, 30_000);
    unsubscribe();
    const long = workspace.jobs.get(longJob as string);
    // The long import was still at work when the last broken file had been reported.
    expect(long.ok && long.value.state).toBe('running');

    const report: string[] = [];
    codes.forEach((code, index) => {
      const job = failed.get(ids[index] as string) as JobSummary;
      const seconds = ((failedAt.get(job.id) ?? Infinity) - enqueuedAt) / 1000;
      report.push(`${code} ${seconds.toFixed(2)} s`);
      expect(job.state).toBe('failed');
      expect(job.lastError?.code).toBe(code);
      expect(job.lastError?.subject).toBe(bad[code]);
      expect(job.lastError?.message).toContain(path.basename(bad[code] as string));
      expect(seconds).toBeLessThan(5);
      expect(job.attempts).toBe(0);
      const meeting = workspace.library.getMeeting(job.meetingId as string);
      expect(meeting.ok && meeting.value.status).toBe('failed');
    });
    expect(new Set([...failed.values()].map((job) => job.lastError?.code)).size).toBe(codes.length);

    const done = (await untilFinal(workspace, [longJob as string], 300_000)).get(longJob as string) as JobSummary;
    expect(done.state).toBe('succeeded');
    console.log(`broken files behind a running import, reported after: ${report.join(', ')}`);
  }, 420_000);

  it('retries an import whose engine process was killed, and it succeeds on the next attempt', async () => {
    const transcriber = new ChildTranscriber({ device: 'cpu' });
    const workspace = await workspaceIn('engine-died', {
      adapters: { transcriber },
      backoff: { maxAttempts: 3, baseDelayMs: 500, maxDelayMs: 2000 },
    });
    const [jobId] = enqueuedIds(workspace.importFiles([longSpeech]));
    await firstEvent(workspace, (event) => event.type === 'progress' && event.stage === 'transcribe' && event.progress > 30, 120_000);
    const pid = transcriber.pid;
    expect(pid).not.toBeNull();
    process.kill(pid as number, 'SIGKILL');
    const retry = (await firstEvent(workspace, (event) => event.type === 'changed' && event.job.state === 'queued', 10_000)) as Extract<
      JobEvent,
      { type: 'changed' }
    >;
    expect(retry.job.lastError?.code).toBe('ENGINE_PROCESS_DIED');
    expect(Date.parse(retry.job.nextRunAt as string) - Date.parse(retry.job.updatedAt)).toBe(500);
    const done = (await untilFinal(workspace, [jobId as string], 300_000)).get(jobId as string) as JobSummary;
    expect(done.state).toBe('succeeded');
    expect(done.attempts).toBe(2);
    const transcript = workspace.library.getTranscript(done.meetingId as string);
    expect(transcript.ok && transcript.value.segments.length).toBeGreaterThan(3);
  }, 420_000);

  it.each(['decode', 'transcribe'])(
    'cancels during %s: state cancelled, no temp or media file, no empty meeting',
    async (stage) => {
      const workspace = await workspaceIn(`cancel-${stage}`);
      const [jobId] = enqueuedIds(workspace.importFiles([stage === 'decode' ? longTone : longSpeech]));
      await firstEvent(
        workspace,
        (event) => event.type === 'progress' && event.stage === stage && event.progress > (stage === 'decode' ? 3 : 25),
        120_000,
      );
      const asked = performance.now();
      expect(workspace.jobs.cancel(jobId as string).ok).toBe(true);
      const job = (await untilFinal(workspace, [jobId as string], 10_000)).get(jobId as string) as JobSummary;
      const tookMs = performance.now() - asked;
      expect(job.state).toBe('cancelled');
      const dataDir = path.join(temp.dir, `cancel-${stage}`);
      expect(await readdir(path.join(dataDir, 'tmp', 'jobs'))).toEqual([]);
      expect(await readdir(path.join(dataDir, 'media')).catch(() => [])).toEqual([]);
      const meetings = workspace.library.listMeetings();
      expect(meetings.ok && meetings.value).toEqual([]);
      console.log(`cancel during ${stage}: cancelled in ${tookMs.toFixed(0)} ms`);
    },
    300_000,
  );
});
