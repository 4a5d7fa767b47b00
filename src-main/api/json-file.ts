/** Small JSON files the app keeps (settings, model folders), written whole or not at all. */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { errorMessage } from '../../src-shared/errors';
import { fail, ok, type Result } from '../../src-shared/result';
import { writeFileAtomic } from '../export/write-file';

/** `what` names the file's content in the error ("the settings"). */
export async function writeJsonFile(path: string, value: unknown, what: string): Promise<Result<void>> {
  try {
    await mkdir(dirname(path), { recursive: true });
  } catch (error) {
    return fail('SETTINGS_WRITE_FAILED', `Could not save ${what} to ${path}: ${errorMessage(error)}`, path);
  }
  const written = await writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
  return written.ok ? ok(undefined) : fail('SETTINGS_WRITE_FAILED', `Could not save ${what} to ${path}: ${written.error.message}`, path);
}
