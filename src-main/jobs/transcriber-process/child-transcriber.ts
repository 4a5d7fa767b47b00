/**
 * The app's FileTranscriber and FileDiarizer: transcriptions and diarizations run in a child process, so
 * onnxruntime and the decoding never block the main event loop, and a crash of either costs one job, not
 * the app. The child starts with the first request, runs one request at a time (later ones wait their
 * turn) and keeps its Whisper model warm until it has been idle for `idleMs`.
 */
import { randomUUID } from 'node:crypto';
import { fail, type Result } from '../../../src-shared/result';
import type { Transcript } from '../../../src-shared/transcript';
import type { ExecutionPreference } from '../../onnx/execution-provider';
import type { FileDiarization, FileDiarizeProgress, FileDiarizeRequest, FileDiarizer } from '../../diarization/file-diarizer';
import type { FileTranscribeProgressListener, FileTranscribeRequest, FileTranscriber } from '../file-transcriber';
import type { FromTranscriberChild, ToTranscriberChild, TranscriberChildOptions } from './protocol';
import type { EngineChildLauncher } from '../../util/engine-child/engine-child-process';
import { spawnTranscriberChild, type TranscriberChildHandle } from './transcriber-child-handle';
import { inBackground } from '../../util/background';
import { silentLogger, type Logger } from '../../../src-shared/logger';

export interface ChildTranscriberOptions extends TranscriberChildOptions {
  /** An idle child is shut down after this long (default 60 s); the next request starts a new one. */
  idleMs?: number;
  /** After a cancel, the child is killed if it has not answered within this long (default 2 s). */
  cancelGraceMs?: number;
  /** dispose() and idle shutdown kill a child that has not exited within this long (default 10 s). */
  shutdownTimeoutMs?: number;
  /** How the child is started: child_process.fork (default), or Electron's utilityProcess in the app. */
  launcher?: EngineChildLauncher | undefined;
  /** Where a progress listener that threw is reported (default: nowhere). */
  logger?: Logger;
}

/** One request for the child: how to ask, how to read its messages, and whom to answer. */
interface ChildRequest<T> {
  /** The file, named in errors. */
  path: string;
  /** "Transcription", "Diarization": how errors name the work. */
  work: string;
  signal: AbortSignal | undefined;
  message(requestId: string): ToTranscriberChild;
  /** The request's answer when `message` is its result; otherwise reports progress (when asked) and gives null. */
  read(message: FromTranscriberChild, reportProgress: boolean): Result<T> | null;
  resolve(result: Result<T>): void;
  /** Stops listening for a cancel while queued (the run listens from then on). */
  detach(): void;
}

const DEFAULT_IDLE_MS = 60_000;
const DEFAULT_CANCEL_GRACE_MS = 2000;
const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;

const cancelled = <T>(work: string, path: string): Result<T> => fail('CANCELLED', `${work} of ${path} was cancelled.`, path);
const disposedError = <T>(path: string): Result<T> => fail('ENGINE_DISPOSED', 'The transcriber has been disposed.', path);

export class ChildTranscriber implements FileTranscriber, FileDiarizer {
  private child: TranscriberChildHandle | null = null;
  private readonly queue: ChildRequest<unknown>[] = [];
  private busy = false;
  private disposed = false;
  private idleTimer: NodeJS.Timeout | null = null;
  private readonly stopping = new Set<Promise<void>>();

  constructor(private readonly options: ChildTranscriberOptions = {}) {}

  /** A throwing progress listener must not take the request down with it: progress is advisory. */
  private reportSafely(report: () => void): void {
    try {
      report();
    } catch (error) {
      (this.options.logger ?? silentLogger).warn('A transcription progress listener threw', error);
    }
  }

  /** The running child's process id, or null when none runs (diagnostics and tests). */
  get pid(): number | null {
    return this.child?.alive ? this.child.pid : null;
  }

  transcribe(
    request: FileTranscribeRequest,
    onProgress: FileTranscribeProgressListener = () => undefined,
    signal?: AbortSignal,
  ): Promise<Result<Transcript>> {
    return this.submit<Transcript>(
      request.path,
      'Transcription',
      signal,
      request.device,
      (requestId, device) => ({
        type: 'transcribe',
        requestId,
        path: request.path,
        device,
        modelId: request.modelId,
        modelDir: request.modelDir,
        dtype: request.dtype,
        language: request.language,
        task: request.task,
        prompt: request.prompt || undefined,
        channel: request.channel,
      }),
      (message, reportProgress) => {
        if (message.type === 'result') return message.result;
        if (message.type === 'progress' && reportProgress) {
          this.reportSafely(() => onProgress({ stage: message.stage, percent: message.percent, segments: message.segments }));
        }
        return null;
      },
    );
  }

