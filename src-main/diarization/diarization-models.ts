/**
 * Where the two diarization models come from: a folder per model id (`<dir>/<id>/<file>`) in the user's
 * models folder or any extra folder (../shared/models in CI), else a verified download from the hub, as for
 * Whisper. The catalog's entries are models/diarization-catalog.ts.
 */
import { join } from 'node:path';
import { fail, ok, type Result } from '../../src-shared/result';
import {
  DEFAULT_EMBEDDING_MODEL_ID,
  DEFAULT_SEGMENTATION_MODEL_ID,
  findDiarizationModel,
  findInstalledDiarizationModel,
} from '../models/diarization-catalog';
import { downloadModelFiles, type DownloadProgress } from '../models/downloader';
import { WESPEAKER_FBANK } from './embedding-model';
import type { FbankOptions } from './fbank';
import { CAMPPLUS_SPEAKER_THRESHOLD } from './piece-clustering';

/** What the pipeline needs to know about an embedding model besides its file. */
export interface EmbeddingProfile {
  modelId: string;
  frontEnd: FbankOptions;
  speakerThreshold: number;
}

/** The front end and clustering threshold of a catalog embedding model (WeSpeaker's front end for unknown ids). */
export function embeddingProfile(modelId: string): EmbeddingProfile {
  const model = findDiarizationModel(modelId);
  return {
    modelId,
    frontEnd: model?.frontEnd ?? WESPEAKER_FBANK,
    speakerThreshold: model?.speakerThreshold ?? CAMPPLUS_SPEAKER_THRESHOLD,
  };
}

/** Paths of the two ONNX files a diarization run needs, and how to use the embedding model. */
export interface DiarizationModelPaths {
  segmentation: string;
  embedding: string;
  /** Absent: WeSpeaker's front end and the CAM++ threshold (callers that pass bare files). */
  embeddingProfile?: EmbeddingProfile;
}

export interface ResolveDiarizationRequest {
  /** Folders searched for `<id>/<file>` before downloading. */
  searchDirs: string[];
  /** Where a missing model is downloaded to; null forbids downloading. */
  downloadDir: string | null;
  segmentationModelId?: string;
  embeddingModelId?: string | undefined;
  baseUrl?: string | undefined;
  signal?: AbortSignal | undefined;
  onProgress?: ((progress: DownloadProgress & { modelId: string }) => void) | undefined;
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
    baseUrl: request.baseUrl || undefined,
    signal: request.signal,
    onProgress: request.onProgress ? (progress: DownloadProgress) => request.onProgress?.({ ...progress, modelId: model.id }) : undefined,
  });
  if (!downloaded.ok) return downloaded;
  return ok(join(destDir, model.file.path));
}

/** Finds (or downloads) the segmentation and embedding models. */
export async function resolveDiarizationModels(request: ResolveDiarizationRequest): Promise<Result<DiarizationModelPaths>> {
  const segmentation = await resolveOne(request.segmentationModelId ?? DEFAULT_SEGMENTATION_MODEL_ID, request);
  if (!segmentation.ok) return segmentation;
  const embeddingModelId = request.embeddingModelId ?? DEFAULT_EMBEDDING_MODEL_ID;
  const embedding = await resolveOne(embeddingModelId, request);
  if (!embedding.ok) return embedding;
  return ok({ segmentation: segmentation.value, embedding: embedding.value, embeddingProfile: embeddingProfile(embeddingModelId) });
}
