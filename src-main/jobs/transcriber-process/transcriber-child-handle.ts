/**
 * Starting the transcriber child and talking to it: which file to fork (TypeScript source through tsx,
 * or the bundled entry), its exit, its last stderr lines, and killing it with whatever it started.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fail, ok, type Result } from '../../../src-shared/result';
import { encodeChildOptions, isFromTranscriberChild, type FromTranscriberChild, type ToTranscriberChild, type TranscriberChildOptions } from './protocol';

const STDERR_TAIL_CHARS = 2000;
// A process group of its own lets a kill reach the ffmpeg processes the child started, too.
const OWN_PROCESS_GROUP = process.platform !== 'win32';

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be started at all. */
  spawnError?: string;
}

interface ForkTarget {
  modulePath: string;
  args: string[];
}

/**
 * From source (this module is a .ts file: tests, tsx), a small .mjs bootstrap registers tsx and imports
 * transcriber-child.ts. Bundled, this module sits in out/main (or out/main/chunks) and the entry is
 * out/main/transcriber-child.js.
 */
export function transcriberChildTarget(): Result<ForkTarget> {
  const here = fileURLToPath(import.meta.url);
  const dir = dirname(here);
  if (here.endsWith('.ts')) {
    return ok({ modulePath: join(dir, 'dev-bootstrap.mjs'), args: [pathToFileURL(join(dir, 'transcriber-child.ts')).href] });
  }
  const candidates = [join(dir, 'transcriber-child.js'), join(dir, '..', 'transcriber-child.js')];
  const entry = candidates.find((candidate) => existsSync(candidate));
  if (!entry) return fail('ENGINE_PROCESS_MISSING', `transcriber-child.js not found next to ${here}`, here);
  return ok({ modulePath: entry, args: [] });
}

export function spawnTranscriberChild(options: TranscriberChildOptions): Result<TranscriberChildHandle> {
  const target = transcriberChildTarget();
  if (!target.ok) return target;
  try {
    const child = fork(target.value.modulePath, [...target.value.args, encodeChildOptions(options)], {
      // Not the parent's flags (a test runner's or an inspector's); the child needs none.
      execArgv: [],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      detached: OWN_PROCESS_GROUP,
      serialization: 'json',
    });
    return ok(new TranscriberChildHandle(child));
  } catch (error) {
    return fail('ENGINE_PROCESS_DIED', `The transcription process could not start: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export class TranscriberChildHandle {
  readonly exited: Promise<ChildExit>;
  private exitInfo: ChildExit | null = null;
  private stderr = '';

  constructor(private readonly child: ChildProcess) {
    this.exited = new Promise((resolve) => {
      const settle = (exit: ChildExit): void => {
        if (this.exitInfo) return;
        this.exitInfo = exit;
        // Whatever the child left running in its group (an ffmpeg mid-decode) goes with it.
        this.killGroup();
        resolve(exit);
      };
      child.once('exit', (code, signal) => settle({ code, signal }));
      child.on('error', (error) => {
        if (child.pid === undefined) settle({ code: null, signal: null, spawnError: error.message });
      });
    });
    child.stderr?.on('data', (data: Buffer) => {
      this.stderr = (this.stderr + data.toString('utf8')).slice(-STDERR_TAIL_CHARS);
    });
  }

  get pid(): number | null {
    return this.child.pid ?? null;
  }

  get alive(): boolean {
    return this.exitInfo === null;
  }

  /** Sends a message; a channel that fails to take it means a dead child, which is then made sure of. */
  send(message: ToTranscriberChild): void {
    if (!this.alive) return;
    // Alive without a channel cannot be talked to (nor answer): end it, and its exit settles any request.
    if (!this.child.connected) {
      this.kill();
      return;
    }
    try {
      this.child.send(message, (error) => {
        if (error) this.kill();
      });
    } catch {
      this.kill();
    }
  }

  onMessage(listener: (message: FromTranscriberChild) => void): () => void {
    const filtered = (message: unknown): void => {
      if (isFromTranscriberChild(message)) listener(message);
    };
    this.child.on('message', filtered);
    return () => this.child.off('message', filtered);
  }

  /** SIGKILL for the child and, through its process group, for anything it started. */
  kill(): void {
    if (!this.alive) return;
    if (!this.killGroup()) this.child.kill('SIGKILL');
  }

  /** Whether this process waits for the child: only while a request runs, so an idle child never keeps the app alive. */
  hold(held: boolean): void {
    const handles: ({ ref(): void; unref(): void } | null | undefined)[] = [this.child, this.child.channel, refCounted(this.child.stderr)];
    for (const handle of handles) {
      if (held) handle?.ref();
      else handle?.unref();
    }
  }

  /** "exited with code 1", "was killed by SIGKILL", plus the last stderr line when there is one. */
  describeExit(): string {
    const exit = this.exitInfo;
    let what = 'stopped';
    if (exit?.spawnError !== undefined) what = `could not start (${exit.spawnError})`;
    else if (exit?.signal) what = `was killed by ${exit.signal}`;
    else if (exit) what = `exited with code ${exit.code}`;
    const lastLines = this.stderr.trim().split('\n').slice(-3).join(' | ');
    return lastLines === '' ? what : `${what}: ${lastLines}`;
  }

  private killGroup(): boolean {
    if (!OWN_PROCESS_GROUP || this.child.pid === undefined) return false;
    try {
      process.kill(-this.child.pid, 'SIGKILL');
      return true;
    } catch {
      return false;
    }
  }
}

/** A piped stdio stream is a net.Socket, which can be unref'd like any handle. */
function refCounted(stream: unknown): { ref(): void; unref(): void } | null {
  if (typeof stream !== 'object' || stream === null) return null;
  const candidate = stream as { ref?: unknown; unref?: unknown };
  return typeof candidate.ref === 'function' && typeof candidate.unref === 'function' ? (candidate as { ref(): void; unref(): void }) : null;
}
