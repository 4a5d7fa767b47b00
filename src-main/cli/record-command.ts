import { parseArgs } from 'node:util';
import { checkModelArgs, MODEL_ARG_OPTIONS } from './model-args';
import { dirname, join, basename } from 'node:path';
import { errorMessage } from '../../src-shared/errors';
import type { RecordingEvent } from '../../src-shared/recording-events';
import { fail, ok, type Result } from '../../src-shared/result';
import type { AsrTask, TranscriptSegment } from '../../src-shared/transcript';
import type { ExecutionPreference } from '../onnx/execution-provider';
import { fileExtension, writeTranscriptFile, EXPORT_FORMATS, type ExportFormat } from '../export/index';
import type { ModelDtype } from '../models/catalog';
import { createEngine } from '../app/engine';
import { inBackground } from '../util/background';

export interface RecordCommand {
  input: string | null;
  monitor: string | null;
  modelId: string | null;
  modelDir: string | null;
  modelsDir: string | null;
  dtype: ModelDtype | null;
  language: string | null;
  task: AsrTask;
  prompt: string | null;
  transcribe: boolean;
  formats: ExportFormat[];
  outDir: string | null;
  /** Stop by itself after this many seconds (null: until Ctrl-C). */
  seconds: number | null;
  device: ExecutionPreference;
}

export const RECORD_USAGE = `Usage: verbatim record [options]      (Ctrl-C stops and saves)
       verbatim devices                  (lists inputs and system-audio monitors)

Options:
  --input <id>         capture device id from "verbatim devices" (default: the system default input)
  --monitor <id>       also record a system-audio monitor as a second channel (Linux)
  --seconds <n>        stop after n seconds
  --out-dir <dir>      where recordings go (default: your user data folder)
  --no-transcribe      record only
  --format <list>      transcript files written next to the recording (default: txt,json)
  --model, --model-dir, --models-dir, --dtype, --language, --task, --prompt, --device: as for transcribe
`;

export function parseRecordArgs(argv: string[]): Result<RecordCommand> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        input: { type: 'string' },
        monitor: { type: 'string' },
        ...MODEL_ARG_OPTIONS,
        'no-transcribe': { type: 'boolean', default: false },
        format: { type: 'string', default: 'txt,json' },
        'out-dir': { type: 'string' },
        seconds: { type: 'string' },
      },
    }));
  } catch (error) {
    return fail('CLI_BAD_ARGS', errorMessage(error));
  }
  const formats = (values.format ?? '')
    .split(',')
    .map((format) => format.trim())
    .filter(Boolean);
  if (formats.some((format) => !(EXPORT_FORMATS as readonly string[]).includes(format)))
    return fail('CLI_BAD_ARGS', `--format: choose from ${EXPORT_FORMATS.join(', ')}.`);
  const model = checkModelArgs(values);
  if (!model.ok) return model;
  const seconds = values.seconds === undefined ? null : Number(values.seconds);
  if (seconds !== null && !(seconds > 0)) return fail('CLI_BAD_ARGS', '--seconds must be a positive number.');
  return ok({
    input: values.input ?? null,
    monitor: values.monitor ?? null,
    ...model.value,
    transcribe: !values['no-transcribe'],
    formats: formats as ExportFormat[],
    outDir: values['out-dir'] ?? null,
    seconds,
  });
}

const clock = (seconds: number): string =>
  `${String(Math.floor(seconds / 60)).padStart(2, '0')}:${(seconds % 60).toFixed(2).padStart(5, '0')}`;

function describe(event: RecordingEvent): string | null {
  switch (event.type) {
    case 'status':
      return `status: ${event.status}`;
    case 'gap':
      return `gap: live transcription skipped ${clock(event.start)}–${clock(event.end)} (the recording has it)`;
    case 'error':
      return `error ${event.error.code}: ${event.error.message}${event.fatal ? ' (recording stopped and saved)' : ''}`;
    case 'recovered':
      return event.recordings
        .map((recording) => `recovered ${recording.paths.join(', ')} (${recording.seconds.toFixed(1)} s): ${recording.detail}`)
        .join('\n');
    case 'saved':
      return `saved ${event.paths.join(', ')} (${event.seconds.toFixed(1)} s)`;
    default:
      return null;
  }
}

/** Records until Ctrl-C (or --seconds), printing committed text on stdout and everything else on stderr. */
export async function runRecord(command: RecordCommand): Promise<number> {
  const engine = createEngine({
    modelsDir: command.modelsDir || undefined,
    recordingsDir: command.outDir || undefined,
    device: command.device,
  });
  const segments: TranscriptSegment[] = [];
  let saved: Extract<RecordingEvent, { type: 'saved' }> | null = null;
  let fatal = false;
  let stopped: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (stopped = resolve));
  engine.onRecordingEvent((event) => {
    if (event.type === 'committed') {
      segments.push(event.segment);
      process.stdout.write(`[${clock(event.segment.start)} → ${clock(event.segment.end)}] ${event.segment.text}\n`);
    } else if (event.type === 'partial' && process.stderr.isTTY) process.stderr.write(`\r\x1b[2K… ${event.text.slice(-100)}`);
    else {
      if (event.type === 'saved') saved = event;
      if (event.type === 'error' && event.fatal) fatal = true;
      const line = describe(event);
      if (line) process.stderr.write(`${process.stderr.isTTY ? '\r\x1b[2K' : ''}${line}\n`);
      if (event.type === 'status' && event.status === 'idle') stopped();
    }
  });
  await engine.recorder.recoverAtStartup();
  const started = await engine.recorder.start({
    deviceId: command.input,
    monitorDeviceId: command.monitor,
    language: command.language,
    task: command.task,
    prompt: command.prompt || undefined,
    transcribe: command.transcribe,
    modelId: command.modelId || undefined,
    modelDir: command.modelDir || undefined,
    dtype: command.dtype || undefined,
  });
  if (!started.ok) {
    process.stderr.write(`error ${started.error.code}: ${started.error.message}\n`);
    await engine.dispose();
    return 1;
  }
  let language: string | null = command.language;
  const stop = (): void => {
    inBackground(
      engine.recorder.stop().then((summary) => {
        if (summary.ok) language = summary.value.language ?? language;
      }),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const timer = command.seconds === null ? null : setTimeout(stop, command.seconds * 1000);
  await done;
  if (timer) clearTimeout(timer);
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
  await engine.dispose();
  const recording = saved as Extract<RecordingEvent, { type: 'saved' }> | null;
  if (!recording) return 1;
  let failures = fatal ? 1 : 0;
  if (command.transcribe) {
    const first = recording.paths[0] as string;
    const stem = join(dirname(first), basename(first).replace(/\.part-\d+\.wav$/, ''));
    const transcript = {
      source: basename(stem),
      language: language ?? 'und',
      modelId: command.modelId ?? command.modelDir ?? 'default',
      task: command.task,
      duration: recording.seconds,
      segments,
    };
    for (const format of command.formats) {
      const written = await writeTranscriptFile(transcript, format, `${stem}.${fileExtension(format)}`);
      process.stderr.write(
        written.ok ? `wrote ${stem}.${fileExtension(format)}\n` : `error ${written.error.code}: ${written.error.message}\n`,
      );
      if (!written.ok) failures += 1;
    }
  }
  return failures === 0 ? 0 : 1;
}
