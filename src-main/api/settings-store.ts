/**
 * The user's settings, kept as `<dataDir>/settings.json`. Writes go to a temporary file that is renamed
 * over the old one, so a crash leaves the old settings or the new ones, never half a file. A file that is
 * missing, unreadable or partly invalid yields the defaults for what it lacks; a damaged one is kept aside
 * (see readJsonFile) and every value dropped is logged.
 */
import { join } from 'node:path';
import type { AppSettings } from '../../src-shared/ipc-contract';
import { parseSettingsPatch } from '../../src-shared/ipc-validation';
import type { Logger } from '../../src-shared/logger';
import { fail, ok, type Result } from '../../src-shared/result';
import { DEFAULT_USER_NAME } from '../jobs/channel-speakers';
import { DEFAULT_MODEL_ID } from '../models/catalog';
import { readJsonFile, writeJsonFile } from './json-file';

export const SETTINGS_FILE = 'settings.json';

export interface SettingsStoreOptions {
  dataDir: string;
  /** The local model given at start-up, if any: the default model, and a valid choice. */
  localModelId: string | null;
  /** Whether a model id names a model the app knows (the catalog's, or the local one). */
  isKnownModel: (modelId: string) => boolean;
  /** Whether a model is ready to use without a download. */
  isInstalled: (modelId: string) => Promise<boolean>;
  logger: Logger;
  now?: () => Date;
}

export interface SettingsStore {
  current(): AppSettings;
  /** Validates the whole patch first: an invalid field changes nothing. */
  update(patch: unknown): Promise<Result<AppSettings>>;
}

export function defaultSettings(dataDir: string, localModelId: string | null): AppSettings {
  return {
    modelId: localModelId ?? DEFAULT_MODEL_ID,
    language: null,
    vocabulary: '',
    useGpu: true,
    findSpeakers: true,
    storageDir: dataDir,
    inputDeviceId: null,
    monitorDeviceId: null,
    userName: DEFAULT_USER_NAME,
  };
}

export async function openSettingsStore(options: SettingsStoreOptions): Promise<SettingsStore> {
  const path = join(options.dataDir, SETTINGS_FILE);
  const defaults = defaultSettings(options.dataDir, options.localModelId);
  let settings = await loadSettings(path, defaults, options);
  // Writes are serialized: two quick updates must land in the order they were made.
  let writing: Promise<unknown> = Promise.resolve();

  return {
    current: () => ({ ...settings }),
    async update(patch) {
      const parsed = parseSettingsPatch(patch);
      if (!parsed.ok) return parsed;
      if (parsed.value.storageDir !== undefined && parsed.value.storageDir !== settings.storageDir) {
        return fail(
          'SETTING_READ_ONLY',
          'The library folder is the one Verbatim was started with; moving it is not supported yet.',
          parsed.value.storageDir,
        );
      }
      if (parsed.value.modelId !== undefined && !options.isKnownModel(parsed.value.modelId)) {
        return fail('MODEL_UNKNOWN', `No model "${parsed.value.modelId}" in the catalog or given at start-up.`, parsed.value.modelId);
      }
      const next: AppSettings = { ...settings, ...parsed.value };
      const write = writing.then(() => writeSettings(path, next));
      writing = write.catch(() => undefined);
      const written = await write;
      if (!written.ok) return written;
      settings = next;
      return ok({ ...next });
    },
  };
}

async function loadSettings(path: string, defaults: AppSettings, options: SettingsStoreOptions): Promise<AppSettings> {
  const stored = readJsonFile(path, {
    what: 'the settings',
    isValid: (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
    logger: options.logger,
    ...(options.now ? { now: options.now } : {}),
  }) as Record<string, unknown> | undefined;
  const settings: AppSettings = { ...defaults };
  // Field by field: one bad value (an edited file, a model since removed) costs only that field.
  for (const [key, value] of Object.entries(stored ?? {})) {
    const single = parseSettingsPatch({ [key]: value });
    if (single.ok) Object.assign(settings, single.value);
    else options.logger.warn(`${path}: the stored value of "${key}" is not valid and is ignored (${single.error.message})`);
  }
  // The folder is the one the app was started with, whatever an old file says.
  settings.storageDir = defaults.storageDir;
  if (!options.isKnownModel(settings.modelId)) settings.modelId = defaults.modelId;
  // A local model given at start-up wins over a chosen model that is not installed (e.g. an offline machine).
  if (options.localModelId !== null && settings.modelId !== options.localModelId && !(await options.isInstalled(settings.modelId))) {
    settings.modelId = options.localModelId;
  }
  return settings;
}

async function writeSettings(path: string, settings: AppSettings): Promise<Result<void>> {
  return writeJsonFile(path, settings, 'the settings');
}
