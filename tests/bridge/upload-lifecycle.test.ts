/**
 * Uploads do not pile up: an upload whose import failed or was cancelled is removed like one whose import
 * succeeded; at start (and hourly) anything older than a day that no waiting import names is swept; and
 * the total of pending uploads is capped with a coded error (507 UPLOADS_FULL).
 */
import { mkdir, readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobEvent, JobSummary } from '../../src-shared/jobs';
import type { AppServices } from '../../src-main/api/types';
import { sweepUploads } from '../../src-main/api/upload-sweeper';
import { startBridge, type RunningBridge } from '../../src-main/bridge/bridge-server';
import { audioFile, makeTempDir } from '../audio/helpers';
import { http, openTestServices, RpcClient, sessionCookie } from './bridge-helpers';

const DAY_MS = 24 * 60 * 60 * 1000;
let temp: Awaited<ReturnType<typeof makeTempDir>>;
let dataDir: string;
let services: AppServices;
let bridge: RunningBridge;
let client: RpcClient;
let cookie: string;

async function upload(
  name: string,
  body: Buffer | string,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: Record<string, unknown> }> {
  const answer = await http(bridge.port, {
    method: 'POST',
    path: `/upload?name=${encodeURIComponent(name)}`,
    headers: { Cookie: cookie, ...headers },
    body,
  });
  return { status: answer.status, json: JSON.parse(answer.body.toString()) as Record<string, unknown> };
}

async function ended(jobId: string): Promise<JobSummary> {
  const event = await client.waitForEvent(
    (candidate) =>
      candidate.channel === 'job' &&
      candidate.payload.type === 'changed' &&
      candidate.payload.job.id === jobId &&
      ['succeeded', 'failed', 'cancelled'].includes(candidate.payload.job.state),
    60_000,
  );
  return (event.payload as Extract<JobEvent, { type: 'changed' }>).job;
}

beforeAll(async () => {
  temp = await makeTempDir('upload-lifecycle');
  dataDir = path.join(temp.dir, 'data');
  // Left behind by an earlier run: two days old (swept), and fresh (kept: its import may still come).
  const uploads = path.join(dataDir, 'uploads');
  for (const [folder, ageMs] of [
    ['stale-0001', 2 * DAY_MS],
    ['fresh-0002', 60_000],
  ] as const) {
    await mkdir(path.join(uploads, folder), { recursive: true });
    await writeFile(path.join(uploads, folder, 'meeting.wav'), 'RIFF');
    const when = new Date(Date.now() - ageMs);
    await utimes(path.join(uploads, folder), when, when);
  }
  services = await openTestServices(dataDir);
  bridge = await startBridge({ services, rendererDir: path.join(temp.dir, 'no-renderer'), maxPendingUploadBytes: 2 * 1024 * 1024 });
  cookie = await sessionCookie(bridge);
  client = await RpcClient.open(bridge.port, { Cookie: cookie, Origin: `http://127.0.0.1:${bridge.port}` });
});

afterAll(async () => {
  client?.close();
  await bridge?.close();
  await services?.dispose();
  await temp?.cleanup();
});

describe('pending uploads', () => {
  it('sweeps uploads older than a day at start, and keeps a fresh one', async () => {
    expect((await readdir(services.uploadsDir)).sort()).toEqual(['fresh-0002']);
  });

  it('removes the upload of an import that failed', async () => {
    const stored = await upload('notes.wav', 'These are meeting notes, not audio.\n'.repeat(40));
    expect(stored.status).toBe(200);
    const folder = path.dirname(stored.json.path as string);
    expect(await readdir(services.uploadsDir)).toContain(path.basename(folder));
    const [job] = await client.value<JobSummary[]>('importPaths', [stored.json.path]);
    if (!job) throw new Error('no job');
    expect((await ended(job.id)).state).toBe('failed');
    await expect.poll(async () => readdir(services.uploadsDir), { timeout: 5_000 }).not.toContain(path.basename(folder));
  });

  it('removes the upload of an import that was cancelled', async () => {
    const stored = await upload('jfk.wav', await readFile(audioFile('jfk.wav')));
    expect(stored.status).toBe(200);
    const folder = path.basename(path.dirname(stored.json.path as string));
    const [job] = await client.value<JobSummary[]>('importPaths', [stored.json.path]);
    if (!job) throw new Error('no job');
    await client.value('cancelJob', job.id);
    expect((await ended(job.id)).state).toBe('cancelled');
    await expect.poll(async () => readdir(services.uploadsDir), { timeout: 5_000 }).not.toContain(folder);
  });

  it('refuses an upload past the pending total with 507 UPLOADS_FULL, declared or streamed, and keeps nothing of it', async () => {
    const first = await upload('first.bin', Buffer.alloc(1536 * 1024, 1));
    expect(first.status).toBe(200);
    const before = (await readdir(services.uploadsDir)).sort();
    const declared = await upload('second.bin', Buffer.alloc(1024 * 1024, 2));
    expect(declared.status).toBe(507);
    expect(declared.json).toMatchObject({ error: { code: 'UPLOADS_FULL' } });
    // Without a Content-Length (chunked), the cap is found while streaming.
    const streamed = await upload('third.bin', Buffer.alloc(1024 * 1024, 3), { 'Transfer-Encoding': 'chunked' });
    expect(streamed.status).toBe(507);
    expect((await readdir(services.uploadsDir)).sort()).toEqual(before);
    // A small one still fits.
    expect((await upload('small.bin', Buffer.alloc(1000, 4))).status).toBe(200);
  });
});

describe('sweepUploads', () => {
  it('keeps an old upload a waiting import still names', async () => {
    const dir = path.join(temp.dir, 'sweep');
    for (const folder of ['queued-import', 'forgotten']) {
      await mkdir(path.join(dir, folder), { recursive: true });
      await writeFile(path.join(dir, folder, 'a.wav'), 'x');
    }
    const removed = await sweepUploads(dir, { inUse: [path.join(dir, 'queued-import', 'a.wav')], now: Date.now() + 2 * DAY_MS });
    expect(removed).toEqual([path.join(dir, 'forgotten')]);
    expect(await readdir(dir)).toEqual(['queued-import']);
  });
});
