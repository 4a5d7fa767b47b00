import { readFileSync, writeSync } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';

/** Makes a file's creation, rename or removal in `dir` durable. Windows cannot open folders for fsync. */
export async function fsyncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

let tempSequence = 0;

/** `<target>.<pid>-<n>.tmp`: the owner's pid lets `cleanTempFiles` spare a live process's write in flight. */
export function tempPathFor(target: string): string {
  tempSequence += 1;
  return `${target}.${process.pid}-${tempSequence}.tmp`;
}

/** Readers see the old content or the new, never a partial file: temp, fsync, rename, fsync folder. */
export async function writeFileAtomic(target: string, content: string): Promise<void> {
  const temp = tempPathFor(target);
  try {
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(content, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await fsyncDirectory(path.dirname(target));
}

/** positional write of the whole range (write(2) may write less than asked). */
export function writeAllSync(fd: number, buffer: Uint8Array, length: number, position: number): void {
  let done = 0;
  while (done < length) {
    done += writeSync(fd, buffer, done, length - done, position + done);
  }
}

/**
 * Who owns a recording. The pid alone can be reused (after a reboot, by another program); on Linux the
 * process start time (clock ticks since boot, /proc/<pid>/stat field 22) tells the two apart.
 */
export interface ProcessIdentity {
  pid: number;
  startTicks: string | null;
}

function readProcStat(pid: number): { state: string; startTicks: string } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses; fields after it are plain.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const state = fields[0];
    const startTicks = fields[19];
    return state !== undefined && startTicks !== undefined ? { state, startTicks } : null;
  } catch {
    return null;
  }
}

export function currentProcessIdentity(): ProcessIdentity {
  return { pid: process.pid, startTicks: readProcStat(process.pid)?.startTicks ?? null };
}

/** True while the process that wrote `identity` still runs (a zombie, or a reused pid, is not it). */
export function isProcessAlive(identity: ProcessIdentity): boolean {
  if (!Number.isInteger(identity.pid) || identity.pid <= 0) return false;
  try {
    process.kill(identity.pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const stat = readProcStat(identity.pid);
  if (!stat) return true; // no /proc (macOS, Windows): the pid is all we have
  if (stat.state === 'Z' || stat.state === 'X') return false;
  return identity.startTicks === null || identity.startTicks === stat.startTicks;
}
