import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { RecordingEvent } from '../../../src-shared/recording-events';
import { fail, ok, type Result } from '../../../src-shared/result';
import type { LiveTranscription, OpenedTranscription } from '../session-ports';
import type { FromLiveAsrWorker, LiveAsrWorkerConfig, ToLiveAsrWorker } from './protocol';

const RELEASE_TIMEOUT_MS = 15_000;
/**
 * The worker's young generation, kept small as the engine child's (ENGINE_CHILD_EXEC_ARGV: 2 MB semi-spaces, ×3
 * for the whole young generation): each decoder step's output arrays live outside the JavaScript heap until V8
 * collects their wrappers, and a default-sized young generation lets them pile up between collections.
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 6 };

/** The worker entry (app/live-asr-worker.ts): the TypeScript source through tsx when running from source, the bundled .js otherwise. */
function spawnWorker(config: LiveAsrWorkerConfig): Result<Worker> {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) {
    const entry = pathToFileURL(join(dirname(here), '..', '..', 'app', 'live-asr-worker.ts')).href;
    return ok(new Worker(join(dirname(here), 'dev-bootstrap.mjs'), { workerData: { entry, config }, resourceLimits: WORKER_LIMITS }));
  }
  // Bundled: this module sits in out/main or out/main/chunks, the entry in out/main.
  const candidates = [join(dirname(here), 'live-asr-worker.js'), join(dirname(here), '..', 'live-asr-worker.js')];
  const entry = candidates.find((candidate) => existsSync(candidate));
  if (!entry) return fail('ASR_WORKER_MISSING', `live-asr-worker.js not found next to ${here}`);
  return ok(new Worker(entry, { workerData: { config }, resourceLimits: WORKER_LIMITS }));
}

/** Starts the worker and waits until its models are loaded (or failed to). */
export async function openWorkerTranscription(
  config: LiveAsrWorkerConfig,
  emit: (event: RecordingEvent) => void,
): Promise<Result<OpenedTranscription>> {
  const spawned = spawnWorker(config);
  if (!spawned.ok) return spawned;
  const worker = spawned.value;
  let onMessage: (message: FromLiveAsrWorker) => void = () => undefined;
  let onError: (error: Error) => void = () => undefined;
  let onExit: (code: number) => void = () => undefined;
  const opened = await new Promise<Result<void>>((resolve) => {
    onMessage = (message) => {
      if (message.type === 'opened') resolve(ok(undefined));
      else if (message.type === 'open-failed') resolve({ ok: false, error: message.error });
    };
    onError = (error) => resolve(fail('ASR_WORKER_FAILED', `The live transcription worker failed to start: ${error.message}`));
    onExit = (code) => resolve(fail('ASR_WORKER_FAILED', `The live transcription worker exited while loading (code ${code}).`));
    worker.on('message', onMessage).once('error', onError).once('exit', onExit);
  });
  // Only this function's listeners: Worker keeps internal ones that must stay.
  worker.off('message', onMessage).off('error', onError).off('exit', onExit);
  if (!opened.ok) {
    await worker.terminate();
    return opened;
  }
  const transcription = new WorkerTranscription(worker, emit);
  return ok({ transcription, release: () => transcription.release() });
}

interface Waiter {
  resolve(): void;
  reject(error: Error): void;
}

/** The session's view of the worker: the same calls as an in-process LiveTranscriber, as messages. */
class WorkerTranscription implements LiveTranscription {
  position = 0;
  segmentsCommitted = 0;
  detectedLanguage: string | null = null;
  private nextId = 0;
  private readonly waiting = new Map<number, Waiter>();
  private dead: Error | null = null;
  private readonly exited: Promise<void>;
  private releasing: Promise<void> | null = null;

  constructor(
    private readonly worker: Worker,
    private readonly emit: (event: RecordingEvent) => void,
  ) {
    worker.on('message', (message: FromLiveAsrWorker) => this.onMessage(message));
    worker.on('error', (error) => this.die(new Error(`The live transcription worker crashed: ${error.message}`)));
    this.exited = new Promise((resolve) =>
      worker.once('exit', (code) => {
        if (!this.releasing) this.die(new Error(`The live transcription worker exited unexpectedly (code ${code}).`));
        resolve();
      }),
    );
  }

  push(samples: Float32Array): Promise<void> {
    this.position += samples.length;
    const copy = samples.slice();
    return this.call((id) => ({ type: 'push', id, samples: copy }), [copy.buffer]);
  }

  skip(from: number, to: number): void {
    this.position = to;
    if (!this.dead) this.post({ type: 'skip', from, to });
  }

  async flush(): Promise<void> {
    if (this.dead) return;
    await this.call((id) => ({ type: 'flush', id }));
  }

  /** Disposes the worker's ORT sessions, then lets the thread end (terminated if it does not, in time). */
  release(): Promise<void> {
    this.releasing ??= (async () => {
      if (!this.dead) {
        this.post({ type: 'release' });
        const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), RELEASE_TIMEOUT_MS).unref());
        if ((await Promise.race([this.exited.then(() => 'exited' as const), timeout])) === 'timeout') await this.worker.terminate();
      }
      await this.worker.terminate();
      await this.exited;
      this.die(new Error('The live transcription was released.'));
    })();
    return this.releasing;
  }

  private call(message: (id: number) => ToLiveAsrWorker, transfer?: ArrayBuffer[]): Promise<void> {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.post(message(id), transfer);
    });
  }

  private post(message: ToLiveAsrWorker, transfer?: ArrayBuffer[]): void {
    this.worker.postMessage(message, transfer);
  }

  private onMessage(message: FromLiveAsrWorker): void {
    switch (message.type) {
      case 'event':
        this.emit(message.event);
        return;
      case 'done': {
        this.segmentsCommitted = message.segmentsCommitted;
        this.detectedLanguage = message.detectedLanguage;
        const waiter = this.waiting.get(message.id);
        this.waiting.delete(message.id);
        waiter?.resolve();
        return;
      }
      case 'failed': {
        const waiter = this.waiting.get(message.id);
        this.waiting.delete(message.id);
        waiter?.reject(new Error(message.message));
        return;
      }
      default:
        return;
    }
  }

  private die(error: Error): void {
    if (this.dead) return;
    this.dead = error;
    for (const waiter of this.waiting.values()) waiter.reject(error);
    this.waiting.clear();
  }
}
