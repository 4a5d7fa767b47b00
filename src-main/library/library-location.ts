/**
 * Which file in the data folder is the library. It is `library.sqlite3` until the user chooses, for a
 * damaged library, a recovered copy or a new library beside it: the choice is recorded in
 * `library-location.json`, so the damaged file is never replaced, renamed or written, and every later
 * start (app, bridge or CLI) opens the chosen file.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';

export const LIBRARY_FILE_NAME = 'library.sqlite3';
export const LOCATION_FILE_NAME = 'library-location.json';

export interface LibraryLocation {
  /** A file name in the data folder. */
  file: string;
  /** The damaged library the file was chosen instead of. */
  replaces: string;
  how: 'recovered' | 'new';
  at: string;
}

/** The library file of a data folder. */
export function libraryPath(dir: string): string {
  const chosen = readLocation(dir);
  return path.join(dir, chosen?.file ?? LIBRARY_FILE_NAME);
}

export function readLocation(dir: string): LibraryLocation | null {
  try {
    const parsed: unknown = JSON.parse(readFileSync(path.join(dir, LOCATION_FILE_NAME), 'utf8'));
    if (typeof parsed !== 'object' || parsed === null) return null;
    const { file, replaces, how, at } = parsed as Record<string, unknown>;
    // Only a plain file name in this folder that exists: the record can point nowhere else.
    if (typeof file !== 'string' || file !== path.basename(file) || !file.endsWith('.sqlite3') || !isFile(path.join(dir, file)))
      return null;
    return {
      file,
      replaces: typeof replaces === 'string' ? replaces : LIBRARY_FILE_NAME,
      how: how === 'new' ? 'new' : 'recovered',
      at: typeof at === 'string' ? at : '',
    };
  } catch {
    return null;
  }
}

/** Records the choice atomically (a temporary file, flushed, renamed over the old record). */
export function writeLocation(dir: string, location: LibraryLocation): void {
  const target = path.join(dir, LOCATION_FILE_NAME);
  const temp = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const fd = openSync(temp, 'wx');
    try {
      writeSync(fd, `${JSON.stringify(location, null, 2)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, target);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/** `library-recovered-2026-11-24T09-30-00-1a2b.sqlite3`: sorts by time, never an existing name. */
export function besideName(how: LibraryLocation['how'], now = new Date()): string {
  return `library-${how}-${now.toISOString().slice(0, 19).replace(/:/g, '-')}-${randomBytes(2).toString('hex')}.sqlite3`;
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