  diarize(
    request: FileDiarizeRequest,
    onProgress: (progress: FileDiarizeProgress) => void = () => undefined,
    signal?: AbortSignal,
  ): Promise<Result<FileDiarization>> {
    return this.submit<FileDiarization>(
      request.path,
      'Diarization',
      signal,
      undefined,
      (requestId, device) => ({
        type: 'diarize',
        requestId,
        path: request.path,
        device,
        speakers: request.speakers,
        channel: request.channel,
      }),
      (message, reportProgress) => {
        if (message.type === 'diarized') return message.result;
        if (message.type === 'diarize-progress' && reportProgress)
          this.reportSafely(() => onProgress({ stage: message.stage, percent: message.percent }));
        return null;
      },
    );
  }

  /** Asks the child to finish (disposing its models), kills it if it does not in time; pending requests fail. */
  async dispose(): Promise<void> {
    this.disposed = true;
    this.clearIdleTimer();
    for (const queued of this.queue.splice(0)) {
      queued.detach();
      queued.resolve(disposedError(queued.path));
    }
    if (this.child) this.retire(this.child);
    await Promise.all([...this.stopping]);
  }

  private submit<T>(
    path: string,
    work: string,
    signal: AbortSignal | undefined,
    requestedDevice: ExecutionPreference | undefined,
    message: (requestId: string, device: ExecutionPreference) => ToTranscriberChild,
    read: ChildRequest<T>['read'],
  ): Promise<Result<T>> {
    if (this.disposed) return Promise.resolve(disposedError(path));
    if (signal?.aborted) return Promise.resolve(cancelled(work, path));
    const device = requestedDevice ?? this.options.device ?? 'auto';
    return new Promise((resolve) => {
      const queued: ChildRequest<T> = {
        path,
        work,
        signal,
        message: (requestId) => message(requestId, device),
        read,
        resolve,
        detach: () => undefined,
      };
      if (signal) {
        // A request still waiting for its turn leaves the queue at once.
        const onAbort = (): void => {
          const index = this.queue.indexOf(queued);
          if (index < 0) return;
          this.queue.splice(index, 1);
          resolve(cancelled(work, path));
        };
        signal.addEventListener('abort', onAbort, { once: true });
        queued.detach = () => signal.removeEventListener('abort', onAbort);
      }
      this.queue.push(queued);
      this.next();
    });
  }

  /** Ends an idle child now instead of after `idleMs` (a live recording is about to load the same model). */
  releaseIdle(): void {
    const child = this.child;
    if (this.busy || this.queue.length > 0 || this.disposed || !child) return;
    this.clearIdleTimer();
    this.retire(child);
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
    inBackground(
      this.run(queued).then((result) => {
        this.busy = false;
        queued.resolve(result);
        this.next();
      }),
    );
  }

  private async run<T>(request: ChildRequest<T>): Promise<Result<T>> {
    const { path, work, signal } = request;
    if (signal?.aborted) return cancelled(work, path);
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

    const result = await new Promise<Result<T>>((resolve) => {
      stopListening = handle.onMessage((message) => {
        if (message.requestId !== requestId) return;
        const answer = request.read(message, !cancelRequested);
        if (answer !== null) resolve(answer);
      });
      inBackground(
        handle.exited.then(() =>
          resolve(
            fail(
              'ENGINE_PROCESS_DIED',
              `The transcription process ${handle.describeExit()} during ${work.toLowerCase()} of ${path}.`,
              path,
            ),
          ),
        ),
      );
      signal?.addEventListener('abort', onAbort, { once: true });
      handle.send(request.message(requestId));
    });

    stopListening();
    signal?.removeEventListener('abort', onAbort);
    if (killTimer) clearTimeout(killTimer);
    if (handle.alive) handle.hold(false);
    if (this.disposed && !result.ok) return disposedError(path);
    if (cancelRequested && !result.ok) return cancelled(work, path);
    return result;
  }

  /** The running child, or a new one when there is none (first request, or the last one died). */
  private liveChild(): Result<TranscriberChildHandle> {
    if (this.child?.alive) return { ok: true, value: this.child };
    const spawned = spawnTranscriberChild(childOptionsOf(this.options), this.options.launcher);
    if (!spawned.ok) return spawned;
    const handle = spawned.value;
    this.child = handle;
    inBackground(
      handle.exited.then(() => {
        if (this.child === handle) this.child = null;
      }),
    );
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
    inBackground(stopped.then(() => this.stopping.delete(stopped)));
  }
}

/** What the child is told on its command line: its own options, not the parent's timers or launcher. */
function childOptionsOf(options: ChildTranscriberOptions): TranscriberChildOptions {
  const { modelsDir, extraModelDirs, device, ffmpegPath, ffprobePath, hubUrl } = options;
  // Every key named: the compiler refuses this when the child gains an option that is not passed on.
  const picked: { [K in keyof Required<TranscriberChildOptions>]: TranscriberChildOptions[K] } = {
    modelsDir,
    extraModelDirs,
    device,
    ffmpegPath,
    ffprobePath,
    hubUrl,
  };
  return picked;
}
