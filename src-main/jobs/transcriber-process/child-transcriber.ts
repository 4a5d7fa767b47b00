/**
 * The app's FileTranscriber: transcriptions run in a child process, so onnxruntime and the decoding never
 * block the main event loop, and a crash of either costs one job, not the app. The child starts with the
 * first request, transcribes one file at a time (later requests wait their turn) and keeps its model warm
 * until it has been idle for `idleMs`.
 */
import { randomUUID } from 'node:crypto';
import { fail, type Result } from '../../../src-shared/result';
import type { Transcript } from '../../../src-shared/transcript';
import type { FileTranscribeProgressListener, FileTranscribeRequest, FileTranscriber } from '../file-transcriber';
import type { TranscriberChildOptions } from './protocol';
import { spawnTranscriberChild, type TranscriberChildHandle } from './transcriber-child-handle';

export interface ChildTranscriberOptions extends TranscriberChildOptions {
  /** An idle child is shut down after this long (default 60 s); the next request starts a new one. */
  idleMs?: number;
  /** After a cancel, the child is killed if it has not answered within this long (default 2 s). */
  cancelGraceMs?: number;
  /** dispose() and idle shutdown kill a child that has not exited within this long (default 10 s). */
  shutdownTimeoutMs?: number;
}

interface QueuedRequest {
  request: FileTranscribeRequest;
  onProgress: FileTranscribeProgressListener;
  signal: AbortSignal | undefined;
  resolve(result: Result<Transcript>): void;
  /** Stops listening for a cancel while queued (the run listens from then on). */
  detach(): void;
}

const DEFAULT_IDLE_MS = 60_000;
const DEFAULT_CANCEL_GRACE_MS = 2000;
const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;

const cancelled = (path: string): Result<Transcript> => fail('CANCELLED', `Transcription of ${path} was cancelled.`, path);
const disposedError = (path: string): Result<Transcript> => fail('ENGINE_DISPOSED', 'The transcriber has been disposed.', path);

export class ChildTranscriber implements FileTranscriber {
  private child: TranscriberChildHandle | null = null;
  private readonly queue: QueuedRequest[] = [];
  private busy = false;
  private disposed = false;
  private idleTimer: NodeJS.Timeout | null = null;
  private readonly stopping = new Set<Promise<void>>();

  constructor(private readonly options: ChildTranscriberOptions = {}) {}

  /** The running child's process id, or null when none runs (diagnostics and tests). */
  get pid(): number | null {
    return this.child?.alive ? this.child.pid : null;
  }

  transcribe(request: FileTranscribeRequest, onProgress: FileTranscribeProgressListener = () => undefined, signal?: AbortSignal): Promise<Result<Transcript>> {
    if (this.disposed) return Promise.resolve(disposedError(request.path));
    if (signal?.aborted) return Promise.resolve(cancelled(request.path));
    return new Promise((resolve) => {
      const queued: QueuedRequest = { request, onProgress, signal, resolve, detach: () => undefined };
      if (signal) {
        // A request still waiting for its turn leaves the queue at once.
        const onAbort = (): void => {
          const index = this.queue.indexOf(queued);
          if (index < 0) return;
          this.queue.splice(index, 1);
          resolve(cancelled(request.path));
        };
        signal.addEventListener('abort', onAbort, { once: true });
        queued.detach = () => signal.removeEventListener('abort', onAbort);
      }
      this.queue.push(queued);
      this.next();
    });
  }

  /** Asks the child to finish (disposing its models), kills it if it does not in time; pending requests fail. */
  async dispose(): Promise<void> {
    this.disposed = true;
    this.clearIdleTimer();
    for (const queued of this.queue.splice(0)) {
      queued.detach();
      queued.resolve(disposedError(queued.request.path));
    }
    if (this.child) this.retire(this.child);
    await Promise.all([...this.stopping]);
  }

  private next(): void {
    if (this.busy || this.disposed) return;
    const queued = this.queue.shift();
    if (!queued) {
      this.armIdleTimer();
      return;
    }
    queued.detach();
    this.busy = true;
    this.clearIdleTimer();
    void this.run(queued).then((result) => {
      this.busy = false;
      queued.resolve(result);
      this.next();
    });
  }

