import catalogJson from '../../models/catalog.json';

export type ModelDtype = 'fp32' | 'fp16' | 'q8' | 'q4';

export interface CatalogFile {
  /** Where the file is kept under the model's folder (and its name on the hub unless `remotePath` says otherwise). */
  path: string;
  /** The file's name in the hub repository, when it differs from `path`. */
  remotePath?: string;
  /** Pinned hex sha256; null until pinned (the downloader then checks the hub's advertised LFS hash). */
  sha256: string | null;
  sizeBytes: number | null;
}

export interface CatalogModel {
  id: string;
  kind: 'asr';
  family: 'whisper';
  repo: string;
  revision: string;
  multilingual: boolean;
  parametersMillions: number;
  defaultDtype: ModelDtype;
  commonFiles: CatalogFile[];
  dtypes: Record<ModelDtype, { files: CatalogFile[]; approxDownloadMB: number }>;
}

interface CatalogDocument {
  schema: number;
  models: CatalogModel[];
}

const catalog = catalogJson as CatalogDocument;

export const DEFAULT_MODEL_ID = 'whisper-base';

export function listCatalogModels(): readonly CatalogModel[] {
  return catalog.models;
}

export function findCatalogModel(id: string): CatalogModel | undefined {
  return catalog.models.find((model) => model.id === id);
}

/** Every file a model folder needs for one dtype, in transformers.js layout. */
export function filesForDtype(model: CatalogModel, dtype: ModelDtype): CatalogFile[] {
  return [...model.commonFiles, ...model.dtypes[dtype].files];
}

export function isModelDtype(value: string): value is ModelDtype {
  return value === 'fp32' || value === 'fp16' || value === 'q8' || value === 'q4';
}
