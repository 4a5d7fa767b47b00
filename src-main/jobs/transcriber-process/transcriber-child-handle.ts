/**
 * Starting the transcriber child and talking to it: which file to start (TypeScript source through tsx,
 * or the bundled entry), its exit, its last stderr lines, and killing it with whatever it started. How
 * the process is started (fork, or Electron's utilityProcess) is the launcher's business.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fail, ok, type Result } from '../../../src-shared/result';
import { forkLauncher, type ChildEntry, type ChildExit, type EngineChildLauncher, type EngineChildProcess } from './engine-child-process';
import {
  encodeChildOptions,
  isFromTranscriberChild,
  type FromTranscriberChild,
  type ToTranscriberChild,
  type TranscriberChildOptions,
} from './protocol';

export type { ChildExit } from './engine-child-process';

const STDERR_TAIL_CHARS = 2000;

/**
 * From source (this module is a .ts file: tests, tsx), a small .mjs bootstrap registers tsx and imports
 * app/transcriber-child.ts (the child's composition root). Bundled, this module sits in out/main (or
 * out/main/chunks) and the entry is out/main/transcriber-child.js.
 */
export function transcriberChildTarget(): Result<ChildEntry> {
  const here = fileURLToPath(import.meta.url);
  const dir = dirname(here);
  if (here.endsWith('.ts')) {
    return ok({
      modulePath: join(dir, 'dev-bootstrap.mjs'),
      args: [pathToFileURL(join(dir, '..', '..', 'app', 'transcriber-child.ts')).href],
    });
  }
  const candidates = [join(dir, 'transcriber-child.js'), join(dir, '..', 'transcriber-child.js')];
  const entry = candidates.find((candidate) => existsSync(candidate));
  if (!entry) return fail('ENGINE_PROCESS_MISSING', `transcriber-child.js not found next to ${here}`, here);
  return ok({ modulePath: entry, args: [] });
}

export function spawnTranscriberChild(
  options: TranscriberChildOptions,
  launcher: EngineChildLauncher = forkLauncher,
): Result<TranscriberChildHandle> {
  const target = transcriberChildTarget();
  if (!target.ok) return target;
  const launched = launcher({ modulePath: target.value.modulePath, args: [...target.value.args, encodeChildOptions(options)] });
  return launched.ok ? ok(new TranscriberChildHandle(launched.value)) : launched;
}

export class TranscriberChildHandle {
  readonly exited: Promise<ChildExit>;
  private exitInfo: ChildExit | null = null;
  private stderr = '';

  constructor(private readonly child: EngineChildProcess) {
    this.exited = new Promise((resolve) => {
      child.onExit((exit) => {
        if (this.exitInfo) return;
        this.exitInfo = exit;
        resolve(exit);
      });
    });
    child.stderr?.on('data', (data: Buffer) => {
      this.stderr = (this.stderr + data.toString('utf8')).slice(-STDERR_TAIL_CHARS);
    });
  }

  get pid(): number | null {
    return this.child.pid;
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
    this.child.send(message, () => this.kill());
  }

  onMessage(listener: (message: FromTranscriberChild) => void): () => void {
    return this.child.onMessage((message: unknown) => {
      if (isFromTranscriberChild(message)) listener(message);
    });
  }

  /** SIGKILL for the child and, where the launcher can, for anything it started. */
  kill(): void {
    if (!this.alive) return;
    this.child.kill();
  }

  /** Whether this process waits for the child: only while a request runs, so an idle child never keeps the app alive. */
  hold(held: boolean): void {
    this.child.hold(held);
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
}
