import { fail, ok, type Result } from '../../src-shared/result';
import type { DiarizationCatalogModel } from './diarization-catalog';
import type { CatalogFile, CatalogModel } from './catalog';
import { fetchMetadata, fileUrl } from './downloader';

/**
 * Fills in the sha256 and size of every catalog file from the hub's LFS metadata, so that later
 * downloads are checked against pinned values rather than against what the hub says at that time.
 * Small non-LFS files (JSON) have no advertised sha256 and keep only their size.
 */
export async function pinCatalogModels(
  models: CatalogModel[],
  options: { baseUrl?: string; fetchImpl?: typeof fetch } = {},
): Promise<Result<CatalogModel[]>> {
  const fetchImpl = options.fetchImpl ?? fetch;
  const pinned: CatalogModel[] = [];
  for (const model of models) {
    const pinFile = async (file: CatalogFile): Promise<Result<CatalogFile>> => {
      const metadata = await fetchMetadata(fetchImpl, fileUrl({ ...model, baseUrl: options.baseUrl || undefined }, file.path));
      if (!metadata.ok) return fail(metadata.error.code, `${model.id}: ${metadata.error.message}`, file.path);
      return ok({ path: file.path, sha256: metadata.value.sha256 ?? file.sha256, sizeBytes: metadata.value.sizeBytes ?? file.sizeBytes });
    };
    const pinAll = async (files: CatalogFile[]): Promise<Result<CatalogFile[]>> => {
      const out: CatalogFile[] = [];
      for (const file of files) {
        const result = await pinFile(file);
        if (!result.ok) return result;
        out.push(result.value);
      }
      return ok(out);
    };
    const commonFiles = await pinAll(model.commonFiles);
    if (!commonFiles.ok) return commonFiles;
    const dtypes = { ...model.dtypes };
    for (const [dtype, variant] of Object.entries(model.dtypes) as [keyof CatalogModel['dtypes'], CatalogModel['dtypes'][keyof CatalogModel['dtypes']]][]) {
      const files = await pinAll(variant.files);
      if (!files.ok) return files;
      dtypes[dtype] = { ...variant, files: files.value };
    }
    pinned.push({ ...model, commonFiles: commonFiles.value, dtypes });
  }
  return ok(pinned);
}

/** The same for the diarization models' single files. */
export async function pinDiarizationModels(
  models: DiarizationCatalogModel[],
  options: { baseUrl?: string; fetchImpl?: typeof fetch } = {},
): Promise<Result<DiarizationCatalogModel[]>> {
  const fetchImpl = options.fetchImpl ?? fetch;
  const pinned: DiarizationCatalogModel[] = [];
  for (const model of models) {
    const metadata = await fetchMetadata(fetchImpl, fileUrl({ ...model, baseUrl: options.baseUrl || undefined }, model.file.remotePath ?? model.file.path));
    if (!metadata.ok) return fail(metadata.error.code, `${model.id}: ${metadata.error.message}`, model.file.path);
    pinned.push({ ...model, file: { ...model.file, sha256: metadata.value.sha256 ?? model.file.sha256, sizeBytes: metadata.value.sizeBytes ?? model.file.sizeBytes } });
  }
  return ok(pinned);
}
