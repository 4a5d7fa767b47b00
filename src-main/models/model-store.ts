import { access, readdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fail, ok, type Result } from '../../src-shared/result';
import { filesForDtype, findCatalogModel, type ModelDtype } from './catalog';
import { downloadModelFiles, type DownloadProgress } from './downloader';

export interface ResolvedModel {
  modelId: string;
  dir: string;
  dtype: ModelDtype;
  source: 'explicit' | 'installed' | 'downloaded';
}

export interface ResolveModelRequest {
  modelId: string;
  dtype: ModelDtype | null;
  /** A folder given by the user; used as is. */
  explicitDir?: string | null;
  /** Folders searched for `<modelId>/`, in order, before downloading (user models, ../shared/models, …). */
  searchDirs: string[];
  /** Where a missing model is downloaded to (`<downloadDir>/<modelId>`); null forbids downloading. */
  downloadDir: string | null;
  baseUrl?: string | undefined;
  signal?: AbortSignal | undefined;
  onProgress?: ((progress: DownloadProgress) => void) | undefined;
}

const DTYPE_SUFFIX: Record<ModelDtype, string> = { fp32: '', fp16: '_fp16', q8: '_quantized', q4: '_q4' };
const DTYPE_PREFERENCE: ModelDtype[] = ['q8', 'fp32', 'fp16', 'q4'];

/** The per-user models folder, following each platform's convention. */
/** The per-user data folder (library, media, recordings, models) when the app's own is not given. */
export function defaultUserDataDir(platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return join(process.env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), 'Verbatim');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Verbatim');
  return join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'verbatim');
}

export function defaultUserModelsDir(platform: NodeJS.Platform = process.platform): string {
  return join(defaultUserDataDir(platform), 'models');
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** Which dtypes a transformers.js folder holds complete encoder + merged decoder pairs for. */
export async function availableDtypes(dir: string): Promise<ModelDtype[]> {
  const names = new Set(await readdir(join(dir, 'onnx')).catch(() => [] as string[]));
  if (!(await exists(join(dir, 'config.json'))) || !(await exists(join(dir, 'tokenizer.json')))) return [];
  return DTYPE_PREFERENCE.filter(
    (dtype) => names.has(`encoder_model${DTYPE_SUFFIX[dtype]}.onnx`) && names.has(`decoder_model_merged${DTYPE_SUFFIX[dtype]}.onnx`),
  );
}

function pickDtype(available: ModelDtype[], wanted: ModelDtype | null): ModelDtype | null {
  if (wanted !== null) return available.includes(wanted) ? wanted : null;
  return available[0] ?? null;
}

/** Finds a model locally (explicit folder, then search folders), else downloads it with verification. */
export async function resolveModel(request: ResolveModelRequest): Promise<Result<ResolvedModel>> {
  if (request.explicitDir) {
    const dtype = pickDtype(await availableDtypes(request.explicitDir), request.dtype);
    if (dtype === null) {
      return fail('MODEL_FOLDER_INVALID', `${request.explicitDir} is not a Whisper model folder in transformers.js layout${request.dtype ? ` with ${request.dtype} weights` : ''}.`, request.explicitDir);
    }
    return ok({ modelId: request.modelId, dir: request.explicitDir, dtype, source: 'explicit' });
  }
  for (const searchDir of request.searchDirs) {
    const dir = join(searchDir, request.modelId);
    const dtype = pickDtype(await availableDtypes(dir), request.dtype);
    if (dtype !== null) return ok({ modelId: request.modelId, dir, dtype, source: 'installed' });
  }
  const model = findCatalogModel(request.modelId);
  if (!model) return fail('MODEL_UNKNOWN', `No model "${request.modelId}" in the catalog and no local folder for it.`, request.modelId);
  if (request.downloadDir === null) return fail('MODEL_MISSING', `${request.modelId} is not installed and downloading is off.`, request.modelId);
  const dtype = request.dtype ?? model.defaultDtype;
  const dir = join(request.downloadDir, model.id);
  const downloaded = await downloadModelFiles({
    repo: model.repo,
    revision: model.revision,
    files: filesForDtype(model, dtype),
    destDir: dir,
    baseUrl: request.baseUrl || undefined,
    signal: request.signal,
    onProgress: request.onProgress,
  });
  if (!downloaded.ok) return downloaded;
  return ok({ modelId: model.id, dir, dtype, source: 'downloaded' });
}
