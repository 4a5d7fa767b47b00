import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { recoverInterruptedRecordings } from '../../../src-main/record/disk/recover';
import type { RecordingSidecar } from '../../../src-main/record/disk/recording-sidecar';
import { makeTempDir } from '../../audio/helpers';
import { decodeS16, expectConsistentHeader, firstCounterBreak, headerSizes, seededRandom } from './wav-test-helpers';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../..');
const childScript = path.join(here, 'fixtures/record-child.ts');

const RATE = 48_000;
const CHANNELS = 2;
// 1 MB segments (≈ 5.2 s of 48 kHz stereo 16-bit): a kill lands after one or more rollovers.
const SEGMENT_BYTES = 1_000_000;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function segmentsIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.wav'))
    .sort()
    .map((file) => path.join(dir, file));
}

it('survives kill -9 at a random moment of a 60 s recording: ≤ 1 s lost, exact continuity after recovery', async () => {
  const { dir, cleanup } = await makeTempDir('kill9');
  cleanups.push(cleanup);
  // The kill moment is uniform in [3 s, 20 s] of the 60 s recording (the rest of the minute would only
  // make the test slower); VERBATIM_KILL_SEED replays a run.
  const seed = Number(process.env.VERBATIM_KILL_SEED ?? Math.floor(Math.random() * 2 ** 32));
  const killAtMs = Math.round(3000 + seededRandom(seed)() * 17_000);
  console.log(`kill -9 test: seed ${seed}, kill at ${killAtMs} ms of 60 s`);

  const config = { dir, name: 'meeting', sampleRate: RATE, channels: CHANNELS, seconds: 60, maxSegmentBytes: SEGMENT_BYTES };
  const child = spawn(process.execPath, ['--import', 'tsx', childScript, JSON.stringify(config)], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  const started = await new Promise<{ t0: number; pid: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`child did not start: ${stderr}`)), 30_000);
    createInterface({ input: child.stdout }).on('line', (line) => {
      const message = JSON.parse(line) as { event: string; t0: number; pid: number };
      if (message.event === 'started') {
        clearTimeout(timer);
        resolve(message);
      }
    });
    child.on('exit', () => reject(new Error(`child exited early: ${stderr}`)));
  });

  // While it records: the growing file decodes, and recovery leaves the live recording alone.
  await sleep(Math.min(1500, killAtMs - 1000));
  const growing = await decodeS16(segmentsIn(dir));
  expect(growing.length).toBeGreaterThan(0);
  expect(firstCounterBreak(growing)).toBe(-1);
  const whileAlive = await recoverInterruptedRecordings(dir);
  expect(whileAlive.recordings).toMatchObject([{ name: 'meeting', status: 'owner-alive', ownerPid: started.pid }]);
  const sidecarFile = path.join(dir, 'meeting.recording.json');
  expect((JSON.parse(readFileSync(sidecarFile, 'utf8')) as RecordingSidecar).finalized).toBe(false);

  await sleep(Math.max(0, started.t0 + killAtMs - Date.now()));
  const killedAt = Date.now();
  child.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');
  const elapsedMs = killedAt - started.t0;
  const minimumFrames = Math.floor(((elapsedMs - 1000) * RATE) / 1000);

  // Before any repair, the headers patched while recording already cover all but the last second
  // (what a player that trusts the header would play), and what they cover decodes continuous.
  const declaredFrames = segmentsIn(dir).reduce((sum, file) => sum + headerSizes(file).dataBytes / (2 * CHANNELS), 0);
  expect(declaredFrames).toBeGreaterThanOrEqual(minimumFrames);
  const asLeft = await decodeS16(segmentsIn(dir));
  expect(firstCounterBreak(asLeft)).toBe(-1);
  expect(asLeft.length / CHANNELS).toBeGreaterThanOrEqual(declaredFrames);

  const result = await recoverInterruptedRecordings(dir);
  expect(result.recordings.length).toBe(1);
  const report = result.recordings[0];
  if (!report) throw new Error('no report');
  expect(report.status).toBe('recovered');
  for (const file of report.paths) expectConsistentHeader(file);
  const repaired = await decodeS16(report.paths);
  expect(firstCounterBreak(repaired)).toBe(-1);
  expect(repaired.length).toBe(report.frames * CHANNELS);
  expect(report.frames).toBeGreaterThanOrEqual(minimumFrames);
  expect(report.frames).toBeLessThanOrEqual(Math.ceil((elapsedMs * RATE) / 1000));
  console.log(
    `kill -9 test: elapsed ${(elapsedMs / 1000).toFixed(3)} s, declared by the headers before repair ${(declaredFrames / RATE).toFixed(3)} s, ` +
      `recovered ${report.seconds.toFixed(3)} s in ${report.paths.length} segments; fixes: ${report.fixes.join('; ') || 'none'}`,
  );
  const sidecar = JSON.parse(readFileSync(sidecarFile, 'utf8')) as RecordingSidecar;
  expect(sidecar).toMatchObject({ finalized: true, frames: report.frames, segments: report.paths.map((file) => path.basename(file)) });
  expect(sidecar.recovered?.fixes).toEqual(report.fixes);
  // Recovery is done once: a second start finds nothing to do.
  expect((await recoverInterruptedRecordings(dir)).recordings).toEqual([]);
}, 90_000);
