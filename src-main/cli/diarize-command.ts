/**
 * `verbatim diarize <files...>`: who spoke when, as pyannote users expect it from the command line: RTTM
 * (and JSON) next to each file or in --out-dir, the number of speakers automatic, exact or bounded. Uses
 * the catalog's default segmentation and embedding models from --models-dir (downloaded and verified when
 * missing). Every file is attempted; a bad one fails at once with its code, before any model loads.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { errorMessage } from '../../src-shared/errors';
import { fail, ok, type Result } from '../../src-shared/result';
import type { ExecutionPreference } from '../onnx/execution-provider';
import { createFileDiarizer } from '../app/diarizer';
import type { SpeakerCountHint } from '../diarization/diarize-audio';
import { DEFAULT_EMBEDDING_MODEL_ID, findDiarizationModel } from '../models/diarization-catalog';
import type { FileDiarization } from '../diarization/file-diarizer';
import { formatRttm } from '../diarization/rttm';
import { defaultUserModelsDir } from '../models/model-store';
import { ProgressBar } from './progress-bar';

export const DIARIZE_FORMATS = ['rttm', 'json'] as const;
export type DiarizeFormat = (typeof DIARIZE_FORMATS)[number];

export interface DiarizeCommand {
  files: string[];
  speakers: SpeakerCountHint | null;
  formats: DiarizeFormat[];
  outDir: string | null;
  modelsDir: string | null;
  embeddingModelId: string;
  /** 0-based channel, or null for the mix. */
  channel: number | null;
  device: ExecutionPreference;
  quiet: boolean;
}

export const DIARIZE_USAGE = `Usage: verbatim diarize <files...> [options]

Options:
  --speakers <n>          exactly n speakers (default: found automatically)
  --min-speakers <a>      at least a speakers
  --max-speakers <b>      at most b speakers
  --format <list>         comma-separated: ${DIARIZE_FORMATS.join(',')} (default: rttm)
  --out-dir <dir>         where results go (default: next to each input)
  --models-dir <dir>      where the diarization models are (<dir>/<model id>/onnx/model.onnx) and
                          downloaded to when missing (default: your user models folder)
  --embedding-model <id>  ${DEFAULT_EMBEDDING_MODEL_ID} (default) or wespeaker-voxceleb-resnet34-LM
  --channel <n>           diarize channel n only (1 = left/first) instead of the mix
  --device <auto|cpu|gpu> execution provider preference (default: auto)
  --quiet                 no progress bar
`;

function wholeNumber(name: string, value: string | undefined, least: number): Result<number | undefined> {
  if (value === undefined) return ok(undefined);
  const number = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isInteger(number) || number < least)
    return fail('CLI_BAD_ARGS', `--${name} must be a whole number of at least ${least}, got "${value}".`);
  return ok(number);
}

export function parseDiarizeArgs(argv: string[]): Result<DiarizeCommand> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        speakers: { type: 'string' },
        'min-speakers': { type: 'string' },
        'max-speakers': { type: 'string' },
        format: { type: 'string', default: 'rttm' },
        'out-dir': { type: 'string' },
        'models-dir': { type: 'string' },
        'embedding-model': { type: 'string', default: DEFAULT_EMBEDDING_MODEL_ID },
        channel: { type: 'string' },
        device: { type: 'string', default: 'auto' },
        quiet: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    return fail('CLI_BAD_ARGS', errorMessage(error));
  }
  const { values, positionals } = parsed;
  if (positionals.length === 0) return fail('CLI_BAD_ARGS', 'Give at least one file to diarize.');
  const exact = wholeNumber('speakers', values.speakers, 1);
  const min = wholeNumber('min-speakers', values['min-speakers'], 1);
  const max = wholeNumber('max-speakers', values['max-speakers'], 1);
  const channel = wholeNumber('channel', values.channel, 1);
  if (!exact.ok) return exact;
  if (!min.ok) return min;
  if (!max.ok) return max;
  if (!channel.ok) return channel;
  if (exact.value !== undefined && (min.value !== undefined || max.value !== undefined))
    return fail('CLI_BAD_ARGS', 'Give --speakers or --min-speakers/--max-speakers, not both.');
  if (min.value !== undefined && max.value !== undefined && min.value > max.value)
    return fail('CLI_BAD_ARGS', `--min-speakers (${min.value}) is more than --max-speakers (${max.value}).`);
  const formats = (values.format ?? '')
    .split(',')
    .map((format) => format.trim())
    .filter(Boolean);
  const unknown = formats.find((format) => !(DIARIZE_FORMATS as readonly string[]).includes(format));
  if (unknown !== undefined || formats.length === 0)
    return fail('CLI_BAD_ARGS', `Unknown format "${unknown ?? ''}"; choose from ${DIARIZE_FORMATS.join(', ')}.`);
  const device = values.device ?? 'auto';
  if (device !== 'auto' && device !== 'cpu' && device !== 'gpu') return fail('CLI_BAD_ARGS', '--device must be auto, cpu or gpu.');
  const embeddingModelId = values['embedding-model'] ?? DEFAULT_EMBEDDING_MODEL_ID;
  if (findDiarizationModel(embeddingModelId)?.role !== 'embedding')
    return fail('CLI_BAD_ARGS', `--embedding-model: no embedding model "${embeddingModelId}" in the catalog.`);
  const speakers: SpeakerCountHint | null =
    exact.value !== undefined
      ? { exact: exact.value }
      : min.value !== undefined || max.value !== undefined
        ? { min: min.value, max: max.value }
        : null;
  return ok({
    files: positionals,
    speakers,
    formats: formats as DiarizeFormat[],
    outDir: values['out-dir'] ?? null,
    modelsDir: values['models-dir'] ?? null,
    embeddingModelId,
    channel: channel.value === undefined ? null : channel.value - 1,
    device,
    quiet: values.quiet ?? false,
  });
}

