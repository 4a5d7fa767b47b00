/**
 * The app over the bridge, as the browser page uses it, on the real engine (ffmpeg, SQLite, the
 * transcriber child with the generated tiny Whisper): settings and models, an import whose job events
 * arrive over the socket, the library (open, search, edit, export), an upload played back by range.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppSettings, MeetingDetail, ModelEntry, RenderedExport } from '../../src-shared/ipc-contract';
import type { JobEvent, JobSummary } from '../../src-shared/jobs';
import type { MeetingSummary, SearchHit } from '../../src-shared/library';
import type { TranscriptSegment } from '../../src-shared/transcript';
import type { AppServices } from '../../src-main/api/types';
import { startBridge, type RunningBridge } from '../../src-main/bridge/bridge-server';
import { audioFile, makeTempDir } from '../audio/helpers';
import { parseSrtCues } from '../export/parsers';
import { TINY_MULTILINGUAL } from '../support/paths';
import { http, openTestServices, RpcClient, sessionCookie } from './bridge-helpers';

const LOCAL_MODEL_ID = path.basename(TINY_MULTILINGUAL);
const JOB_TIMEOUT_MS = 240_000;

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let services: AppServices;
let bridge: RunningBridge;
let client: RpcClient;
let cookie: string;

beforeAll(async () => {
  temp = await makeTempDir('bridge-round-trip');
  services = await openTestServices(path.join(temp.dir, 'data'));
  bridge = await startBridge({ services, rendererDir: path.join(temp.dir, 'no-renderer') });
  cookie = await sessionCookie(bridge);
  client = await RpcClient.open(bridge.port, { Cookie: cookie, Origin: `http://127.0.0.1:${bridge.port}` });
});

afterAll(async () => {
  client?.close();
  await bridge?.close();
  await services?.dispose();
  await temp?.cleanup();
});

function jobChanged(jobId: string, state: JobSummary['state']): (event: { channel: string; payload: unknown }) => boolean {
  return (event) => event.channel === 'job' && (event.payload as JobEvent).type === 'changed' && isJob(event.payload, jobId, state);
}

function isJob(payload: unknown, jobId: string, state: JobSummary['state']): boolean {
  const event = payload as JobEvent;
  return event.type === 'changed' && event.job.id === jobId && event.job.state === state;
}

/** Waits for the job's final event over the socket and fails with its error if it did not succeed. */
async function untilSucceeded(jobId: string): Promise<JobSummary> {
  const final = await client.waitForEvent(
    (event) =>
      event.channel === 'job' &&
      event.payload.type === 'changed' &&
      event.payload.job.id === jobId &&
      ['succeeded', 'failed', 'cancelled'].includes(event.payload.job.state),
    JOB_TIMEOUT_MS,
  );
  const job = (final.payload as Extract<JobEvent, { type: 'changed' }>).job;
  expect(job.lastError, JSON.stringify(job.lastError)).toBeNull();
  expect(job.state).toBe('succeeded');
  return job;
}

