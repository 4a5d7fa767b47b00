import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { errorMessage } from '../../src-shared/errors';
import { fail, ok, type Result } from '../../src-shared/result';
import { tempFileName } from '../util/safe-file-name';

export type WriteFileErrorCode = 'EXPORT_DIR_NOT_FOUND' | 'EXPORT_PERMISSION_DENIED' | 'EXPORT_WRITE_FAILED';

export interface WrittenFile {
  path: string;
  bytes: number;
}

/**
 * Writes UTF-8 text (or bytes) so that `outPath` holds either its old content or the complete new content, never a
 * torn file: temp file in the same folder (same filesystem, so rename is atomic), fsync, rename, then
 * fsync the folder so the rename itself survives a crash. The temp file is removed on any failure.
 */
export async function writeFileAtomic(outPath: string, content: string | Uint8Array): Promise<Result<WrittenFile, WriteFileErrorCode>> {
  const folder = dirname(outPath);
  const tempPath = join(folder, tempFileName(basename(outPath), `${process.pid}.${randomBytes(4).toString('hex')}`));
  const data =
    typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content.buffer, content.byteOffset, content.byteLength);
  try {
    const handle = await open(tempPath, 'wx');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tempPath, outPath);
  } catch (error) {
    await rm(tempPath, { force: true }).catch(() => undefined);
    return fail(errorCode(error), `Could not write ${outPath}: ${errorMessage(error)}`, outPath);
  }
  await syncFolder(folder);
  return ok({ path: outPath, bytes: data.length });
}

/** Best effort: Windows cannot open a folder for fsync, and the file content is already durable. */
export async function syncFolder(folder: string): Promise<void> {
  try {
    const handle = await open(folder, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // The rename has happened; only its durability across power loss is less certain.
  }
}

function errorCode(error: unknown): WriteFileErrorCode {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return 'EXPORT_DIR_NOT_FOUND';
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return 'EXPORT_PERMISSION_DENIED';
  return 'EXPORT_WRITE_FAILED';
}
