#!/usr/bin/env node
import { mkdir } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { safeFileName } from '../util/safe-file-name';
import type { CodedError, Result } from '../../src-shared/result';
import { createEngine, type Engine } from '../app/engine';
import { fileExtension, writeTranscriptFile } from '../export/index';
import { parseTranscribeArgs, USAGE, type TranscribeCommand } from './args';
import { ProgressBar } from './progress-bar';
import { DIARIZE_USAGE, parseDiarizeArgs, runDiarize } from './diarize-command';
import { parseQueueArgs, QUEUE_USAGE, runQueueCommand } from './queue-command';
import { parseRecordArgs, RECORD_USAGE, runRecord } from './record-command';

async function transcribeAll(command: TranscribeCommand): Promise<number> {
  const engine = createEngine({
    modelsDir: command.modelsDir || undefined,
    device: command.device,
  });
  const bar = new ProgressBar(process.stderr, !command.quiet);
  let failures = 0;
  let reportedDevice = false;
  try {
    // Every input is checked first (a probe each, a few at a time): a bad file is reported at once, not
    // after the good files before it have been transcribed.
    const checked = await checkInputs(
      engine,
      command.files.map((file) => resolve(file)),
    );
    for (const bad of checked.bad) {
      failures += 1;
      bar.finish(`error ${bad.error.code}: ${bad.error.subject ?? bad.path}: ${bad.error.message}`);
    }
    for (const path of checked.good) {
      const label = basename(path);
      const result = await engine.transcribeFile(
        {
          path,
          language: command.language,
          task: command.task,
          prompt: command.prompt || undefined,
          beamSize: command.beamSize ?? undefined,
          modelId: command.modelId || undefined,
          modelDir: command.modelDir ? resolve(command.modelDir) : undefined,
          dtype: command.dtype || undefined,
        },
        (progress) => bar.update(label, progress.stage, progress.percent),
      );
      if (!result.ok) {
        failures += 1;
        bar.finish(`error ${result.error.code}: ${result.error.subject ?? path}: ${result.error.message}`);
        continue;
      }
      if (!reportedDevice) {
        reportedDevice = true;
        const info = await engine.info();
        if (info.ok) {
          const { active, fallbackReason } = info.value.executionProvider;
          bar.finish(
            `device: ${active}${fallbackReason ? ` (${fallbackReason.replace(/\.$/, '')})` : ''}; ffmpeg: ${info.value.ffmpeg?.source ?? 'none'}`,
          );
        }
      }
      const outDir = command.outDir ? resolve(command.outDir) : dirname(path);
      await mkdir(outDir, { recursive: true });
      const stem = basename(path, extname(path));
      const written: string[] = [];
      for (const format of command.formats) {
        const outPath = join(outDir, safeFileName(stem, { extension: fileExtension(format), fallback: 'transcript' }));
        const saved = await writeTranscriptFile(result.value, format, outPath);
        if (saved.ok) written.push(outPath);
        else {
          failures += 1;
          bar.finish(`error ${saved.error.code}: ${outPath}: ${saved.error.message}`);
        }
      }
      bar.finish(`done ${path} (${result.value.language}, ${result.value.segments.length} segments) -> ${written.join(', ')}`);
    }
  } finally {
    await engine.dispose();
  }
  return failures === 0 ? 0 : 1;
}

/** How many files are probed at once (each is an ffprobe plus a half-second trial decode). */
const PROBE_CONCURRENCY = 4;

async function checkInputs(
  engine: Engine,
  paths: readonly string[],
): Promise<{ good: string[]; bad: { path: string; error: CodedError }[] }> {
  const results: Result<unknown>[] = new Array<Result<unknown>>(paths.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < paths.length) {
      const index = next++;
      results[index] = await engine.probe(paths[index] as string);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PROBE_CONCURRENCY, paths.length) }, worker));
  const good: string[] = [];
  const bad: { path: string; error: CodedError }[] = [];
  for (const [index, path] of paths.entries()) {
    const result = results[index];
    if (result === undefined || result.ok) good.push(path);
    else bad.push({ path, error: result.error });
  }
  return { good, bad };
}

async function listDevices(): Promise<number> {
  const engine = createEngine();
  const devices = await engine.recorder.listDevices();
  await engine.dispose();
  if (!devices.ok) {
    process.stderr.write(`error ${devices.error.code}: ${devices.error.message}\n`);
    return 1;
  }
  if (devices.value.length === 0) {
    process.stderr.write('No capture devices found (no microphone, and no PulseAudio/PipeWire server reachable).\n');
    return 1;
  }
  for (const device of devices.value) {
    process.stdout.write(
      `${device.isDefault ? '*' : ' '} ${device.kind.padEnd(7)} ${device.id.padEnd(32)} ${device.name} (${device.maxInputChannels} ch, ${device.defaultSampleRate} Hz)\n`,
    );
  }
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h') {
    process.stdout.write(`${USAGE}\n${DIARIZE_USAGE}\n${RECORD_USAGE}\n${QUEUE_USAGE}`);
    return command === undefined ? 2 : 0;
  }
  if (command === 'diarize') {
    const parsed = parseDiarizeArgs(rest);
    if (!parsed.ok) {
      process.stderr.write(`error ${parsed.error.code}: ${parsed.error.message}\n${DIARIZE_USAGE}`);
      return 2;
    }
    return runDiarize(parsed.value);
  }
  if (command === 'devices') return listDevices();
  if (command === 'record') {
    const parsed = parseRecordArgs(rest);
    if (!parsed.ok) {
      process.stderr.write(`error ${parsed.error.code}: ${parsed.error.message}\n${RECORD_USAGE}`);
      return 2;
    }
    return runRecord(parsed.value);
  }
  if (command === 'import' || command === 'jobs' || command === 'search') {
    const parsed = parseQueueArgs(command, rest);
    if (!parsed.ok) {
      process.stderr.write(`error ${parsed.error.code}: ${parsed.error.message}\n${QUEUE_USAGE}`);
      return 2;
    }
    return runQueueCommand(parsed.value);
  }
  if (command !== 'transcribe') {
    process.stderr.write(`Unknown command "${command}".\n${USAGE}\n${DIARIZE_USAGE}\n${RECORD_USAGE}\n${QUEUE_USAGE}`);
    return 2;
  }
  const parsed = parseTranscribeArgs(rest);
  if (!parsed.ok) {
    process.stderr.write(`error ${parsed.error.code}: ${parsed.error.message}\n${USAGE}`);
    return 2;
  }
  return transcribeAll(parsed.value);
}

process.exitCode = await main(process.argv.slice(2));
