/**
 * The models the user can choose: the catalog's (installed when `<modelsDir>/<id>`, or the same folder in
 * another place Verbatim keeps models, such as the CLI's models folder, holds a usable precision), the local
 * model folder given at start-up, and the folders the user added.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { ModelEntry } from '../../src-shared/ipc-contract';
import { ok, type Result } from '../../src-shared/result';
import { filesForDtype, findCatalogModel, listCatalogModels, type CatalogModel } from '../models/catalog';
import { availableDtypes } from '../models/model-store';

export interface LocalModel {
  /** The folder's name. */
  id: string;
  dir: string;
}

export interface ModelPlaces {
  /** Where downloads go. */
  modelsDir: string;
  /** The folder given at start-up (`serve --model-dir`), if any. */
  local: LocalModel | null;
  /** More folders holding `<model id>/` (the CLI's models folder, extra folders given at start-up). */
  otherDirs?: readonly string[];
  /** Folders the user added, read each time. */
  folders?: () => readonly LocalModel[];
}

/** Every model folder offered by path: the start-up one first, then the user's, a later one with the same name winning. */
export function localModels(places: ModelPlaces): LocalModel[] {
  const byId = new Map<string, LocalModel>();
  for (const model of [...(places.local ? [places.local] : []), ...(places.folders?.() ?? [])]) {
    byId.delete(model.id);
    byId.set(model.id, model);
  }
  return [...byId.values()];
}

/** The folder of a model offered by path, or null for a catalog model (found by search or download). */
export function localModelDir(places: ModelPlaces, modelId: string): string | null {
  return localModels(places).find((model) => model.id === modelId)?.dir ?? null;
}

/** The folders searched for `<model id>/`, in order. */
export function searchDirs(places: ModelPlaces): string[] {
  return [places.modelsDir, ...(places.otherDirs ?? [])];
}

export function localModelFrom(dir: string | undefined): LocalModel | null {
  if (!dir) return null;
  const absolute = resolve(dir);
  return { id: basename(absolute), dir: absolute };
}

export function isKnownModel(places: ModelPlaces, modelId: string): boolean {
  return localModelDir(places, modelId) !== null || findCatalogModel(modelId) !== undefined;
}

/** The folder a model is used from: its own for a model offered by path, else the first place that holds it (null when none). */
export async function modelFolder(places: ModelPlaces, modelId: string): Promise<string | null> {
  const local = localModelDir(places, modelId);
  if (local !== null) return local;
  for (const dir of searchDirs(places)) {
    const candidate = join(dir, modelId);
    if ((await availableDtypes(candidate)).length > 0) return candidate;
  }
  return null;
}

export async function isModelInstalled(places: ModelPlaces, modelId: string): Promise<boolean> {
  const folder = await modelFolder(places, modelId);
  return folder !== null && (await availableDtypes(folder)).length > 0;
}

export async function listModels(places: ModelPlaces): Promise<Result<ModelEntry[]>> {
  const catalogEntries = await Promise.all(listCatalogModels().map((model) => catalogEntry(places, model)));
  const locals = localModels(places);
  const localEntries = await Promise.all(locals.map((local) => localModelEntry(local, findCatalogModel(local.id))));
  // A local folder named like a catalog model stands in for it.
  return ok([...localEntries, ...catalogEntries.filter((entry) => !locals.some((local) => local.id === entry.id))]);
}

async function catalogEntry(places: ModelPlaces, model: CatalogModel): Promise<ModelEntry> {
  const dir = await modelFolder(places, model.id);
  const installed = dir !== null;
  return {
    id: model.id,
    label: catalogLabel(model),
    multilingual: model.multilingual,
    parametersMillions: model.parametersMillions,
    downloadBytes: downloadBytes(model),
    installed,
    diskBytes: dir !== null ? await folderBytes(dir) : 0,
    local: false,
    location: dir,
  };
}

async function localModelEntry(local: LocalModel, catalogTwin: CatalogModel | undefined): Promise<ModelEntry> {
  const installed = (await availableDtypes(local.dir)).length > 0;
  return {
    id: local.id,
    label: catalogTwin ? `${catalogLabel(catalogTwin)}, local folder` : `Local model (${local.id})`,
    multilingual: catalogTwin?.multilingual ?? (await readMultilingual(local.dir)),
    parametersMillions: catalogTwin?.parametersMillions ?? null,
    downloadBytes: null,
    installed,
    diskBytes: installed ? await folderBytes(local.dir) : 0,
    local: true,
    location: local.dir,
  };
}

/** "whisper-base.en" → "Whisper base (English)"; "whisper-large-v3-turbo" → "Whisper large-v3-turbo (multilingual)". */
export function catalogLabel(model: CatalogModel): string {
  const size = model.id.replace(/^whisper-/, '').replace(/\.en$/, '');
  return `Whisper ${size} (${model.multilingual ? 'multilingual' : 'English'})`;
}

/**
 * Bytes of the default precision: exact when the catalog pins every file's size, else its approximate
 * figure (the catalog's MB are 10^6 bytes).
 */
export function downloadBytes(model: CatalogModel): number | null {
  const files = filesForDtype(model, model.defaultDtype);
  const sizes = files.map((file) => file.sizeBytes);
  if (sizes.every((size): size is number => size !== null)) return sizes.reduce((sum, size) => sum + size, 0);
  const approx = model.dtypes[model.defaultDtype].approxDownloadMB;
  return Number.isFinite(approx) && approx > 0 ? Math.round(approx * 1_000_000) : null;
}

/** Whisper's generation config says whether the model is multilingual; assume it is when the file is silent. */
async function readMultilingual(dir: string): Promise<boolean> {
  try {
    const config: unknown = JSON.parse(await readFile(join(dir, 'generation_config.json'), 'utf8'));
    if (typeof config === 'object' && config !== null && 'is_multilingual' in config && typeof config.is_multilingual === 'boolean') {
      return config.is_multilingual;
    }
  } catch {
    // No readable generation config: fall through to the default.
  }
  return true;
}

export async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += await folderBytes(path);
    else if (entry.isFile()) total += (await stat(path).catch(() => ({ size: 0 }))).size;
  }
  return total;
}
