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
import { pendingUploadBytes } from '../api/upload-sweeper';
import { safeFileName } from '../util/safe-file-name';
import { sendError, sendJson } from './http-responses';
import { errorMessage } from '../../src-shared/errors';

export const DEFAULT_MAX_UPLOAD_BYTES = 4 * 1024 ** 3;
/**
 * What uploads waiting for their import may hold together. Each is removed once its import ends, so this
 * bounds a backlog (files dropped faster than they are transcribed), not the library.
 */
export const DEFAULT_MAX_PENDING_UPLOAD_BYTES = 20 * 1024 ** 3;
/** The browser's name for the file (a path's last component, should it send one) as a safe file name. */
export function sanitizeUploadName(name: string | null): string {
  return safeFileName((name ?? '').split(/[\\/]/).pop() ?? '', { fallback: 'upload' });
}

function uploadsFull(maxPendingBytes: number): { code: 'UPLOADS_FULL'; message: string } {
  return {
    code: 'UPLOADS_FULL',
    message: `Files waiting to be imported already hold ${maxPendingBytes} bytes, the most the app keeps: upload more once the imports running now have finished.`,
  };
}

/**
 * Passes bytes on up to a limit, then drops the rest. The body is still read to its end (on loopback,
 * quickly) so that the client, still sending, reads the refusal instead of a reset connection.
 */
class SizeLimit extends Transform {
  seen = 0;
  exceeded = false;

  constructor(private readonly limit: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.limit) this.exceeded = true;
    callback(null, this.exceeded ? undefined : chunk);
  }
}

export interface UploadOptions {
  uploadsDir: string;
  /** Largest single file. */
  maxBytes: number;
  /** Largest total of pending uploads, this one included (see DEFAULT_MAX_PENDING_UPLOAD_BYTES). */
  maxPendingBytes: number;
  name: string | null;
}

export async function handleUpload(request: IncomingMessage, response: ServerResponse, options: UploadOptions): Promise<void> {
  const declared = Number(request.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > options.maxBytes) {
    request.resume();
    return sendError(response, 413, { code: 'UPLOAD_TOO_LARGE', message: `Files up to ${options.maxBytes} bytes can be uploaded.` });
  }
  // Uploads running side by side each see what is on disk when they start, so together they can pass the
  // cap by at most what each had left: a bound on a backlog, not an accounting.
  const room = options.maxPendingBytes - (await pendingUploadBytes(options.uploadsDir));
  if (room <= 0 || (Number.isFinite(declared) && declared > room)) {
    request.resume();
    return sendError(response, 507, uploadsFull(options.maxPendingBytes));
  }
  const folder = join(options.uploadsDir, randomUUID());
  const path = join(folder, sanitizeUploadName(options.name));
  const limit = new SizeLimit(Math.min(options.maxBytes, room));
  try {
    await mkdir(folder, { recursive: true });
    await pipeline(request, limit, createWriteStream(path, { flags: 'wx' }));
  } catch (error) {
    await rm(folder, { recursive: true, force: true }).catch(() => undefined);
    if (request.destroyed && !request.complete) return void response.destroy();
    return sendError(response, 500, { code: 'UPLOAD_FAILED', message: `The upload could not be stored: ${errorMessage(error)}` });
  }
  if (limit.exceeded) {
    await rm(folder, { recursive: true, force: true }).catch(() => undefined);
    if (limit.seen <= options.maxBytes) return sendError(response, 507, uploadsFull(options.maxPendingBytes));
    return sendError(response, 413, { code: 'UPLOAD_TOO_LARGE', message: `Files up to ${options.maxBytes} bytes can be uploaded.` });
  }
  sendJson(response, 200, { path });
}
