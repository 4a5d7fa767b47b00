/**
 * Memory and CPU of this process and the processes it started (Linux /proc): the live transcriber and the
 * engine child are processes of their own, so a bench that reads only process.memoryUsage() and
 * process.cpuUsage() would miss them.
 */
import { readdirSync, readFileSync } from 'node:fs';

const CLOCK_TICKS_PER_SECOND = 100;

function readOrNull(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** Every process below `pid` (children, their children, …), through each thread's children file. */
export function descendantPids(pid: number = process.pid): number[] {
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  const children = tasks.flatMap((task) =>
    (readOrNull(`/proc/${pid}/task/${task}/children`) ?? '')
      .split(' ')
      .filter((child) => child.trim() !== '')
      .map(Number),
  );
  return children.flatMap((child) => [child, ...descendantPids(child)]);
}

/** Resident memory (VmRSS) in MB; 0 for a process that has gone. */
export function rssMbOf(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB/m.exec(readOrNull(`/proc/${pid}/status`) ?? '');
  return match ? Number(match[1]) / 1024 : 0;
}

/** User + system CPU seconds a live process has used; 0 for one that has gone. */
export function cpuSecondsOf(pid: number): number {
  const stat = readOrNull(`/proc/${pid}/stat`);
  if (stat === null) return 0;
  // The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

/** This process's and its descendants' resident memory, in MB. */
export function treeRssMb(): { own: number; children: number } {
  return { own: process.memoryUsage().rss / 2 ** 20, children: descendantPids().reduce((sum, pid) => sum + rssMbOf(pid), 0) };
}

/** CPU seconds of this process and its live descendants so far. */
export function treeCpuSeconds(): number {
  const own = process.cpuUsage();
  return (own.user + own.system) / 1e6 + descendantPids().reduce((sum, pid) => sum + cpuSecondsOf(pid), 0);
}
