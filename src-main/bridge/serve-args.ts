/** Arguments of `npm run serve`. */
import { parseArgs } from 'node:util';
import { errorMessage } from '../../src-shared/errors';
import { fail, ok, type Result } from '../../src-shared/result';
import type { AppServicesOptions } from '../api/types';
import { LIBRARY_CHOICE_OPTIONS, LIBRARY_CHOICE_USAGE, libraryChoice } from '../cli/library-choice';
import { defaultUserDataDir } from '../models/model-store';

export const SERVE_USAGE = `Usage: npm run serve -- [options]

Options:
  --data-dir <dir>     library, media, recordings, settings and models (default: your user data folder)
  --model-dir <dir>    a local Whisper model folder (transformers.js layout) offered as an installed model
  --models-dir <dir>   where downloaded models live (default: <data-dir>/models)
  --extra-models <dir> another folder of installed models (<dir>/<model id>/…); repeatable
  --no-diarize         do not find speakers automatically after imports and recordings
  --device <auto|cpu|gpu>  execution provider (default: from the settings' GPU switch)
  --port <n>           port on 127.0.0.1 (default: a free one)
${LIBRARY_CHOICE_USAGE}`;

export interface ServeCommand {
  services: AppServicesOptions;
  port: number;
}

export function parseServeArgs(argv: string[]): Result<ServeCommand> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      allowPositionals: false,
      options: {
        'data-dir': { type: 'string' },
        'model-dir': { type: 'string' },
        'models-dir': { type: 'string' },
        'extra-models': { type: 'string', multiple: true },
        'no-diarize': { type: 'boolean', default: false },
        device: { type: 'string' },
        port: { type: 'string' },
        help: { type: 'boolean', default: false },
        ...LIBRARY_CHOICE_OPTIONS,
      },
    }));
  } catch (error) {
    return fail('CLI_BAD_ARGS', errorMessage(error));
  }
  if (values.help) return fail('CLI_HELP', SERVE_USAGE);
  const device = values.device;
  if (device !== undefined && device !== 'auto' && device !== 'cpu' && device !== 'gpu')
    return fail('CLI_BAD_ARGS', '--device must be auto, cpu or gpu.');
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) return fail('CLI_BAD_ARGS', '--port must be a port number (0 to 65535).');
  const onDamagedLibrary = libraryChoice(values);
  if (!onDamagedLibrary.ok) return onDamagedLibrary;
  return ok({
    port,
    services: {
      dataDir: values['data-dir'] ?? defaultUserDataDir(),
      localModelDir: values['model-dir'] || undefined,
      modelsDir: values['models-dir'] || undefined,
      device: device || undefined,
      extraModelDirs: values['extra-models'],
      autoDiarize: values['no-diarize'] ? false : undefined,
      onDamagedLibrary: onDamagedLibrary.value !== 'refuse' ? onDamagedLibrary.value : undefined,
    },
  });
}
