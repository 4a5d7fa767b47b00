/** Small JSON files the app keeps (settings, model folders), written whole or not at all. */
import { readFileSync, renameSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { errorMessage } from '../../src-shared/errors';
import type { Logger } from '../../src-shared/logger';
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

export interface ReadJsonOptions {
  /** Names the file's content in the log ("the settings"). */
  what: string;
  /** Whether the parsed value has the file's shape (an object, an array); a value that has not is damaged. */
  isValid: (value: unknown) => boolean;
  logger: Logger;
  now?: () => Date;
}

/**
 * The file's parsed value, or undefined when there is none to use. A missing file is the first start, not a
 * problem. A damaged one (not JSON, or not the file's shape) is moved aside to `<file>.corrupt-<time>`, so
 * the defaults that replace it never overwrite what the user had, and a warning names both files.
 */
export function readJsonFile(path: string, options: ReadJsonOptions): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      options.logger.warn(`Could not read ${options.what} from ${path}; using the defaults`, error);
    return undefined;
  }
  let problem: unknown = 'it is not what Verbatim writes there';
  try {
    const parsed: unknown = JSON.parse(text);
    if (options.isValid(parsed)) return parsed;
  } catch (error) {
    problem = error;
  }
  const aside = `${path}.corrupt-${(options.now?.() ?? new Date()).toISOString().replace(/[:.]/g, '-')}`;
  try {
    renameSync(path, aside);
    options.logger.warn(`${path} is damaged; ${options.what} are back to their defaults and the damaged file is kept as ${aside}`, problem);
  } catch (error) {
    options.logger.warn(
      `${path} is damaged (${errorMessage(problem)}) and could not be moved aside; ${options.what} are back to their defaults`,
      error,
    );
  }
  return undefined;
}
