/**
 * Starting the transcriber child and talking to it: which file to start (TypeScript source through tsx,
 * or the bundled entry), its exit, its last stderr lines, and killing it with whatever it started. How
 * the process is started (fork, or Electron's utilityProcess) is the launcher's business.
 */
import { ok, type Result } from '../../../src-shared/result';
import {
  engineChildTarget,
  forkLauncher,
  type ChildExit,
  type EngineChildLauncher,
  type EngineChildProcess,
} from '../../util/engine-child/engine-child-process';
import {
  encodeChildOptions,
  isFromTranscriberChild,
  type FromTranscriberChild,
  type ToTranscriberChild,
  type TranscriberChildOptions,
} from './protocol';

export type { ChildExit } from '../../util/engine-child/engine-child-process';

const STDERR_TAIL_CHARS = 2000;

export function spawnTranscriberChild(
  options: TranscriberChildOptions,
  launcher: EngineChildLauncher = forkLauncher,
): Result<TranscriberChildHandle> {
  const target = engineChildTarget('transcriber-child');
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
