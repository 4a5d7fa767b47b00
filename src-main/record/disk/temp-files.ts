import { readdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import { isProcessAlive } from './durable-fs';

const OWNED_TEMP = /\.(\d+)-\d+\.tmp$/;

export interface CleanTempOptions {
  /** Only temp files whose name starts with this (one recording's). */
  prefix?: string;
  /** Also remove temp files of this live process (its own, after it stopped writing them). */
  ownPid?: number;
}

/**
 * Removes leftover `*.tmp` files (half-written sidecars) from a recordings folder. A temp file named
 * by a process that is still running (`<target>.<pid>-<n>.tmp`) is its atomic write in flight and
 * stays; anything else ending in `.tmp` there is debris. Returns the removed paths.
 */
export async function cleanTempFiles(dir: string, options: CleanTempOptions = {}): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const entry of entries) {
    if (!entry.endsWith('.tmp')) continue;
    if (options.prefix !== undefined && !entry.startsWith(options.prefix)) continue;
    const owner = OWNED_TEMP.exec(entry)?.[1];
    if (owner !== undefined) {
      const pid = Number(owner);
      if (pid !== options.ownPid && isProcessAlive({ pid, startTicks: null })) continue;
    }
    const file = path.join(dir, entry);
    try {
      await unlink(file);
      removed.push(file);
    } catch {
      // gone already, or a folder named *.tmp: not ours to force
    }
  }
  return removed;
}
