/**
 * The page's bridge client (src-renderer/src/api) against the real bridge: calls and per-channel events,
 * importFiles through uploads, exports handed over as downloads, and a dropped socket that reconnects
 * (a call made while it is down waits and then succeeds).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { RenderedExport, VerbatimApi } from '../../src-shared/ipc-contract';
import type { JobEvent, JobSummary } from '../../src-shared/jobs';
import type { RecordingEvent } from '../../src-shared/recording-events';
import type { AppServices } from '../../src-main/api/types';
import { startBridge, type RunningBridge } from '../../src-main/bridge/bridge-server';
import { createBridgeApi } from '../../src-renderer/src/api/bridge-api';
import { BridgeSocket, type SocketLike } from '../../src-renderer/src/api/bridge-socket';
import { audioFile, makeTempDir } from '../audio/helpers';
import { openTestServices, sessionCookie } from './bridge-helpers';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let services: AppServices;
let bridge: RunningBridge;
let api: VerbatimApi;
let socket: BridgeSocket;
const opened: WebSocket[] = [];
const saved: RenderedExport[] = [];

beforeAll(async () => {
  temp = await makeTempDir('bridge-client');
  services = await openTestServices(path.join(temp.dir, 'data'));
  bridge = await startBridge({ services, rendererDir: path.join(temp.dir, 'no-renderer') });
  const origin = `http://127.0.0.1:${bridge.port}`;
  const cookie = await sessionCookie(bridge);
  // What the browser adds by itself: the session cookie and the page's origin.
  socket = new BridgeSocket(`ws://127.0.0.1:${bridge.port}/ws`, (url) => {
    const created = new WebSocket(url, { headers: { Cookie: cookie, Origin: origin } });
    opened.push(created);
    return created as unknown as SocketLike;
  });
  api = createBridgeApi(socket, {
    baseUrl: origin,
    fetch: (input, init) => fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), Cookie: cookie } }),
    saveExport: (rendered) => saved.push(rendered),
  });
  await socket.start();
});

afterAll(async () => {
  socket?.close();
  await bridge?.close();
  await services?.dispose();
  await temp?.cleanup();
});

function finalJob(jobId: string, events: JobEvent[]): Promise<JobSummary> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('job did not finish')), 240_000);
    const check = (): void => {
      const final = events.find(
        (event) => event.type === 'changed' && event.job.id === jobId && ['succeeded', 'failed', 'cancelled'].includes(event.job.state),
      );
      if (final?.type === 'changed') {
        clearTimeout(timer);
        resolve(final.job);
      } else setTimeout(check, 50);
    };
    check();
  });
}

describe('the page’s bridge client', () => {
  it('imports dropped files by uploading them, sees the job on its channel only, and exports as a download', async () => {
    const jobEvents: JobEvent[] = [];
    const recordingEvents: RecordingEvent[] = [];
    const stopJobs = api.onJobEvent((event) => jobEvents.push(event));
    const stopRecording = api.onRecordingEvent((event) => recordingEvents.push(event));

    const wav = await readFile(audioFile('jfk.wav'));
    const imported = await api.importFiles([new File([wav], 'Inaugural address.wav')]);
    if (!imported.ok) throw new Error(imported.error.message);
    const [job] = imported.value;
    expect(job?.title).toBe('Inaugural address.wav');
    const done = await finalJob(job?.id ?? '', jobEvents);
    expect(done.state).toBe('succeeded');
    expect(recordingEvents).toEqual([]);
    stopJobs();
    stopRecording();

    const exported = await api.exportTranscript(done.meetingId ?? '', 'txt');
    expect(exported).toEqual({ ok: true, value: { savedTo: 'Inaugural address.txt' } });
    const detail = await api.getMeeting(done.meetingId ?? '');
    if (!detail.ok) throw new Error(detail.error.message);
    expect(saved.at(-1)?.content).toContain(detail.value.transcript.segments[0]?.text.trim());

    const mediaUrl = api.mediaUrl(done.meetingId ?? '');
    expect(mediaUrl).toBe(`http://127.0.0.1:${bridge.port}/media/${done.meetingId}`);
    const media = await fetch(mediaUrl, { headers: { Authorization: `Bearer ${bridge.token}` } });
    expect(media.status).toBe(200);
    expect(media.headers.get('content-type')).toBe('audio/ogg');
  }, 260_000);

  it('reports a refused upload with the file’s name and the bridge’s reason', async () => {
    const tooLarge = createBridgeApi(socket, {
      baseUrl: `http://127.0.0.1:${bridge.port}`,
      fetch: async () => new Response(JSON.stringify({ error: { code: 'UPLOAD_TOO_LARGE', message: 'too large' } }), { status: 413 }),
      saveExport: () => undefined,
    });
    const refused = await tooLarge.importFiles([new File(['x'], 'huge.wav')]);
    expect(refused.ok === false && refused.error).toMatchObject({ code: 'UPLOAD_FAILED' });
    expect(refused.ok === false && refused.error.message).toContain('huge.wav (too large)');
  });

  it('reconnects after the socket drops; a call made meanwhile waits and succeeds', async () => {
    const before = opened.length;
    opened.at(-1)?.terminate();
    const settings = await api.getSettings();
    expect(settings.ok).toBe(true);
    expect(opened.length).toBe(before + 1);
    const models = await api.listModels();
    expect(models.ok && models.value.some((model) => model.local)).toBe(true);
  });

  it('answers a bad argument with the engine’s coded error', async () => {
    const result = await api.editSegmentText('no-such-meeting', -1, 'x');
    expect(result.ok === false && result.error.code).toBe('IPC_BAD_REQUEST');
  });
});
