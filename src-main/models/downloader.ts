import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { errorMessage } from '../../src-shared/errors';
import { fail, ok, type CodedError, type ErrorCode, type Result } from '../../src-shared/result';
import { retryWithBackoff, type BackoffPolicy } from '../util/retry';
import type { CatalogFile } from './catalog';

export type DownloadErrorCode =
  | 'DOWNLOAD_NETWORK'
  | 'DOWNLOAD_HTTP_TRANSIENT'
  | 'DOWNLOAD_NOT_FOUND'
  | 'DOWNLOAD_CHECKSUM_MISMATCH'
  | 'DOWNLOAD_SIZE_MISMATCH'
  | 'CANCELLED';

export interface DownloadProgress {
  file: string;
  fileIndex: number;
  fileCount: number;
  receivedBytes: number;
  /** Total of the current file when known. */
  totalBytes: number | null;
}

export interface DownloadRequest {
  repo: string;
  revision: string;
  files: CatalogFile[];
  destDir: string;
  /** Hub root; a local mirror or test server in tests. */
  baseUrl?: string | undefined;
  fetchImpl?: typeof fetch;
  retry?: BackoffPolicy | undefined;
  sleep?: ((ms: number, signal?: AbortSignal) => Promise<void>) | undefined;
  signal?: AbortSignal | undefined;
  onProgress?: ((progress: DownloadProgress) => void) | undefined;
}

export interface DownloadedFile {
  path: string;
  sha256: string;
  sizeBytes: number;
  /** Where the expected hash came from: the pinned catalog, the hub's LFS header, or nothing to check against. */
  verifiedAgainst: 'catalog' | 'hub' | 'unverified';
}

const TRANSIENT: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['DOWNLOAD_NETWORK', 'DOWNLOAD_HTTP_TRANSIENT', 'DOWNLOAD_SIZE_MISMATCH']);

export const HUGGING_FACE_HUB = 'https://huggingface.co';

export function fileUrl(request: Pick<DownloadRequest, 'baseUrl' | 'repo' | 'revision'>, path: string): string {
  const base = request.baseUrl ?? HUGGING_FACE_HUB;
  return `${base}/${request.repo}/resolve/${encodeURIComponent(request.revision)}/${path}`;
}

export interface RemoteMetadata {
  sha256: string | null;
  sizeBytes: number | null;
}

/** The hub answers a HEAD on `resolve` with the LFS object's sha256 and size before redirecting to storage. */
export async function fetchMetadata(fetchImpl: typeof fetch, url: string, signal?: AbortSignal): Promise<Result<RemoteMetadata, DownloadErrorCode>> {
  let response: Response;
  try {
    response = await fetchImpl(url, { method: 'HEAD', redirect: 'manual', signal: signal ?? null });
  } catch (error) {
    return fail('DOWNLOAD_NETWORK', `Could not reach ${url}: ${errorMessage(error)}`, url);
  }
  const httpError = classifyStatus(response.status, url);
  if (httpError) return httpError;
  const etag = (response.headers.get('x-linked-etag') ?? '').replaceAll('"', '');
  const size = Number(response.headers.get('x-linked-size') ?? response.headers.get('content-length') ?? NaN);
  return ok({ sha256: /^[0-9a-f]{64}$/.test(etag) ? etag : null, sizeBytes: Number.isFinite(size) && size > 0 ? size : null });
}

function classifyStatus(status: number, url: string): { ok: false; error: CodedError<DownloadErrorCode> } | null {
  if (status < 400) return null;
  if (status === 408 || status === 429 || status >= 500) return fail('DOWNLOAD_HTTP_TRANSIENT', `HTTP ${status} from ${url}`, url);
  return fail('DOWNLOAD_NOT_FOUND', `HTTP ${status} from ${url}`, url);
}

async function hashExisting(path: string): Promise<{ hash: ReturnType<typeof createHash>; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    for await (const chunk of createReadStream(path)) {
      hash.update(chunk as Buffer);
      bytes += (chunk as Buffer).length;
    }
  } catch {
    return { hash: createHash('sha256'), bytes: 0 };
  }
  return { hash, bytes };
}

