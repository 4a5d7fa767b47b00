/** The diarization models (who spoke when) and whether each is on this computer, for Settings. */
import { stat } from 'node:fs/promises';
import type { DiarizationModelEntry } from '../../src-shared/ipc-contract';
import { ok, type Result } from '../../src-shared/result';
import {
  DEFAULT_EMBEDDING_MODEL_ID,
  DEFAULT_SEGMENTATION_MODEL_ID,
  findInstalledDiarizationModel,
  listDiarizationModels,
  type DiarizationCatalogModel,
} from '../models/diarization-catalog';
import { searchDirs, type ModelPlaces } from './model-list';

const ROLE_LABELS: Record<DiarizationCatalogModel['role'], string> = {
  segmentation: 'Speech and speaker-change detection',
  embedding: 'Voice fingerprints (telling speakers apart)',
};

export function diarizationDownloadBytes(model: DiarizationCatalogModel): number | null {
  if (model.file.sizeBytes !== null) return model.file.sizeBytes;
  return Number.isFinite(model.approxDownloadMB) && model.approxDownloadMB > 0 ? Math.round(model.approxDownloadMB * 1_000_000) : null;
}

export async function listDiarizationModelEntries(places: ModelPlaces): Promise<Result<DiarizationModelEntry[]>> {
  const entries = await Promise.all(
    // The models the app runs; the catalog's other choices (WeSpeaker) are for the CLI's --embedding-model.
    listDiarizationModels()
      .filter((model) => model.id === DEFAULT_SEGMENTATION_MODEL_ID || model.id === DEFAULT_EMBEDDING_MODEL_ID)
      .map(async (model): Promise<DiarizationModelEntry> => {
        const path = await findInstalledDiarizationModel(model.id, searchDirs(places));
        const size = path === null ? 0 : ((await stat(path).catch(() => null))?.size ?? 0);
        return {
          id: model.id,
          role: model.role,
          label: `${ROLE_LABELS[model.role]}: ${model.id}`,
          installed: path !== null,
          diskBytes: size,
          downloadBytes: diarizationDownloadBytes(model),
          location: path,
        };
      }),
  );
  return ok(entries);
}
