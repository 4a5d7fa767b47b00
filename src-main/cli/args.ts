import { parseArgs } from 'node:util';
import { checkModelArgs, MODEL_ARG_OPTIONS } from './model-args';
import { errorMessage } from '../../src-shared/errors';
import { fail, ok, type Result } from '../../src-shared/result';
import type { AsrTask } from '../../src-shared/transcript';
import type { ExecutionPreference } from '../onnx/execution-provider';
import type { ModelDtype } from '../models/catalog';
import { EXPORT_FORMATS, type ExportFormat } from '../export/index';

export interface TranscribeCommand {
  files: string[];
  modelId: string | null;
  modelDir: string | null;
  modelsDir: string | null;
  dtype: ModelDtype | null;
  /** null = detect. */
  language: string | null;
  task: AsrTask;
  prompt: string | null;
  beamSize: number | null;
  formats: ExportFormat[];
  outDir: string | null;
  device: ExecutionPreference;
  quiet: boolean;
}

export const USAGE = `Usage: verbatim transcribe <files...> [options]

Options:
  --model <id>         catalog model id (default: whisper-base); see models/catalog.json
  --model-dir <dir>    use a local model folder in transformers.js layout instead of the catalog
  --models-dir <dir>   where downloaded models live (default: your user models folder)
  --dtype <fp32|fp16|q8|q4>   weight precision (default: the model's default)
  --language <auto|ko|en|…>   spoken language (default: auto-detect)
  --task <transcribe|translate>  translate = English output from any language
  --prompt <text>      names and words the speakers use (e.g. "Verbatim, Hyprnote, 김민지")
  --beam-size <n>      beams of the decoder's search, 1 = greedy (default 5)
  --format <list>      comma-separated: ${EXPORT_FORMATS.join(',')} (default: txt,srt)
  --out-dir <dir>      where transcripts go (default: next to each input)
  --device <auto|cpu|gpu>  execution provider preference (default: auto)
  --quiet              no progress bar
`;

export function parseTranscribeArgs(argv: string[]): Result<TranscribeCommand> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        ...MODEL_ARG_OPTIONS,
        format: { type: 'string', default: 'txt,srt' },
        'out-dir': { type: 'string' },
        quiet: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    return fail('CLI_BAD_ARGS', errorMessage(error));
  }
  const { values, positionals } = parsed;
  if (positionals.length === 0) return fail('CLI_BAD_ARGS', 'Give at least one file to transcribe.');
  const formats = (values.format ?? '')
    .split(',')
    .map((format) => format.trim())
    .filter(Boolean);
  const unknownFormat = formats.find((format) => !(EXPORT_FORMATS as readonly string[]).includes(format));
  if (unknownFormat !== undefined || formats.length === 0) {
    return fail('CLI_BAD_ARGS', `Unknown format "${unknownFormat ?? ''}"; choose from ${EXPORT_FORMATS.join(', ')}.`);
  }
  const model = checkModelArgs(values);
  if (!model.ok) return model;
  return ok({
    files: positionals,
    ...model.value,
    formats: formats as ExportFormat[],
    outDir: values['out-dir'] ?? null,
    quiet: values.quiet ?? false,
  });
}
