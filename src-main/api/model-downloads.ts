/**
 * Model downloads the user starts from the app: each runs in the background (one per model at a time)
 * and reports ModelDownloadProgress a few times a second, then once more as `done` or `failed`.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage } from '../../src-shared/errors';
import type { ModelDownloadProgress } from '../../src-shared/ipc-contract';
import { fail, ok, type CodedError, type Result } from '../../src-shared/result';
import { findDiarizationModel, type DiarizationCatalogModel } from '../models/diarization-catalog';
import { filesForDtype, findCatalogModel, type CatalogModel } from '../models/catalog';
import { downloadModelFiles } from '../models/downloader';
import { resolveModel } from '../models/model-store';
import { diarizationDownloadBytes } from './diarization-model-list';
import { downloadBytes, localModelDir, type ModelPlaces } from './model-list';

export const DOWNLOAD_PROGRESS_INTERVAL_MS = 250;

export interface ModelDownloadsOptions {
  places: ModelPlaces;
  /** Hub root (a mirror, or a test double); the Hugging Face hub by default. */
  hubUrl?: string | undefined;
  onProgress: (progress: ModelDownloadProgress) => void;
  progressIntervalMs?: number;
  now?: () => number;
}

export interface ModelDownloads {
  /** Answers at once; the download goes on in the background. Starting one that runs already is fine. */
  start(modelId: string): Result<void>;
  isRunning(modelId: string): boolean;
  /** Cancels running downloads (their `.part` files stay, to resume) and waits for them to end. */
  dispose(): Promise<void>;
}

export function createModelDownloads(options: ModelDownloadsOptions): ModelDownloads {
  const running = new Map<string, { controller: AbortController; done: Promise<void> }>();
  let disposed = false;

  return {
    start(modelId) {
      if (disposed) return fail('MODEL_DOWNLOADS_CLOSED', 'The app is shutting down; downloads cannot start.', modelId);
      if (localModelDir(options.places, modelId) !== null)
        return fail('MODEL_NOT_DOWNLOADABLE', `${modelId} is a model folder on this computer; there is nothing to download.`, modelId);
      const model = findCatalogModel(modelId);
      const speakerModel = model ? undefined : findDiarizationModel(modelId);
      if (!model && !speakerModel) return fail('MODEL_UNKNOWN', `No model "${modelId}" in the catalog.`, modelId);
      if (running.has(modelId)) return ok(undefined);
      const controller = new AbortController();
      const run = model
        ? download(model, controller.signal, options)
        : downloadDiarization(speakerModel as DiarizationCatalogModel, controller.signal, options);
      const done = run.finally(() => running.delete(modelId));
      running.set(modelId, { controller, done });
      return ok(undefined);
    },
    isRunning: (modelId) => running.has(modelId),
    async dispose() {
      disposed = true;
      const downloads = [...running.values()];
      for (const { controller } of downloads) controller.abort();
      await Promise.all(downloads.map(({ done }) => done));
    },
  };
}

async function download(model: CatalogModel, signal: AbortSignal, options: ModelDownloadsOptions): Promise<void> {
  const now = options.now ?? Date.now;
  const interval = options.progressIntervalMs ?? DOWNLOAD_PROGRESS_INTERVAL_MS;
  const dtype = model.defaultDtype;
  const destDir = join(options.places.modelsDir, model.id);
  const files = filesForDtype(model, dtype);
  // Files already complete are skipped by the downloader: count them as received from the start.
  const receivedByFile = new Map<string, number>();
  for (const file of files) {
    const existing = await stat(join(destDir, file.path)).catch(() => null);
    if (existing?.isFile()) receivedByFile.set(file.path, existing.size);
  }
  const estimate = downloadBytes(model);
  const received = (): number => [...receivedByFile.values()].reduce((sum, bytes) => sum + bytes, 0);
  const progress = (state: ModelDownloadProgress['state'], error: CodedError | null): ModelDownloadProgress => {
    const receivedBytes = received();
    const totalBytes = state === 'done' ? receivedBytes : estimate === null ? null : Math.max(estimate, receivedBytes);
    return { modelId: model.id, receivedBytes, totalBytes, state, error };
  };

  let lastSent = Number.NEGATIVE_INFINITY;
  const report = (): void => {
    if (now() - lastSent < interval) return;
    lastSent = now();
    options.onProgress(progress('downloading', null));
  };
  report();

  let result: Result<unknown>;
  try {
    result = await resolveModel({
      modelId: model.id,
      // Any installed precision will do; a missing model gets the catalog's default one.
      dtype: null,
      searchDirs: [options.places.modelsDir],
      downloadDir: options.places.modelsDir,
      baseUrl: options.hubUrl || undefined,
      signal,
      onProgress: ({ file, receivedBytes }) => {
        receivedByFile.set(file, receivedBytes);
        report();
      },
    });
  } catch (error) {
    // The downloader reports its faults as values; anything thrown (a full disk on rename) still ends as `failed`.
    result = fail('DOWNLOAD_FAILED', `Downloading ${model.id} failed: ${errorMessage(error)}`, model.id);
  }
  options.onProgress(result.ok ? progress('done', null) : progress('failed', result.error));
}

/** A diarization model's one ONNX file, verified like Whisper's, into `<modelsDir>/<id>/`. */
async function downloadDiarization(model: DiarizationCatalogModel, signal: AbortSignal, options: ModelDownloadsOptions): Promise<void> {
  const now = options.now ?? Date.now;
  const interval = options.progressIntervalMs ?? DOWNLOAD_PROGRESS_INTERVAL_MS;
  const total = diarizationDownloadBytes(model);
  let received = 0;
  let lastSent = Number.NEGATIVE_INFINITY;
  const progress = (state: ModelDownloadProgress['state'], error: CodedError | null): ModelDownloadProgress => ({
    modelId: model.id,
    receivedBytes: received,
    totalBytes: state === 'done' ? received : total,
    state,
    error,
  });
  options.onProgress(progress('downloading', null));
  let result: Result<unknown>;
  try {
    result = await downloadModelFiles({
      repo: model.repo,
      revision: model.revision,
      files: [model.file],
      destDir: join(options.places.modelsDir, model.id),
      baseUrl: options.hubUrl || undefined,
      signal,
      onProgress: ({ receivedBytes }) => {
        received = receivedBytes;
        if (now() - lastSent < interval) return;
        lastSent = now();
        options.onProgress(progress('downloading', null));
      },
    });
  } catch (error) {
    result = fail('DOWNLOAD_FAILED', `Downloading ${model.id} failed: ${errorMessage(error)}`, model.id);
  }
  options.onProgress(result.ok ? progress('done', null) : progress('failed', result.error));
}