/** One attempt: resumes a `.part` file with a Range request, hashes while writing, renames only when verified. */
async function downloadOnce(
  request: DownloadRequest,
  file: CatalogFile,
  fileIndex: number,
): Promise<Result<DownloadedFile, DownloadErrorCode>> {
  const fetchImpl = request.fetchImpl ?? fetch;
  const url = fileUrl(request, file.remotePath ?? file.path);
  const finalPath = join(request.destDir, file.path);
  const partPath = `${finalPath}.part`;
  await mkdir(dirname(finalPath), { recursive: true });

  const metadata = await fetchMetadata(fetchImpl, url, request.signal);
  if (!metadata.ok) return metadata;
  const expectedSha = file.sha256 ?? metadata.value.sha256;
  const expectedSize = file.sizeBytes ?? metadata.value.sizeBytes;

  let { hash, bytes: received } = await hashExisting(partPath);
  let response: Response;
  try {
    const headers: Record<string, string> = received > 0 ? { range: `bytes=${received}-` } : {};
    response = await fetchImpl(url, { headers, redirect: 'follow', signal: request.signal ?? null });
  } catch (error) {
    if (request.signal?.aborted) return fail('CANCELLED', `Download of ${file.path} was cancelled.`, file.path);
    return fail('DOWNLOAD_NETWORK', `Could not reach ${url}: ${errorMessage(error)}`, url);
  }
  const httpError = classifyStatus(response.status, url);
  if (httpError) return httpError;
  if (received > 0 && response.status !== 206) {
    hash = createHash('sha256');
    received = 0;
  }
  const totalBytes = expectedSize;
  const handle = await open(partPath, received > 0 ? 'a' : 'w');
  try {
    if (!response.body) return fail('DOWNLOAD_NETWORK', `Empty body from ${url}`, url);
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      await handle.write(chunk);
      hash.update(chunk);
      received += chunk.length;
      request.onProgress?.({ file: file.path, fileIndex, fileCount: request.files.length, receivedBytes: received, totalBytes });
    }
    await handle.sync();
  } catch (error) {
    if (request.signal?.aborted) return fail('CANCELLED', `Download of ${file.path} was cancelled.`, file.path);
    return fail('DOWNLOAD_NETWORK', `Connection lost while downloading ${file.path}: ${errorMessage(error)}`, url);
  } finally {
    await handle.close();
  }

  if (expectedSize !== null && received !== expectedSize) {
    if (received > expectedSize) await rm(partPath, { force: true });
    return fail('DOWNLOAD_SIZE_MISMATCH', `${file.path}: got ${received} bytes, expected ${expectedSize}.`, file.path);
  }
  const sha256 = hash.digest('hex');
  if (expectedSha !== null && sha256 !== expectedSha) {
    await rm(partPath, { force: true });
    return fail('DOWNLOAD_CHECKSUM_MISMATCH', `${file.path}: sha256 ${sha256} does not match the expected ${expectedSha}.`, file.path);
  }
  await rename(partPath, finalPath);
  const verifiedAgainst = file.sha256 !== null ? 'catalog' : expectedSha !== null ? 'hub' : 'unverified';
  return ok({ path: file.path, sha256, sizeBytes: received, verifiedAgainst });
}

/** Downloads every missing file of a model into `destDir`, retrying transient faults with capped exponential backoff. */
export async function downloadModelFiles(request: DownloadRequest): Promise<Result<DownloadedFile[], DownloadErrorCode>> {
  const downloaded: DownloadedFile[] = [];
  for (const [index, file] of request.files.entries()) {
    // A final file only ever appears by rename after verification, so one that exists is complete.
    const existing = await stat(join(request.destDir, file.path)).catch(() => null);
    if (existing?.isFile()) continue;
    const result = await retryWithBackoff<DownloadedFile>(() => downloadOnce(request, file, index), {
      isTransient: (error) => TRANSIENT.has(error.code),
      policy: request.retry,
      sleep: request.sleep,
      signal: request.signal,
    });
    if (!result.ok) return result as { ok: false; error: CodedError<DownloadErrorCode> };
    downloaded.push(result.value);
  }
  return ok(downloaded);
}