describe('the app over the browser bridge', () => {
  let meetingId: string;
  let firstSegment: TranscriptSegment;

  it('answers settings and models: the local model is the installed default', async () => {
    const settings = await client.value<AppSettings>('getSettings');
    expect(settings).toMatchObject({ modelId: LOCAL_MODEL_ID, language: null, useGpu: true, inputDeviceId: null, monitorDeviceId: null });
    expect(settings.storageDir).toBe(path.join(temp.dir, 'data'));

    const models = await client.value<ModelEntry[]>('listModels');
    const local = models.find((model) => model.id === LOCAL_MODEL_ID);
    expect(local).toMatchObject({ local: true, installed: true, multilingual: true });
    expect(local?.diskBytes).toBeGreaterThan(1_000_000);
    const base = models.find((model) => model.id === 'whisper-base');
    expect(base).toMatchObject({ local: false, installed: false, diskBytes: 0, multilingual: true, parametersMillions: 74 });
    expect(base?.downloadBytes).toBeGreaterThan(10_000_000);
  });

  it(
    'imports a file by path; its job events arrive over the socket until it succeeded',
    async () => {
      const [job] = await client.value<JobSummary[]>('importPaths', [audioFile('jfk.wav')], {});
      if (!job) throw new Error('no job');
      expect(job).toMatchObject({ kind: 'import', state: 'queued', payload: { modelId: LOCAL_MODEL_ID, language: null } });
      const done = await untilSucceeded(job.id);
      expect(
        client.events.some((event) => event.channel === 'job' && event.payload.type === 'progress' && event.payload.jobId === job.id),
      ).toBe(true);
      expect(client.events.some(jobChanged(job.id, 'running'))).toBe(true);
      meetingId = done.meetingId ?? '';

      const meetings = await client.value<MeetingSummary[]>('listMeetings');
      expect(meetings.map((meeting) => meeting.id)).toContain(meetingId);
      const detail = await client.value<MeetingDetail>('getMeeting', meetingId);
      expect(detail.meeting).toMatchObject({ id: meetingId, title: 'jfk', status: 'ready', modelId: LOCAL_MODEL_ID });
      expect(detail.transcript.segments.length).toBe(detail.meeting.segmentCount);
      expect(detail.transcript.segments.length).toBeGreaterThan(0);
      expect(detail.speakers).toEqual([]);
      firstSegment = detail.transcript.segments[0] as TranscriptSegment;
    },
    JOB_TIMEOUT_MS + 10_000,
  );

  it('edits a segment, finds it by search, and the edit persists into the export', async () => {
    const edited = await client.value<TranscriptSegment>(
      'editSegmentText',
      meetingId,
      firstSegment.id,
      'Ask not what your country can do for you',
    );
    expect(edited).toMatchObject({ id: firstSegment.id, text: 'Ask not what your country can do for you' });
    const again = await client.value<MeetingDetail>('getMeeting', meetingId);
    expect(again.transcript.segments[0]?.text).toBe('Ask not what your country can do for you');

    const hits = await client.value<SearchHit[]>('searchLibrary', 'country');
    expect(hits.map((hit) => [hit.meetingId, hit.segmentId])).toContainEqual([meetingId, firstSegment.id]);

    const exported = await client.value<RenderedExport>('renderExport', meetingId, 'srt');
    expect(exported.fileName).toBe('jfk.srt');
    expect(exported.mimeType).toMatch(/^application\/x-subrip/);
    const cues = parseSrtCues(exported.content);
    expect(cues.length).toBeGreaterThanOrEqual(again.transcript.segments.filter((segment) => segment.text.trim() !== '').length);
    expect(cues[0]?.lines.join(' ')).toContain('Ask not what your country');
    expect(cues[0]?.startMs).toBe(Math.round(firstSegment.start * 1000));
  });

  it(
    'uploads a file, imports it, then plays it back by byte range',
    async () => {
      const wav = await readFile(audioFile('jfk.wav'));
      const upload = await http(bridge.port, {
        method: 'POST',
        path: '/upload?name=../Kennedy%20speech.wav',
        headers: { Cookie: cookie },
        body: wav,
      });
      expect(upload.status).toBe(200);
      const { path: uploaded } = JSON.parse(upload.body.toString()) as { path: string };
      expect(path.basename(uploaded)).toBe('Kennedy speech.wav');
      expect(path.relative(services.uploadsDir, uploaded).startsWith('..')).toBe(false);
      expect(await readFile(uploaded)).toEqual(wav);

      const [job] = await client.value<JobSummary[]>('importPaths', [uploaded]);
      if (!job) throw new Error('no job');
      const done = await untilSucceeded(job.id);
      const media = services.mediaPath(done.meetingId ?? '');
      if (!media.ok) throw new Error(media.error.message);
      expect(path.extname(media.value)).toBe('.ogg');
      const mediaBytes = await readFile(media.value);

      const ranged = await http(bridge.port, { path: `/media/${done.meetingId}`, headers: { Cookie: cookie, Range: 'bytes=100-1099' } });
      expect(ranged.status).toBe(206);
      expect(ranged.headers['content-type']).toBe('audio/ogg');
      expect(ranged.headers['content-range']).toBe(`bytes 100-1099/${mediaBytes.length}`);
      expect(ranged.body).toEqual(mediaBytes.subarray(100, 1100));
      const tail = await http(bridge.port, { path: `/media/${done.meetingId}`, headers: { Cookie: cookie, Range: 'bytes=-500' } });
      expect(tail.status).toBe(206);
      expect(tail.body).toEqual(mediaBytes.subarray(mediaBytes.length - 500));
      const whole = await http(bridge.port, { path: `/media/${done.meetingId}`, headers: { Cookie: cookie } });
      expect(whole.status).toBe(200);
      expect(whole.body).toEqual(mediaBytes);
      const outside = await http(bridge.port, {
        path: `/media/${done.meetingId}`,
        headers: { Cookie: cookie, Range: `bytes=${mediaBytes.length}-` },
      });
      expect(outside.status).toBe(416);
      expect((await http(bridge.port, { path: '/media/no-such-meeting', headers: { Cookie: cookie } })).status).toBe(404);

      // The library keeps its own media copy: the upload's folder is gone once the import succeeded.
      await expect.poll(async () => (await readdir(services.uploadsDir)).length, { timeout: 5_000 }).toBe(0);
      expect((await stat(media.value)).isFile()).toBe(true);

      // Deleting the meeting takes the library's media copy with it.
      expect(await client.call('deleteMeeting', done.meetingId)).toEqual({ ok: true, value: undefined });
      expect((await client.value<MeetingSummary[]>('listMeetings')).map((meeting) => meeting.id)).not.toContain(done.meetingId);
      await expect(stat(media.value)).rejects.toThrow(/ENOENT/);
      expect((await http(bridge.port, { path: `/media/${done.meetingId}`, headers: { Cookie: cookie } })).status).toBe(404);
    },
    JOB_TIMEOUT_MS + 10_000,
  );

  it('says how to build the renderer when it is missing', async () => {
    const page = await http(bridge.port, { path: '/', headers: { Cookie: cookie } });
    expect(page.status).toBe(503);
    expect(page.body.toString()).toContain('npm run build');
  });

  it('answers an unknown method and a malformed message with an error, and stays usable', async () => {
    const unknown = await client.call('formatDisk');
    expect(unknown.ok === false && unknown.error.code).toBe('IPC_UNKNOWN_METHOD');
    client.sendRaw('{not json');
    await expect.poll(() => client.unmatched.length, { timeout: 5_000 }).toBe(1);
    expect(client.unmatched[0]).toMatchObject({ id: null, result: { ok: false, error: { code: 'IPC_BAD_REQUEST' } } });
    const bad = await client.call('getMeeting', 42);
    expect(bad.ok === false && bad.error.code).toBe('IPC_BAD_REQUEST');
    expect((await client.call('listJobs')).ok).toBe(true);
  });
});
