/** The model options every command shares (transcribe, record, import): their parseArgs spec and their checks. */
import { MAX_PROMPT_LENGTH } from '../../src-shared/jobs';
import { fail, ok, type Result } from '../../src-shared/result';
import type { AsrTask } from '../../src-shared/transcript';
import type { ExecutionPreference } from '../onnx/execution-provider';
import { isModelDtype, type ModelDtype } from '../models/catalog';

export const MODEL_ARG_OPTIONS = {
  model: { type: 'string' },
  'model-dir': { type: 'string' },
  'models-dir': { type: 'string' },
  dtype: { type: 'string' },
  language: { type: 'string' },
  task: { type: 'string', default: 'transcribe' },
  prompt: { type: 'string' },
  'beam-size': { type: 'string' },
  device: { type: 'string', default: 'auto' },
} as const;

export interface ModelArgValues {
  model?: string | undefined;
  'model-dir'?: string | undefined;
  'models-dir'?: string | undefined;
  dtype?: string | undefined;
  language?: string | undefined;
  task?: string | undefined;
  prompt?: string | undefined;
  'beam-size'?: string | undefined;
  device?: string | undefined;
}

export interface ModelArgs {
  modelId: string | null;
  modelDir: string | null;
  modelsDir: string | null;
  dtype: ModelDtype | null;
  /** null = detect. */
  language: string | null;
  task: AsrTask;
  /** Names and words the speakers use (a vocabulary prompt); null: none. */
  prompt: string | null;
  /** Beams of the decoder's search (1 = greedy); null: the engine's default (5). */
  beamSize: number | null;
  device: ExecutionPreference;
}

export function checkModelArgs(values: ModelArgValues): Result<ModelArgs> {
  const task = values.task ?? 'transcribe';
  const device = values.device ?? 'auto';
  if (task !== 'transcribe' && task !== 'translate') return fail('CLI_BAD_ARGS', '--task must be transcribe or translate.');
  if (device !== 'auto' && device !== 'cpu' && device !== 'gpu') return fail('CLI_BAD_ARGS', '--device must be auto, cpu or gpu.');
  if (values.dtype !== undefined && !isModelDtype(values.dtype)) return fail('CLI_BAD_ARGS', '--dtype must be fp32, fp16, q8 or q4.');
  const beamSize = values['beam-size'] === undefined ? null : Number(values['beam-size']);
  if (beamSize !== null && !(Number.isInteger(beamSize) && beamSize >= 1 && beamSize <= 10))
    return fail('CLI_BAD_ARGS', '--beam-size must be a whole number from 1 to 10.');
  if (values.prompt !== undefined && values.prompt.length > MAX_PROMPT_LENGTH)
    return fail('CLI_BAD_ARGS', `--prompt takes at most ${MAX_PROMPT_LENGTH} characters.`);
  return ok({
    modelId: values.model ?? null,
    modelDir: values['model-dir'] ?? null,
    modelsDir: values['models-dir'] ?? null,
    dtype: values.dtype ?? null,
    language: values.language === undefined || values.language === 'auto' ? null : values.language.toLowerCase(),
    task,
    prompt: values.prompt?.trim() ? values.prompt.trim() : null,
    beamSize,
    device,
  });
}
