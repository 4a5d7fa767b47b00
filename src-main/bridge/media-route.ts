/** GET /media/<meetingId>: the meeting's audio with single-range support, so <audio> can seek. */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname } from 'node:path';
import type { Result } from '../../src-shared/result';
import { parseRangeHeader } from '../util/byte-range';
import { sendError } from './http-responses';

const AUDIO_TYPES: Record<string, string> = {
  '.ogg': 'audio/ogg',
  '.opus': 'audio/ogg',
  '.oga': 'audio/ogg',
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
  '.m4a': 'audio/mp4',
  '.mp4': 'audio/mp4',
  '.flac': 'audio/flac',
  '.webm': 'audio/webm',
};

export function audioContentType(path: string): string {
  return AUDIO_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

export async function serveMedia(
  mediaPath: (meetingId: string) => Result<string>,
  meetingId: string,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const path = mediaPath(meetingId);
  if (!path.ok) return sendError(response, 404, path.error);
  const info = await stat(path.value).catch(() => null);
  if (!info?.isFile()) return sendError(response, 404, { code: 'MEDIA_NOT_FOUND', message: 'The media file is gone.', subject: meetingId });
  const range = parseRangeHeader(request.headers.range, info.size);
  const common = { 'Content-Type': audioContentType(path.value), 'Accept-Ranges': 'bytes', 'Cache-Control': 'no-cache' };
  if (range.kind === 'unsatisfiable') {
    response.writeHead(416, { ...common, 'Content-Range': `bytes */${info.size}` });
    return void response.end();
  }
  const { start, end } = range.kind === 'partial' ? range : { start: 0, end: info.size - 1 };
  const headers = { ...common, 'Content-Length': Math.max(0, end - start + 1) };
  if (range.kind === 'partial') response.writeHead(206, { ...headers, 'Content-Range': `bytes ${start}-${end}/${info.size}` });
  else response.writeHead(200, headers);
  if (request.method === 'HEAD' || info.size === 0) return void response.end();
  createReadStream(path.value, { start, end })
    .on('error', () => response.destroy())
    .pipe(response);
}
