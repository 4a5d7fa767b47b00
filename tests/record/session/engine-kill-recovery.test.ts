/**
 * kill -9 of a process recording through the engine (createEngine().recorder, real crash-safe writer,
 * live transcription on doubles), then the next start's `recorder.recoverAtStartup()`: the recording
 * comes back with all but at most the last second, decodes with ffmpeg sample-exact, nothing temporary
 * is left. One kill per run; VERBATIM_KILL_SEED replays a run's kill moment.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import type { RecordingEvent } from '../../../src-shared/recording-events';
import type { RecordingSidecar } from '../../../src-main/record/disk/recording-sidecar';
import { createEngine } from '../../../src-main/app/engine';
import { decodeAll, makeTempDir, realDecoder } from '../../audio/helpers';
import { seededRandom } from '../disk/wav-test-helpers';
import { readHeader, runCleanups, tempFilesIn } from './session-helpers';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../..');
const childScript = path.join(here, 'fixtures/engine-record-child.ts');
const RATE = 16_000;
const RECORDING_SECONDS = 60;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const cleanups: (() => Promise<void>)[] = [];
afterEach(() => runCleanups(cleanups));

function startChild(config: object): {
  child: ChildProcess;
  started: Promise<{ t0: number; pid: number }>;
  exited: Promise<NodeJS.Signals | null>;
  stderr: () => string;
} {
  const child = spawn(process.execPath, ['--import', 'tsx', childScript, JSON.stringify(config)], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  const started = new Promise<{ t0: number; pid: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the child did not start: ${stderr}`)), 30_000);
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      const message = JSON.parse(line) as { event: string; t0: number; pid: number };
      if (message.event !== 'started') return;
      clearTimeout(timer);
      resolve(message);
    });
    child.on('exit', () => {
      clearTimeout(timer);
      reject(new Error(`the child exited early: ${stderr}`));
    });
  });
  return { child, started, exited, stderr: () => stderr };
}

it('recovers a recording whose process was killed -9 at a random moment: ≤ 1 s lost, decodes sample-exact', async () => {
  const { dir, cleanup } = await makeTempDir('engine-kill9');
  cleanups.push(cleanup);
  const recordingsDir = path.join(dir, 'recordings');
  const modelsDir = path.join(dir, 'models');
  const seed = Number(process.env.VERBATIM_KILL_SEED ?? Math.floor(Math.random() * 2 ** 32));
  const killAtMs = Math.round(5000 + seededRandom(seed)() * 50_000);
  console.log(`engine kill -9: seed ${seed}, kill at ${killAtMs} ms of a ${RECORDING_SECONDS} s recording`);

  const { child, started, exited, stderr } = startChild({ recordingsDir, modelsDir, seconds: RECORDING_SECONDS });
  cleanups.unshift(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const { t0, pid } = await started;

  // While it records, another engine's start-up recovery leaves the live recording alone.
  const bystander = createEngine({ recordingsDir, modelsDir });
  const bystanderEvents: RecordingEvent[] = [];
  bystander.onRecordingEvent((event) => bystanderEvents.push(event));
  await sleep(Math.max(0, t0 + 2000 - Date.now()));
  expect(await bystander.recorder.recoverAtStartup()).toEqual([]);
  expect(bystanderEvents).toEqual([]);
  await bystander.dispose();

  await sleep(Math.max(0, t0 + killAtMs - Date.now()));
  const killedAt = Date.now();
  child.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');
  const elapsedSeconds = (killedAt - t0) / 1000;
  const files = await readdir(recordingsDir);
  const wavs = files.filter((name) => name.endsWith('.wav'));
  expect(wavs).toHaveLength(1);
  const wav = path.join(recordingsDir, wavs[0] as string);
  const before = await readHeader(wav);

  // The next start: recovery through the engine, reported as a 'recovered' event.
  const engine = createEngine({ recordingsDir, modelsDir });
  cleanups.unshift(() => engine.dispose());
  const events: RecordingEvent[] = [];
  engine.onRecordingEvent((event) => events.push(event));
  const recovered = await engine.recorder.recoverAtStartup();
  expect(events).toEqual([{ type: 'recovered', recordings: recovered }]);
  expect(recovered).toHaveLength(1);
  const recording = recovered[0];
  if (!recording) throw new Error('nothing recovered');
  expect(recording.paths).toEqual([wav]);
  const frames = Math.round(recording.seconds * RATE);
  const after = await readHeader(wav);
  console.log(
    `engine kill -9 (child ${pid}): elapsed ${elapsedSeconds.toFixed(3)} s; header before repair said ${(before.dataBytes / 2 / RATE).toFixed(3)} s, ` +
      `file held ${((before.fileBytes - 44) / 2 / RATE).toFixed(3)} s; recovered ${recording.seconds.toFixed(3)} s (${recording.detail}); child stderr: ${stderr().trim() || 'none'}`,
  );
  expect(recording.seconds).toBeGreaterThanOrEqual(elapsedSeconds - 1);
  expect(recording.seconds).toBeLessThanOrEqual(elapsedSeconds + 0.05);
  expect(after).toEqual({ riffBytes: after.fileBytes - 8, dataBytes: frames * 2, fileBytes: 44 + frames * 2 });

  // It decodes with the engine's ffmpeg decoder, and every sample is the counter at its position.
  const decoded = await decodeAll(realDecoder(), wav);
  expect(decoded.length).toBe(frames);
  let firstBreak = -1;
  for (let j = 0; j < decoded.length; j += 1) {
    if (Math.round((decoded[j] as number) * 32768) !== (j % 65535) - 32767) {
      firstBreak = j;
      break;
    }
  }
  expect(firstBreak).toBe(-1);

  // Finalized, nothing temporary left, and a second start has nothing to do.
  expect(await tempFilesIn(recordingsDir)).toEqual([]);
  const sidecarName = files.find((name) => name.endsWith('.recording.json')) as string;
  const sidecar = JSON.parse(await readFile(path.join(recordingsDir, sidecarName), 'utf8')) as RecordingSidecar;
  expect(sidecar).toMatchObject({ finalized: true, frames, segments: [wavs[0]] });
  expect(await engine.recorder.recoverAtStartup()).toEqual([]);
  expect(events).toHaveLength(1);
}, 120_000);
