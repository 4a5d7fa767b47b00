/**
 * Where the two diarization models come from: a folder per model id (`<dir>/<id>/<file>`) in the user's
 * models folder or any extra folder (../shared/models in CI), else a verified download from the hub, as for
 * Whisper. The catalog lists them in models/catalog.json under "diarization".
 */
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import catalogJson from '../../models/catalog.json';
import { fail, ok, type Result } from '../../src-shared/result';
import type { CatalogFile } from '../models/catalog';
import { downloadModelFiles, type DownloadProgress } from '../models/downloader';

export type DiarizationModelRole = 'segmentation' | 'embedding';

export interface DiarizationCatalogModel {
  id: string;
  role: DiarizationModelRole;
  repo: string;
  revision: string;
  license: string;
  file: CatalogFile;
  approxDownloadMB: number;
}

const catalog = catalogJson as unknown as { diarization: DiarizationCatalogModel[] };

export const DEFAULT_SEGMENTATION_MODEL_ID = 'pyannote-segmentation-3.0';
export const DEFAULT_EMBEDDING_MODEL_ID = 'wespeaker-voxceleb-resnet34-LM';

export function listDiarizationModels(): readonly DiarizationCatalogModel[] {
  return catalog.diarization;
}

export function findDiarizationModel(id: string): DiarizationCatalogModel | undefined {
  return catalog.diarization.find((model) => model.id === id);
}

/** Paths of the two ONNX files a diarization run needs. */
export interface DiarizationModelPaths {
  segmentation: string;
  embedding: string;
}

export interface ResolveDiarizationRequest {
  /** Folders searched for `<id>/<file>` before downloading. */
  searchDirs: string[];
  /** Where a missing model is downloaded to; null forbids downloading. */
  downloadDir: string | null;
  segmentationModelId?: string;
  embeddingModelId?: string;
  baseUrl?: string;
  signal?: AbortSignal;
  onProgress?: (progress: DownloadProgress & { modelId: string }) => void;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** The installed file of a catalog model in one of `searchDirs`, or null (never downloads). */
export async function findInstalledDiarizationModel(modelId: string, searchDirs: readonly string[]): Promise<string | null> {
  const model = findDiarizationModel(modelId);
  if (!model) return null;
  for (const searchDir of searchDirs) {
    const candidate = join(searchDir, model.id, model.file.path);
    if (await exists(candidate)) return candidate;
  }
  return null;
}

async function resolveOne(modelId: string, request: ResolveDiarizationRequest): Promise<Result<string>> {
  const model = findDiarizationModel(modelId);
  if (!model) return fail('MODEL_UNKNOWN', `No diarization model "${modelId}" in the catalog.`, modelId);
  const installed = await findInstalledDiarizationModel(model.id, request.searchDirs);
  if (installed !== null) return ok(installed);
  if (request.downloadDir === null) return fail('MODEL_MISSING', `${model.id} is not installed and downloading is off.`, model.id);
  const destDir = join(request.downloadDir, model.id);
  const downloaded = await downloadModelFiles({
    repo: model.repo,
    revision: model.revision,
    files: [model.file],
    destDir,
    ...(request.baseUrl ? { baseUrl: request.baseUrl } : {}),
    ...(request.signal ? { signal: request.signal } : {}),
    ...(request.onProgress ? { onProgress: (progress: DownloadProgress) => request.onProgress?.({ ...progress, modelId: model.id }) } : {}),
  });
  if (!downloaded.ok) return downloaded;
  return ok(join(destDir, model.file.path));
}

/** Finds (or downloads) the segmentation and embedding models. */
export async function resolveDiarizationModels(request: ResolveDiarizationRequest): Promise<Result<DiarizationModelPaths>> {
  const segmentation = await resolveOne(request.segmentationModelId ?? DEFAULT_SEGMENTATION_MODEL_ID, request);
  if (!segmentation.ok) return segmentation;
  const embedding = await resolveOne(request.embeddingModelId ?? DEFAULT_EMBEDDING_MODEL_ID, request);
  if (!embedding.ok) return embedding;
  return ok({ segmentation: segmentation.value, embedding: embedding.value });
}