/** The JSON result: versioned like the transcript JSON. */
export function diarizationJson(file: string, result: FileDiarization): string {
  const speakers = [...new Set(result.turns.map((turn) => turn.speaker))];
  return `${JSON.stringify(
    {
      format: 'verbatim-diarization',
      version: 1,
      file,
      durationSeconds: result.durationSeconds,
      speakers: speakers.map((speaker) => ({
        id: speaker,
        seconds: Number(
          result.turns
            .filter((turn) => turn.speaker === speaker)
            .reduce((sum, turn) => sum + turn.end - turn.start, 0)
            .toFixed(3),
        ),
      })),
      turns: result.turns.map((turn) => ({
        start: Number(turn.start.toFixed(3)),
        end: Number(turn.end.toFixed(3)),
        speaker: turn.speaker,
      })),
    },
    null,
    2,
  )}\n`;
}

export async function runDiarize(command: DiarizeCommand): Promise<number> {
  const modelsDir = resolve(command.modelsDir ?? defaultUserModelsDir());
  const bar = new ProgressBar(process.stderr, !command.quiet);
  const created = createFileDiarizer({
    device: command.device,
    modelsDir,
    embeddingModelId: command.embeddingModelId,
    onDownload: (download) =>
      bar.update(download.modelId, 'download', download.totalBytes ? (100 * download.receivedBytes) / download.totalBytes : 0),
  });
  if (!created.ok) {
    process.stderr.write(`error ${created.error.code}: ${created.error.message}\n`);
    return 1;
  }
  const { decoder, diarizer } = created.value;
  let failures = 0;
  // Bad input is named at once, before any model loads or downloads.
  const good: string[] = [];
  for (const file of command.files) {
    const path = resolve(file);
    const probe = await decoder.probe(path);
    if (probe.ok) good.push(path);
    else {
      failures += 1;
      bar.finish(`error ${probe.error.code}: ${probe.error.subject ?? path}: ${probe.error.message}`);
    }
  }
  for (const path of good) {
    const label = basename(path);
    const started = performance.now();
    const result = await diarizer.diarize(
      { path, speakers: command.speakers ?? undefined, channel: command.channel ?? undefined },
      (progress) => bar.update(label, progress.stage, progress.percent),
    );
    if (!result.ok) {
      failures += 1;
      bar.finish(`error ${result.error.code}: ${result.error.subject ?? path}: ${result.error.message}`);
      continue;
    }
    const outDir = command.outDir ? resolve(command.outDir) : dirname(path);
    const stem = basename(path, extname(path));
    const written: string[] = [];
    try {
      await mkdir(outDir, { recursive: true });
      for (const format of command.formats) {
        const outPath = join(outDir, `${stem}.${format}`);
        await writeFile(outPath, format === 'rttm' ? formatRttm(stem, result.value.turns) : diarizationJson(path, result.value));
        written.push(outPath);
      }
    } catch (error) {
      failures += 1;
      bar.finish(`error EXPORT_WRITE_FAILED: ${outDir}: ${errorMessage(error)}`);
      continue;
    }
    const seconds = (performance.now() - started) / 1000;
    bar.finish(
      `done ${path} (${result.value.speakerCount} speaker${result.value.speakerCount === 1 ? '' : 's'}, ${result.value.turns.length} turns, ${(result.value.durationSeconds / seconds).toFixed(0)}× real time) -> ${written.join(', ')}`,
    );
  }
  return failures === 0 ? 0 : 1;
}
