/**
 * One behaviour for `Range` on both media transports (the bridge's HTTP route and Electron's
 * verbatim-media: protocol), as RFC 9110 §14 reads: an invalid range (`bytes=5-1`), another unit or a
 * malformed header is ignored (200, the whole file); a range past the end is unsatisfiable (416).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok } from '../../src-shared/result';
import { serveMedia } from '../../src-main/bridge/media-route';
import { serveMediaRequest } from '../../src-main/electron/media-response';
import { http } from './bridge-helpers';

const BYTES = Buffer.from(Array.from({ length: 100 }, (_, index) => index));
let dir: string;
let file: string;
let server: Server;
let port: number;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'verbatim-range-'));
  file = join(dir, 'meeting.ogg');
  await writeFile(file, BYTES);
  server = createServer((request, response) => void serveMedia(() => ok(file), 'meeting', request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

interface Answer {
  status: number;
  contentRange: string | null;
  body: Buffer;
}

async function viaBridge(range: string | null): Promise<Answer> {
  const answer = await http(port, { path: '/media/meeting', headers: range === null ? {} : { Range: range } });
  return { status: answer.status, contentRange: (answer.headers['content-range'] as string | undefined) ?? null, body: answer.body };
}

async function viaElectron(range: string | null): Promise<Answer> {
  const response = await serveMediaRequest(
    { url: 'verbatim-media://meeting/meeting', method: 'GET', headers: { get: (name) => (name.toLowerCase() === 'range' ? range : null) } },
    () => ok(file),
  );
  return { status: response.status, contentRange: response.headers.get('content-range'), body: Buffer.from(await response.arrayBuffer()) };
}

const CASES: Array<[range: string | null, status: number, body: Buffer]> = [
  [null, 200, BYTES],
  ['bytes=10-19', 206, BYTES.subarray(10, 20)],
  ['bytes=90-', 206, BYTES.subarray(90)],
  ['bytes=-5', 206, BYTES.subarray(95)],
  ['BYTES=0-0', 206, BYTES.subarray(0, 1)],
  ['bytes=5-1', 200, BYTES],
  ['bytes=0-1,5-6', 200, BYTES],
  ['items=0-5', 200, BYTES],
  ['bytes=abc', 200, BYTES],
  ['bytes=100-', 416, Buffer.alloc(0)],
  ['bytes=-0', 416, Buffer.alloc(0)],
];

describe('Range on the bridge and in Electron', () => {
  it.each(CASES)('%s → %i on both', async (range, status, body) => {
    const [bridge, electron] = [await viaBridge(range), await viaElectron(range)];
    expect(bridge.status).toBe(status);
    expect(electron.status).toBe(status);
    expect(bridge.body).toEqual(body);
    expect(electron.body).toEqual(body);
    expect(bridge.contentRange).toBe(electron.contentRange);
  });
});
