import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fail, ok } from '../../src-shared/result';
import { mediaUrlFor } from '../../src-preload/preload-api';
import { meetingIdFromMediaUrl, parseRangeHeader, serveMediaRequest } from '../../src-main/electron/media-response';

describe('parseRangeHeader', () => {
  it('reads the single ranges media elements send', () => {
    expect(parseRangeHeader('bytes=0-', 100)).toEqual({ kind: 'partial', start: 0, end: 99 });
    expect(parseRangeHeader('bytes=10-19', 100)).toEqual({ kind: 'partial', start: 10, end: 19 });
    expect(parseRangeHeader('bytes=90-500', 100)).toEqual({ kind: 'partial', start: 90, end: 99 });
    expect(parseRangeHeader('bytes=-30', 100)).toEqual({ kind: 'partial', start: 70, end: 99 });
    expect(parseRangeHeader('bytes=-300', 100)).toEqual({ kind: 'partial', start: 0, end: 99 });
  });

  it('refuses ranges past the end', () => {
    expect(parseRangeHeader('bytes=100-', 100)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRangeHeader('bytes=-0', 100)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRangeHeader('bytes=0-', 0)).toEqual({ kind: 'unsatisfiable' });
  });

  it('serves the whole file for no header, a malformed one, or several ranges', () => {
    for (const header of [null, 'bytes=', 'bytes=-', 'items=0-5', 'bytes=5-1', 'bytes=0-1,5-6']) {
      expect(parseRangeHeader(header, 100), String(header)).toEqual({ kind: 'whole' });
    }
  });
});

describe('media URLs', () => {
  it('round-trip a meeting id through the preload URL and the protocol handler', () => {
    for (const id of ['0b6c2d1e-uuid', 'a/b?c#d', 'réunion 1']) expect(meetingIdFromMediaUrl(mediaUrlFor(id)), id).toBe(id);
  });

  it('ignore anything that is not verbatim-media://meeting/<id>', () => {
    for (const url of [
      'verbatim-media://other/x',
      'verbatim-media://meeting/',
      'verbatim-media://meeting/a/b',
      'file:///etc/passwd',
      'verbatim-media://meeting/%E0%A4%A',
    ]) {
      expect(meetingIdFromMediaUrl(url), url).toBeNull();
    }
  });
});

describe('serveMediaRequest', () => {
  let dir: string;
  let file: string;
  const bytes = Buffer.from(Array.from({ length: 1000 }, (_, index) => index % 251));

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'verbatim-media-'));
    file = join(dir, 'meeting.wav');
    await writeFile(file, bytes);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const mediaPath = (meetingId: string) => (meetingId === 'm1' ? ok(file) : fail('MEDIA_NOT_FOUND', 'none', meetingId));
  const request = (range: string | null, method = 'GET') => ({
    url: mediaUrlFor('m1'),
    method,
    headers: new Headers(range === null ? {} : { Range: range }),
  });

  it('serves the whole file with its type and advertises ranges', async () => {
    const response = await serveMediaRequest(request(null), mediaPath);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('audio/wav');
    expect(response.headers.get('accept-ranges')).toBe('bytes');
    expect(response.headers.get('content-length')).toBe('1000');
    expect(Buffer.from(await response.arrayBuffer())).toEqual(bytes);
  });

  it('answers a range with 206 and exactly those bytes (seeking)', async () => {
    const response = await serveMediaRequest(request('bytes=500-599'), mediaPath);
    expect(response.status).toBe(206);
    expect(response.headers.get('content-range')).toBe('bytes 500-599/1000');
    expect(response.headers.get('content-length')).toBe('100');
    expect(Buffer.from(await response.arrayBuffer())).toEqual(bytes.subarray(500, 600));
  });

  it('answers an open range to the end of the file', async () => {
    const response = await serveMediaRequest(request('bytes=990-'), mediaPath);
    expect(response.status).toBe(206);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(bytes.subarray(990));
  });

  it('answers 416 to a range past the end', async () => {
    const response = await serveMediaRequest(request('bytes=5000-'), mediaPath);
    expect(response.status).toBe(416);
    expect(response.headers.get('content-range')).toBe('bytes */1000');
  });

  it('answers HEAD with headers only', async () => {
    const response = await serveMediaRequest(request(null, 'HEAD'), mediaPath);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe('1000');
    expect(response.body).toBeNull();
  });

  it('answers 404 for an unknown meeting or a file gone from disk, 405 for other methods', async () => {
    expect((await serveMediaRequest({ ...request(null), url: mediaUrlFor('unknown') }, mediaPath)).status).toBe(404);
    expect((await serveMediaRequest(request(null), () => ok(join(dir, 'deleted.wav')))).status).toBe(404);
    expect((await serveMediaRequest(request(null), () => ok(dir))).status).toBe(404);
    expect((await serveMediaRequest(request(null, 'POST'), mediaPath)).status).toBe(405);
  });
});
