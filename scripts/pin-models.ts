// `npm run models:pin`: records each catalog file's sha256 and size from the hub into models/catalog.json.
// Needs access to the Hugging Face hub (run it on a machine with internet, then commit the catalog).
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { pinCatalogModels, pinDiarizationModels } from '../src-main/models/pin-catalog';
import type { DiarizationCatalogModel } from '../src-main/models/diarization-catalog';
import type { CatalogModel } from '../src-main/models/catalog';

const catalogPath = fileURLToPath(new URL('../models/catalog.json', import.meta.url));
const catalog = JSON.parse(await readFile(catalogPath, 'utf8')) as { models: CatalogModel[]; diarization: DiarizationCatalogModel[] };
const hub = process.env.VERBATIM_HUB_URL ? { baseUrl: process.env.VERBATIM_HUB_URL } : {};
const pinned = await pinCatalogModels(catalog.models, hub);
if (!pinned.ok) {
  console.error(`error ${pinned.error.code}: ${pinned.error.message}`);
  process.exit(1);
}
const diarization = await pinDiarizationModels(catalog.diarization, hub);
if (!diarization.ok) {
  console.error(`error ${diarization.error.code}: ${diarization.error.message}`);
  process.exit(1);
}
await writeFile(catalogPath, `${JSON.stringify({ ...catalog, models: pinned.value, diarization: diarization.value }, null, 2)}\n`);
console.log(`pinned ${pinned.value.length + diarization.value.length} models in ${catalogPath}`);
