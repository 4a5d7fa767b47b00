/**
 * Whisper model folders the user pointed the app at (a model copied from another machine, one the CLI
 * was given with --model-dir, …), kept in `<dataDir>/model-folders.json`. Each is offered as an installed
 * model named after its folder; one named like a catalog model stands in for it.
 */
import { isAbsolute, join, resolve } from 'node:path';
import type { Logger } from '../../src-shared/logger';
import { fail, ok, type Result } from '../../src-shared/result';
import { availableDtypes } from '../models/model-store';
import { localModelFrom, type LocalModel } from './model-list';
import { readJsonFile, writeJsonFile } from './json-file';

export const MODEL_FOLDERS_FILE = 'model-folders.json';

export interface ModelFolders {
  list(): readonly LocalModel[];
  /** Checks the folder holds a usable model, then remembers it (a folder with the same name replaces the older). */
  add(dir: string): Promise<Result<LocalModel>>;
}

export function openModelFolders(dataDir: string, logger: Logger): ModelFolders {
  const path = join(dataDir, MODEL_FOLDERS_FILE);
  let folders = readFolders(path, logger);
  let writing: Promise<unknown> = Promise.resolve();

  return {
    list: () =>
      folders.flatMap((dir) => {
        const model = localModelFrom(dir);
        return model === null ? [] : [model];
      }),
    async add(dir) {
      if (typeof dir !== 'string' || !isAbsolute(dir.trim()))
        return fail('MODEL_FOLDER_INVALID', 'Give the full path of the model folder.', String(dir));
      const absolute = resolve(dir.trim());
      if ((await availableDtypes(absolute)).length === 0) {
        return fail(
          'MODEL_FOLDER_INVALID',
          `${absolute} does not hold a Whisper model in transformers.js layout (config.json, tokenizer.json and onnx/ encoder and decoder files).`,
          absolute,
        );
      }
      const model = localModelFrom(absolute);
      if (model === null) return fail('MODEL_FOLDER_INVALID', `${absolute} is not a model folder.`, absolute);
      const next = [...folders.filter((existing) => localModelFrom(existing)?.id !== model.id), absolute];
      const write = writing.then(() => writeFolders(path, next));
      writing = write.catch(() => undefined);
      const written = await write;
      if (!written.ok) return written;
      folders = next;
      return ok(model);
    },
  };
}

function readFolders(path: string, logger: Logger): string[] {
  const stored = readJsonFile(path, { what: 'the model folders', isValid: Array.isArray, logger });
  return Array.isArray(stored) ? stored.filter((entry): entry is string => typeof entry === 'string' && isAbsolute(entry)) : [];
}

async function writeFolders(path: string, folders: readonly string[]): Promise<Result<void>> {
  return writeJsonFile(path, folders, 'the model folders');
}
