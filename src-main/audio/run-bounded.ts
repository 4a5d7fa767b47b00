import { spawn } from 'node:child_process';

export interface BoundedRun {
  /** null when the process was killed (timeout) or could not start. */
  exitCode: number | null;
  timedOut: boolean;
  /** Set when the binary could not be spawned at all (ENOENT, EACCES). */
  spawnError: string | null;
  stdout: string;
  /** Bytes written to stdout, counted even when the text is not kept. */
  stdoutBytes: number;
  stderr: string;
}

export interface BoundedRunOptions {
  timeoutMs: number;
  /** Keep at most this many stdout characters (default 4 MiB); bytes are still counted. */
  maxStdoutChars?: number;
}

const STDERR_TAIL_CHARS = 4000;

/** Runs a short-lived helper process, kills it at the deadline and always waits for it to exit. */
export function runBounded(binary: string, args: string[], options: BoundedRunOptions): Promise<BoundedRun> {
  const maxStdout = options.maxStdoutChars ?? 4 * 1024 * 1024;
  return new Promise((resolve) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stdoutBytes = 0;
    let stderr = '';
    let timedOut = false;
    let spawnError: string | null = null;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    child.stdout.on('data', (data: Buffer) => {
      stdoutBytes += data.length;
      if (stdout.length < maxStdout) stdout += data.toString('utf8');
    });
    child.stderr.on('data', (data: Buffer) => {
      stderr = (stderr + data.toString('utf8')).slice(-STDERR_TAIL_CHARS);
    });
    child.on('error', (error) => {
      spawnError = error.message;
    });
    // 'close' fires after exit and after the pipes drained, so the child is reaped here.
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ exitCode: code, timedOut, spawnError, stdout, stdoutBytes, stderr: stderr.trim() });
    });
  });
}
