/**
 * The diarization entries of models/catalog.json ("diarization"): the segmentation and speaker-embedding
 * models, each one ONNX file in a folder per model id (`<dir>/<id>/<file>`). How the diarization uses an
 * entry (its front end and threshold, finding or downloading its file) is diarization/diarization-models.ts.
 */
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import catalogJson from '../../models/catalog.json';
import type { CatalogFile } from './catalog';

export type DiarizationModelRole = 'segmentation' | 'embedding';

/** The log-mel front end an embedding model was trained with (diarization/fbank.ts's FbankOptions). */
export interface CatalogFrontEnd {
  window?: 'povey' | 'hamming';
  inputScale?: number;
}

export interface DiarizationCatalogModel {
  id: string;
  role: DiarizationModelRole;
  repo: string;
  revision: string;
  license: string;
  file: CatalogFile;
  approxDownloadMB: number;
  /** Embedding models: values per embedding. */
  dimension?: number;
  /** Embedding models: the fbank the model was trained with. */
  frontEnd?: CatalogFrontEnd;
  /** Embedding models: cosine similarity below which two groups of ~2 s pieces are different speakers. */
  speakerThreshold?: number;
  /** Embedding models: whether `speakerThreshold` was measured on this model's own trials (see docs/diarization.md). */
  calibrated?: boolean;
}

const catalog = catalogJson as unknown as { diarization: DiarizationCatalogModel[] };

export const DEFAULT_SEGMENTATION_MODEL_ID = 'pyannote-segmentation-3.0';
export const DEFAULT_EMBEDDING_MODEL_ID = 'campplus-3dspeaker-zh_en-common';

export function listDiarizationModels(): readonly DiarizationCatalogModel[] {
  return catalog.diarization;
}

export function findDiarizationModel(id: string): DiarizationCatalogModel | undefined {
  return catalog.diarization.find((model) => model.id === id);
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
