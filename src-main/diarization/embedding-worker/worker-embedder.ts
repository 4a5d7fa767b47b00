import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ok, type Result } from '../../../src-shared/result';
import type { ExecutionReport } from '../../onnx/execution-provider';
import type { FbankOptions } from '../fbank';
import { KaldiFbank } from '../fbank';
import {
  EMBEDDING_MIN_SAMPLES,
  loadOnnxEmbedder,
  WESPEAKER_FBANK,
  type EmbedderLoadOptions,
  type SpeakerEmbedder,
} from '../embedding-model';
import type { DiarizationModelErrorCode } from '../onnx-session';
import type { FromEmbeddingWorker, ToEmbeddingWorker } from './protocol';

const RELEASE_TIMEOUT_MS = 15_000;

/** The worker entry: the TypeScript source through tsx when running from source, the bundled .js otherwise; null when missing. */
function spawnWorker(config: EmbedderLoadOptions): Worker | null {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) {
    const entry = pathToFileURL(join(dirname(here), 'embedding-worker.ts')).href;
    return new Worker(join(dirname(here), 'dev-bootstrap.mjs'), { workerData: { entry, config } });
  }
  // Bundled: this module sits in out/main or out/main/chunks, the entry in out/main.
  const candidates = [join(dirname(here), 'embedding-worker.js'), join(dirname(here), '..', 'embedding-worker.js')];
  const entry = candidates.find((candidate) => existsSync(candidate));
  return entry === undefined ? null : new Worker(entry, { workerData: { config } });
}

interface Waiter {
  resolve(vectors: Float32Array[]): void;
  reject(error: Error): void;
}

/** A SpeakerEmbedder whose model runs in a worker thread: `embedFeatures` posts the features and awaits the vectors. */
class WorkerSpeakerEmbedder implements SpeakerEmbedder {
  private readonly fbank: KaldiFbank;
  private nextId = 0;
  private readonly waiting = new Map<number, Waiter>();
  private readonly inFlight = new Set<Promise<Float32Array[]>>();
  private dead: Error | null = null;
  private readonly exited: Promise<void>;
  private releasing: Promise<void> | null = null;

  constructor(
    private readonly worker: Worker,
    readonly dimension: number,
    readonly frontEnd: FbankOptions,
  ) {
    this.fbank = new KaldiFbank(frontEnd);
    worker.on('message', (message: FromEmbeddingWorker) => this.onMessage(message));
    worker.on('error', (error) => this.die(new Error(`The speaker-embedding worker crashed: ${error.message}`)));
    this.exited = new Promise((resolve) =>
      worker.once('exit', (code) => {
        if (!this.releasing) this.die(new Error(`The speaker-embedding worker exited unexpectedly (code ${code}).`));
        resolve();
      }),
    );
  }

  embed(clips: readonly Float32Array[]): Promise<Float32Array[]> {
    if (this.releasing) return Promise.reject(new Error('SpeakerEmbedder used after dispose()'));
    const short = clips.findIndex((clip) => clip.length < EMBEDDING_MIN_SAMPLES);
    if (short >= 0)
      return Promise.reject(
        new RangeError(`clip ${short} has ${clips[short]!.length} samples, at least ${EMBEDDING_MIN_SAMPLES} are needed`),
      );
    return this.embedFeatures(clips.map((clip) => this.fbank.compute(clip)));
  }

  embedFeatures(features: readonly Float32Array[]): Promise<Float32Array[]> {
    if (this.releasing) return Promise.reject(new Error('SpeakerEmbedder used after dispose()'));
    if (this.dead) return Promise.reject(this.dead);
    if (features.length === 0) return Promise.resolve([]);
    const id = this.nextId++;
    const request = new Promise<Float32Array[]>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      // Structured clone copies the features: the caller's arrays stay usable.
      this.post({ type: 'embed', id, features: [...features] });
    });
    this.inFlight.add(request);
    const forget = (): void => void this.inFlight.delete(request);
    request.then(forget, forget);
    return request;
  }

  /** Waits for the requests in flight, disposes the worker's session, then lets the thread end (terminated if it does not, in time). */
  dispose(): Promise<void> {
    this.releasing ??= (async () => {
      await Promise.allSettled([...this.inFlight]);
      if (!this.dead) {
        this.post({ type: 'release' });
        const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), RELEASE_TIMEOUT_MS).unref());
        await Promise.race([this.exited, timeout]);
      }
      await this.worker.terminate();
      await this.exited;
      this.die(new Error('SpeakerEmbedder used after dispose()'));
    })();
    return this.releasing;
  }

  private settle(id: number, outcome: (waiter: Waiter) => void): void {
    const waiter = this.waiting.get(id);
    this.waiting.delete(id);
    if (waiter !== undefined) outcome(waiter);
  }

  private post(message: ToEmbeddingWorker): void {
    this.worker.postMessage(message);
  }

  private onMessage(message: FromEmbeddingWorker): void {
    if (message.type === 'embedded') this.settle(message.id, (waiter) => waiter.resolve(message.vectors));
    else if (message.type === 'failed') this.settle(message.id, (waiter) => waiter.reject(new Error(message.message)));
  }

  private die(error: Error): void {
    if (this.dead) return;
    this.dead = error;
    for (const id of [...this.waiting.keys()]) this.settle(id, (waiter) => waiter.reject(error));
  }
}

/**
 * Loads the speaker-embedding model in a worker thread (see embedding-worker.ts). Results are the same as
 * loadOnnxEmbedder's; a worker that cannot start at all (its bundled entry missing) falls back to the model on
 * this thread, a model that fails to load is that error.
 */
export async function loadWorkerEmbedder(
  options: EmbedderLoadOptions,
): Promise<Result<{ embedder: SpeakerEmbedder; execution: ExecutionReport; inWorker: boolean }, DiarizationModelErrorCode>> {
  const inThread = async (): Promise<
    Result<{ embedder: SpeakerEmbedder; execution: ExecutionReport; inWorker: boolean }, DiarizationModelErrorCode>
  > => {
    const loaded = await loadOnnxEmbedder(options);
    return loaded.ok ? ok({ ...loaded.value, inWorker: false }) : loaded;
  };
  const worker = spawnWorker(options);
  if (worker === null) return inThread();
  type Opened = Extract<FromEmbeddingWorker, { type: 'opened' | 'open-failed' }> | { type: 'died' };
  let onMessage: (message: FromEmbeddingWorker) => void = () => undefined;
  let onError: () => void = () => undefined;
  let onExit: () => void = () => undefined;
  const opened = await new Promise<Opened>((resolve) => {
    onMessage = (message) => {
      if (message.type === 'opened' || message.type === 'open-failed') resolve(message);
    };
    onError = () => resolve({ type: 'died' });
    onExit = () => resolve({ type: 'died' });
    worker.on('message', onMessage).once('error', onError).once('exit', onExit);
  });
  worker.off('message', onMessage).off('error', onError).off('exit', onExit);
  if (opened.type !== 'opened') {
    await worker.terminate();
    if (opened.type === 'died') return inThread();
    return { ok: false, error: { ...opened.error, code: opened.error.code as DiarizationModelErrorCode } };
  }
  const embedder = new WorkerSpeakerEmbedder(worker, opened.dimension, options.frontEnd ?? WESPEAKER_FBANK);
  return ok({ embedder, execution: opened.execution, inWorker: true });
}
