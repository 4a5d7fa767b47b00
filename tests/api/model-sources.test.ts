/**
 * Where the app finds models without downloading: a model the CLI already keeps in its models folder, a
 * model folder the user points at (remembered across restarts), and the diarization models' status.
 */
import { mkdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppServices } from '../../src-main/app/services';
import type { AppServices, AppServicesOptions } from '../../src-main/api/types';
import { makeTempDir } from '../audio/helpers';
import { realModelDir, REQUIRE_MODELS, TINY_DIARIZATION, TINY_MULTILINGUAL } from '../support/paths';

const TINY_EN = realModelDir('whisper-tiny.en');
if (TINY_EN === null && REQUIRE_MODELS) throw new Error('whisper-tiny.en is missing from ../shared/models');

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let cliModels: string;
const opened: AppServices[] = [];

async function open(dataDir: string, options: Partial<AppServicesOptions> = {}): Promise<AppServices> {
  const result = await createAppServices({ dataDir, device: 'cpu', sharedModelDirs: [cliModels], ...options });
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  opened.push(result.value);
  return result.value;
}

beforeAll(async () => {
  temp = await makeTempDir('model-sources');
  // The CLI's models folder, holding a real whisper-tiny.en (as `npm run transcribe -- --model whisper-tiny.en` leaves it).
  cliModels = path.join(temp.dir, 'cli-data', 'models');
  await mkdir(cliModels, { recursive: true });
  if (TINY_EN !== null) await symlink(TINY_EN, path.join(cliModels, 'whisper-tiny.en'));
});

afterAll(async () => {
  for (const services of opened) await services.dispose();
  await temp?.cleanup();
});

describe.skipIf(TINY_EN === null)('model sources', () => {
  it('finds a catalog model in the CLI’s models folder and uses it without a download', async () => {
    const services = await open(path.join(temp.dir, 'data-cli'));
    const models = await services.handlers.listModels();
    if (!models.ok) throw new Error(models.error.message);
    const tiny = models.value.find((model) => model.id === 'whisper-tiny.en');
    expect(tiny).toMatchObject({ installed: true, local: false, location: path.join(cliModels, 'whisper-tiny.en') });
    expect(tiny?.diskBytes).toBeGreaterThan(10_000_000);
    // Every other catalog model is listed, not installed, with its download size.
    const others = models.value.filter((model) => model.id !== 'whisper-tiny.en');
    expect(others.length).toBeGreaterThan(3);
    for (const model of others) expect(model).toMatchObject({ installed: false, location: null });
    for (const model of others) expect(model.downloadBytes).toBeGreaterThan(0);
    expect(await services.handlers.updateSettings({ modelId: 'whisper-tiny.en' })).toMatchObject({ ok: true });
  });

  it('offers a model folder the user gives, remembers it across a restart, and refuses one that holds no model', async () => {
    const dataDir = path.join(temp.dir, 'data-folder');
    const first = await open(dataDir);
    const added = await first.handlers.addModelFolder(TINY_MULTILINGUAL);
    expect(added).toMatchObject({
      ok: true,
      value: { id: path.basename(TINY_MULTILINGUAL), installed: true, local: true, location: TINY_MULTILINGUAL },
    });
    const refused = await first.handlers.addModelFolder(temp.dir);
    expect(refused).toMatchObject({ ok: false, error: { code: 'MODEL_FOLDER_INVALID', subject: temp.dir } });
    expect(await first.handlers.addModelFolder('relative/folder')).toMatchObject({ ok: false, error: { code: 'MODEL_FOLDER_INVALID' } });
    expect(await first.handlers.updateSettings({ modelId: path.basename(TINY_MULTILINGUAL) })).toMatchObject({ ok: true });
    await first.dispose();

    const second = await open(dataDir);
    const settings = await second.handlers.getSettings();
    expect(settings).toMatchObject({ ok: true, value: { modelId: path.basename(TINY_MULTILINGUAL) } });
    const models = await second.handlers.listModels();
    expect(models.ok && models.value.find((model) => model.local)).toMatchObject({ id: path.basename(TINY_MULTILINGUAL), installed: true });
  });

  it('says whether the diarization models are installed, and where', async () => {
    const without = await open(path.join(temp.dir, 'data-speakers-none'));
    const none = await without.handlers.listDiarizationModels();
    if (!none.ok) throw new Error(none.error.message);
    expect(none.value.map((model) => [model.role, model.installed])).toEqual([
      ['segmentation', false],
      ['embedding', false],
    ]);
    for (const model of none.value) expect(model.downloadBytes).toBeGreaterThan(0);

    const withModels = await open(path.join(temp.dir, 'data-speakers'), { extraModelDirs: [TINY_DIARIZATION] });
    const found = await withModels.handlers.listDiarizationModels();
    if (!found.ok) throw new Error(found.error.message);
    expect(found.value.every((model) => model.installed && model.diskBytes > 0 && model.location?.startsWith(TINY_DIARIZATION))).toBe(true);
  });
});
