/**
 * Answers a verbatim-media:// request with the meeting's file, honouring Range. Chromium's <audio> seeks by
 * asking for byte ranges; Electron's file:// loader (what net.fetch would use) answers them with the whole
 * file and status 200, which leaves a long recording unseekable. So ranges are served here, from disk.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import type { Result } from '../../src-shared/result';
import { parseRangeHeader } from '../util/byte-range';

export const MEDIA_SCHEME = 'verbatim-media';
const MEDIA_HOST = 'meeting';

export { parseRangeHeader };

const MEDIA_TYPES: Record<string, string> = {
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
  '.m4a': 'audio/mp4',
  '.aac': 'audio/aac',
  '.flac': 'audio/flac',
  '.ogg': 'audio/ogg',
  '.oga': 'audio/ogg',
  '.opus': 'audio/ogg',
  '.webm': 'audio/webm',
  '.mp4': 'video/mp4',
  '.mkv': 'video/x-matroska',
  '.mov': 'video/quicktime',
};

export function mediaTypeFor(path: string): string {
  return MEDIA_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/** verbatim-media://meeting/<encoded id> → the id; null for anything else. */
export function meetingIdFromMediaUrl(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${MEDIA_SCHEME}:` || parsed.hostname !== MEDIA_HOST) return null;
  const encoded = parsed.pathname.slice(1);
  if (encoded === '' || encoded.includes('/')) return null;
  try {
    return decodeURIComponent(encoded);
  } catch {
    return null;
  }
}

export interface MediaRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: { get(name: string): string | null };
}

function fileBody(path: string, start: number, end: number): ReadableStream<Uint8Array> {
  const stream = Readable.toWeb(createReadStream(path, { start, end })) as NodeReadableStream<Uint8Array>;
  return stream;
}

export async function serveMediaRequest(request: MediaRequest, mediaPath: (meetingId: string) => Result<string>): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return new Response(null, { status: 405, headers: { Allow: 'GET, HEAD' } });
  const meetingId = meetingIdFromMediaUrl(request.url);
  if (meetingId === null) return new Response(null, { status: 404 });
  const located = mediaPath(meetingId);
  if (!located.ok) return new Response(null, { status: 404 });
  const path = located.value;
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) return new Response(null, { status: 404 });
    size = info.size;
  } catch {
    return new Response(null, { status: 404 });
  }
  const range = parseRangeHeader(request.headers.get('range'), size);
  const headers: Record<string, string> = { 'Accept-Ranges': 'bytes', 'Content-Type': mediaTypeFor(path) };
  if (range.kind === 'unsatisfiable') {
    return new Response(null, { status: 416, headers: { ...headers, 'Content-Range': `bytes */${size}` } });
  }
  const [start, end, status] = range.kind === 'partial' ? [range.start, range.end, 206] : [0, size - 1, 200];
  const length = size === 0 ? 0 : end - start + 1;
  if (range.kind === 'partial') headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
  headers['Content-Length'] = String(length);
  const body = request.method === 'HEAD' || length === 0 ? null : fileBody(path, start, end);
  return new Response(body, { status, headers });
}
