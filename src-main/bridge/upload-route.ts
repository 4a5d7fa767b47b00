/**
 * POST /upload?name=<file name>: the body is streamed to `<uploadsDir>/<uuid>/<name>` (never held in
 * memory), up to a size cap; the answer names the stored path for `importPaths`.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sendError, sendJson } from './http-responses';

export const DEFAULT_MAX_UPLOAD_BYTES = 4 * 1024 ** 3;
const MAX_NAME_CHARS = 200;

/** A client-given name as one safe path component (no separators, no control characters, no leading dots). */
export function sanitizeUploadName(name: string | null): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  const cleaned = base
    .normalize('NFC')
    .replace(/[\p{Cc}:*?"<>|]/gu, '_')
    .trim()
    .replace(/^\.+/, '')
    .replace(/[. ]+$/, '');
  if (cleaned.length <= MAX_NAME_CHARS) return cleaned.length > 0 ? cleaned : 'upload';
  // Keep the extension: the import sniffs content, but people read names.
  const dot = cleaned.lastIndexOf('.');
  const extension = dot > 0 && cleaned.length - dot <= 16 ? cleaned.slice(dot) : '';
  return cleaned.slice(0, MAX_NAME_CHARS - extension.length) + extension;
}

class SizeLimit extends Transform {
  private seen = 0;
  exceeded = false;

  constructor(private readonly limit: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.limit) {
      this.exceeded = true;
      callback(new Error('upload too large'));
      return;
    }
    callback(null, chunk);
  }
}

export async function handleUpload(
  request: IncomingMessage,
  response: ServerResponse,
  options: { uploadsDir: string; maxBytes: number; name: string | null },
): Promise<void> {
  const declared = Number(request.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > options.maxBytes) {
    request.resume();
    return sendError(response, 413, { code: 'UPLOAD_TOO_LARGE', message: `Files up to ${options.maxBytes} bytes can be uploaded.` });
  }
  const folder = join(options.uploadsDir, randomUUID());
  const path = join(folder, sanitizeUploadName(options.name));
  const limit = new SizeLimit(options.maxBytes);
  try {
    await mkdir(folder, { recursive: true });
    await pipeline(request, limit, createWriteStream(path, { flags: 'wx' }));
  } catch (error) {
    await rm(folder, { recursive: true, force: true }).catch(() => undefined);
    if (limit.exceeded) {
      return sendError(response, 413, { code: 'UPLOAD_TOO_LARGE', message: `Files up to ${options.maxBytes} bytes can be uploaded.` });
    }
    if (request.destroyed && !request.complete) return void response.destroy();
    return sendError(response, 500, { code: 'UPLOAD_FAILED', message: `The upload could not be stored: ${(error as Error).message}` });
  }
  sendJson(response, 200, { path });
}
