/** Moving a finished media file into the library's media folder so that no reader ever sees part of it. */
import { randomBytes } from 'node:crypto';
import { copyFile, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { errorMessage } from '../../src-shared/errors';
import { fail, ok, type Result } from '../../src-shared/result';
import { tempFileName } from '../util/safe-file-name';

/**
 * Moves `from` to `to`, replacing `to` atomically: a rename when both are on one filesystem; otherwise a
 * copy to a temporary name next to `to`, flushed, then renamed over it. `from` is gone on success.
 */
export async function moveFileAtomic(from: string, to: string): Promise<Result<void>> {
  try {
    await rename(from, to);
    return ok(undefined);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV')
      return fail('MEDIA_WRITE_FAILED', `Could not move ${from} to ${to}: ${errorMessage(error)}`, to);
  }
  const temp = join(dirname(to), tempFileName(basename(to), `${process.pid}.${randomBytes(4).toString('hex')}`));
  try {
    await copyFile(from, temp);
    const handle = await open(temp, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, to);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    return fail('MEDIA_WRITE_FAILED', `Could not copy ${from} to ${to}: ${errorMessage(error)}`, to);
  }
  await rm(from, { force: true }).catch(() => undefined);
  return ok(undefined);
}
