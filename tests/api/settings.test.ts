/**
 * Settings live in `<dataDir>/settings.json`: defaults on first start, patches validated as a whole,
 * written by rename (no temp files left), kept across restarts of the real app services, and a damaged
 * file costs only its damaged fields.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppSettings } from '../../src-shared/ipc-contract';
import { memoryLogger, silentLogger } from '../../src-shared/logger';
import { openSettingsStore, SETTINGS_FILE, type SettingsStoreOptions } from '../../src-main/api/settings-store';
import { makeTempDir } from '../audio/helpers';
import { openTestServices } from '../bridge/bridge-helpers';
import { TINY_MULTILINGUAL } from '../support/paths';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let counter = 0;

beforeAll(async () => {
  temp = await makeTempDir('settings');
});
afterAll(async () => {
  await temp?.cleanup();
});

async function freshDir(): Promise<string> {
  const dir = path.join(temp.dir, `data-${counter++}`);
  await mkdir(dir, { recursive: true });
  return dir;
}

function storeOptions(dataDir: string, overrides: Partial<SettingsStoreOptions> = {}): SettingsStoreOptions {
  return {
    dataDir,
    localModelId: null,
    isKnownModel: (modelId) => ['whisper-base', 'whisper-small', 'my-local'].includes(modelId),
    isInstalled: async (modelId) => modelId === 'whisper-small',
    logger: silentLogger,
    ...overrides,
  };
}

describe('the settings store', () => {
  it('starts from the defaults: whisper-base, detect the language, GPU on, the data folder, default devices', async () => {
    const dataDir = await freshDir();
    const store = await openSettingsStore(storeOptions(dataDir));
    expect(store.current()).toEqual({
      modelId: 'whisper-base',
      language: null,
      vocabulary: '',
      useGpu: true,
      findSpeakers: true,
      storageDir: dataDir,
      inputDeviceId: null,
      monitorDeviceId: null,
      userName: 'Me',
    });
    const withLocal = await openSettingsStore(storeOptions(await freshDir(), { localModelId: 'my-local' }));
    expect(withLocal.current().modelId).toBe('my-local');
  });

  it('saves a valid patch atomically and refuses an invalid one whole', async () => {
    const dataDir = await freshDir();
    const store = await openSettingsStore(storeOptions(dataDir));
    const updated = await store.update({ language: 'ko', useGpu: false, findSpeakers: false, inputDeviceId: 'alsa:hw:1' });
    expect(updated.ok && updated.value).toMatchObject({
      language: 'ko',
      useGpu: false,
      findSpeakers: false,
      inputDeviceId: 'alsa:hw:1',
      modelId: 'whisper-base',
    });
    const onDisk = JSON.parse(await readFile(path.join(dataDir, SETTINGS_FILE), 'utf8')) as AppSettings;
    expect(onDisk).toEqual(store.current());
    expect(await readdir(dataDir)).toEqual([SETTINGS_FILE]);

    for (const bad of [
      { language: 'Korean' },
      { useGpu: 'yes' },
      { modelId: '' },
      { storageDir: 'relative/dir' },
      { theme: 'dark' },
      null,
      [1],
      'ko',
      { language: 'en', useGpu: 1 },
      { findSpeakers: 'no' },
    ]) {
      const refused = await store.update(bad);
      expect(refused.ok === false && refused.error.code, JSON.stringify(bad)).toBe('IPC_BAD_REQUEST');
    }
    const moved = await store.update({ storageDir: '/somewhere/else', language: 'en' });
    expect(moved.ok === false && moved.error.code).toBe('SETTING_READ_ONLY');
    expect((await store.update({ storageDir: dataDir })).ok).toBe(true);
    const unknownModel = await store.update({ modelId: 'whisper-huge', language: 'en' });
    expect(unknownModel.ok === false && unknownModel.error.code).toBe('MODEL_UNKNOWN');
    expect(store.current()).toEqual(onDisk);
  });

  it('keeps valid fields of a damaged file and defaults the rest', async () => {
    const dataDir = await freshDir();
    await writeFile(
      path.join(dataDir, SETTINGS_FILE),
      JSON.stringify({ modelId: 'whisper-small', language: 'French', useGpu: false, monitorDeviceId: 7 }),
    );
    const store = await openSettingsStore(storeOptions(dataDir));
    expect(store.current()).toMatchObject({ modelId: 'whisper-small', language: null, useGpu: false, monitorDeviceId: null });
  });

  it('warns about each stored value it drops, naming the file', async () => {
    const dataDir = await freshDir();
    await writeFile(path.join(dataDir, SETTINGS_FILE), JSON.stringify({ modelId: 'whisper-small', language: 'French' }));
    const logger = memoryLogger();
    await openSettingsStore(storeOptions(dataDir, { logger }));
    expect(logger.entries).toHaveLength(1);
    expect(logger.entries[0]).toMatchObject({ level: 'warn' });
    expect(logger.entries[0]?.message).toContain(path.join(dataDir, SETTINGS_FILE));
    expect(logger.entries[0]?.message).toContain('"language"');
  });

  it.each([
    ['not JSON', '{"modelId": "whisper-sm'],
    ['not an object', '["whisper-small"]'],
  ])('keeps a settings file that is %s beside the defaults instead of losing it, and warns naming both files', async (_kind, damaged) => {
    const dataDir = await freshDir();
    const file = path.join(dataDir, SETTINGS_FILE);
    await writeFile(file, damaged);
    const logger = memoryLogger();
    const at = new Date('2025-03-04T05:06:07.089Z');
    const store = await openSettingsStore(storeOptions(dataDir, { logger, now: () => at }));
    expect(store.current().modelId).toBe('whisper-base');
    const kept = `${SETTINGS_FILE}.corrupt-2025-03-04T05-06-07-089Z`;
    expect(await readdir(dataDir)).toEqual([kept]);
    expect(await readFile(path.join(dataDir, kept), 'utf8')).toBe(damaged);
    expect(logger.entries.map((entry) => entry.level)).toEqual(['warn']);
    expect(logger.entries[0]?.message).toContain(file);
    expect(logger.entries[0]?.message).toContain(path.join(dataDir, kept));
    // The next change writes a fresh file; the damaged one stays for the user.
    expect((await store.update({ language: 'en' })).ok).toBe(true);
    expect((await readdir(dataDir)).sort()).toEqual([SETTINGS_FILE, kept].sort());
    expect(await readFile(path.join(dataDir, kept), 'utf8')).toBe(damaged);
  });

  it('starts quietly from the defaults when there is no settings file yet', async () => {
    const logger = memoryLogger();
    const store = await openSettingsStore(storeOptions(await freshDir(), { logger }));
    expect(store.current().modelId).toBe('whisper-base');
    expect(logger.entries).toEqual([]);
  });

  it('prefers the local model over a chosen one that is not installed, and keeps an installed choice', async () => {
    const notInstalled = await freshDir();
    await writeFile(path.join(notInstalled, SETTINGS_FILE), JSON.stringify({ modelId: 'whisper-base' }));
    expect((await openSettingsStore(storeOptions(notInstalled, { localModelId: 'my-local' }))).current().modelId).toBe('my-local');
    const installed = await freshDir();
    await writeFile(path.join(installed, SETTINGS_FILE), JSON.stringify({ modelId: 'whisper-small' }));
    expect((await openSettingsStore(storeOptions(installed, { localModelId: 'my-local' }))).current().modelId).toBe('whisper-small');
  });

  it('keeps settings across restarts of the app services', async () => {
    const dataDir = await freshDir();
    const first = await openTestServices(dataDir);
    try {
      const updated = await first.handlers.updateSettings({
        language: 'en',
        useGpu: false,
        monitorDeviceId: 'alsa_output.monitor',
        userName: 'Alice',
      });
      expect(updated.ok).toBe(true);
      // A name must say something.
      expect(await first.handlers.updateSettings({ userName: '   ' })).toMatchObject({ ok: false });
    } finally {
      await first.dispose();
    }
    const second = await openTestServices(dataDir);
    try {
      const settings = await second.handlers.getSettings();
      expect(settings.ok && settings.value).toEqual({
        modelId: path.basename(TINY_MULTILINGUAL),
        language: 'en',
        vocabulary: '',
        useGpu: false,
        findSpeakers: true,
        storageDir: dataDir,
        inputDeviceId: null,
        monitorDeviceId: 'alsa_output.monitor',
        userName: 'Alice',
      });
    } finally {
      await second.dispose();
    }
  });
});