  private async run({ request, onProgress, signal }: QueuedRequest): Promise<Result<Transcript>> {
    if (signal?.aborted) return cancelled(request.path);
    const child = this.liveChild();
    if (!child.ok) return child;
    const handle = child.value;
    handle.hold(true);
    const requestId = randomUUID();
    let cancelRequested = false;
    let killTimer: NodeJS.Timeout | null = null;
    let stopListening: () => void = () => undefined;
    const onAbort = (): void => {
      cancelRequested = true;
      handle.send({ type: 'cancel', requestId });
      // A child stuck in native code cannot answer: it is killed, and the next request starts a fresh one.
      killTimer = setTimeout(() => handle.kill(), this.options.cancelGraceMs ?? DEFAULT_CANCEL_GRACE_MS);
    };

    const result = await new Promise<Result<Transcript>>((resolve) => {
      stopListening = handle.onMessage((message) => {
        if (message.requestId !== requestId) return;
        if (message.type === 'progress') {
          if (!cancelRequested) reportSafely(onProgress, message.stage, message.percent);
          return;
        }
        resolve(message.result);
      });
      void handle.exited.then(() =>
        resolve(fail('ENGINE_PROCESS_DIED', `The transcription process ${handle.describeExit()} while transcribing ${request.path}.`, request.path)),
      );
      signal?.addEventListener('abort', onAbort, { once: true });
      handle.send({
        type: 'transcribe',
        requestId,
        path: request.path,
        device: request.device ?? this.options.device ?? 'auto',
        ...(request.modelId !== undefined ? { modelId: request.modelId } : {}),
        ...(request.modelDir !== undefined ? { modelDir: request.modelDir } : {}),
        ...(request.dtype !== undefined ? { dtype: request.dtype } : {}),
        ...(request.language !== undefined ? { language: request.language } : {}),
        ...(request.task !== undefined ? { task: request.task } : {}),
      });
    });

    stopListening();
    signal?.removeEventListener('abort', onAbort);
    if (killTimer) clearTimeout(killTimer);
    if (handle.alive) handle.hold(false);
    if (this.disposed && !result.ok) return disposedError(request.path);
    if (cancelRequested && !result.ok) return cancelled(request.path);
    return result;
  }

  /** The running child, or a new one when there is none (first request, or the last one died). */
  private liveChild(): Result<TranscriberChildHandle> {
    if (this.child?.alive) return { ok: true, value: this.child };
    const spawned = spawnTranscriberChild(this.options);
    if (!spawned.ok) return spawned;
    const handle = spawned.value;
    this.child = handle;
    void handle.exited.then(() => {
      if (this.child === handle) this.child = null;
    });
    return spawned;
  }

  private armIdleTimer(): void {
    this.clearIdleTimer();
    const child = this.child;
    if (!child) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (!this.busy && this.child === child) this.retire(child);
    }, this.options.idleMs ?? DEFAULT_IDLE_MS);
    this.idleTimer.unref();
  }

  private clearIdleTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  /** Graceful shutdown with a deadline; the child is forgotten at once, so a new request starts another. */
  private retire(child: TranscriberChildHandle): void {
    if (this.child === child) this.child = null;
    const stopped = (async () => {
      if (!child.alive) return;
      // Held until it has exited, so a caller awaiting dispose() really waits for it.
      child.hold(true);
      child.send({ type: 'shutdown' });
      let timer: NodeJS.Timeout | null = null;
      const deadline = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          child.kill();
          resolve();
        }, this.options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS);
        timer.unref();
      });
      await Promise.race([child.exited, deadline]);
      if (timer) clearTimeout(timer);
      await child.exited;
    })();
    this.stopping.add(stopped);
    void stopped.then(() => this.stopping.delete(stopped));
  }
}

/** A throwing progress listener must not take the request down with it. */
function reportSafely(onProgress: FileTranscribeProgressListener, stage: Parameters<FileTranscribeProgressListener>[0]['stage'], percent: number): void {
  try {
    onProgress({ stage, percent });
  } catch {
    // Progress is advisory.
  }
}
