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
import { safeFileName } from '../util/safe-file-name';
import { sendError, sendJson } from './http-responses';

export const DEFAULT_MAX_UPLOAD_BYTES = 4 * 1024 ** 3;
/** The browser's name for the file (a path's last component, should it send one) as a safe file name. */
export function sanitizeUploadName(name: string | null): string {
  return safeFileName((name ?? '').split(/[\\/]/).pop() ?? '', { fallback: 'upload' });
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
