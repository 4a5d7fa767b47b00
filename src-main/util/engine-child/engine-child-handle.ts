/**
 * Talking to an engine child process: its exit, the last lines it wrote to stderr, messages checked on the
 * way in, and killing it with whatever it started. How it is started is the launcher's business.
 */
import type { ChildExit, EngineChildProcess } from './engine-child-process';

const STDERR_TAIL_CHARS = 2000;

export class EngineChildHandle<Incoming, Outgoing> {
  readonly exited: Promise<ChildExit>;
  private exitInfo: ChildExit | null = null;
  private stderr = '';

  constructor(
    private readonly child: EngineChildProcess,
    private readonly isIncoming: (message: unknown) => message is Incoming,
  ) {
    this.exited = new Promise((resolve) => {
      child.onExit((exit) => {
        if (this.exitInfo) return;
        this.exitInfo = exit;
        resolve(exit);
      });
    });
    // Read all along: a pipe nobody drains fills up (onnxruntime's warnings) and then blocks the child.
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
  send(message: Outgoing): void {
    if (!this.alive) return;
    // Alive without a channel cannot be talked to (nor answer): end it, and its exit settles any request.
    if (!this.child.connected) {
      this.kill();
      return;
    }
    this.child.send(message, () => this.kill());
  }

  onMessage(listener: (message: Incoming) => void): () => void {
    return this.child.onMessage((message: unknown) => {
      if (this.isIncoming(message)) listener(message);
    });
  }

  /** SIGKILL for the child and, where the launcher can, for anything it started. */
  kill(): void {
    if (!this.alive) return;
    this.child.kill();
  }

  /** Whether this process waits for the child: only while it works, so an idle child never keeps the app alive. */
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
