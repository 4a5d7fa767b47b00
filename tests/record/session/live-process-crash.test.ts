/**
 * The live transcriber runs in a process of its own so that a native crash in inference costs the live text
 * only. Killed with SIGKILL in the middle of a recording (as a segfault in onnxruntime would end it), the
 * recording goes on: every frame reaches the file, the failure is reported once as a non-fatal error naming
 * the exit, stop saves, and the next recording starts a new transcriber.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordingEvent } from '../../../src-shared/recording-events';
import { createEngine, type Engine } from '../../../src-main/app/engine';
import { audioFile, decodeAll, makeTempDir, realDecoder } from '../../audio/helpers';
import { TINY_MULTILINGUAL } from '../../support/paths';
import { MONO_16K, ScriptedCapture } from '../../support/session-doubles';
import { readHeader, tempFilesIn } from './session-helpers';
import { descendantPids } from '../../support/process-tree';

const RATE = MONO_16K.sampleRate;
const SPEED = 2;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let engine: Engine;
let jfk: Float32Array;
const capture = new ScriptedCapture();

beforeAll(async () => {
  jfk = await decodeAll(realDecoder(), audioFile('jfk.wav'));
  temp = await makeTempDir('live-process-crash');
  engine = createEngine({
    recordingsDir: path.join(temp.dir, 'recordings'),
    modelsDir: path.join(temp.dir, 'models'),
    device: 'cpu',
    adapters: { capture },
  });
});

afterAll(async () => {
  await engine?.dispose();
  await temp?.cleanup();
});

async function record(
  killTranscriberAfterSeconds: number | null,
): Promise<{ events: RecordingEvent[]; seconds: number; file: string; delivered: number }> {
  const before = descendantPids();
  capture.next({
    format: MONO_16K,
    speed: SPEED,
    signal: (start, into) => {
      for (let i = 0; i < into.length; i += 1) into[i] = jfk[(start + i) % jfk.length] as number;
      return into.length;
    },
  });
  const events: RecordingEvent[] = [];
  const unsubscribe = engine.onRecordingEvent((event) => {
    if (event.type !== 'level') events.push(event);
  });
  const started = await engine.recorder.start({ modelDir: TINY_MULTILINGUAL, dtype: 'fp32', language: 'en' });
  if (!started.ok) throw new Error(`${started.error.code}: ${started.error.message}`);
  const transcriber = descendantPids().filter((pid) => !before.includes(pid));
  expect(transcriber).toHaveLength(1);
  const source = capture.opened.at(-1);
  if (!source) throw new Error('no source was opened');
  if (killTranscriberAfterSeconds !== null) {
    while (source.framesDelivered < killTranscriberAfterSeconds * RATE) await sleep(10);
    process.kill(transcriber[0] as number, 'SIGKILL');
  }
  while (source.framesDelivered < 6 * RATE) await sleep(10);
  const summary = await engine.recorder.stop();
  unsubscribe();
  if (!summary.ok) throw new Error(`${summary.error.code}: ${summary.error.message}`);
  expect(descendantPids()).toEqual(before);
  return { events, seconds: summary.value.seconds, file: summary.value.paths[0] as string, delivered: source.framesDelivered };
}

describe('a live transcriber process that dies mid-recording', () => {
  it('costs the live text only: the file is whole, one non-fatal error, and the next recording transcribes', async () => {
    const crashed = await record(2);
    const errors = crashed.events.filter((event) => event.type === 'error');
    console.log(`killed at 2 s: ${crashed.seconds} s saved, errors ${JSON.stringify(errors)}`);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ type: 'error', fatal: false });
    expect(JSON.stringify(errors[0])).toContain('SIGKILL');
    expect(crashed.seconds).toBe(crashed.delivered / RATE);
    expect((await readHeader(crashed.file)).dataBytes).toBe(crashed.delivered * 2);
    const statuses = crashed.events.flatMap((event) => (event.type === 'status' ? [event.status] : []));
    expect(statuses).toEqual(['recording', 'stopping', 'idle']);
    expect(crashed.events.some((event) => event.type === 'saved')).toBe(true);

    const next = await record(null);
    expect(next.events.filter((event) => event.type === 'error')).toEqual([]);
    expect(next.events.some((event) => event.type === 'committed')).toBe(true);
    expect(await tempFilesIn(path.join(temp.dir, 'recordings'))).toEqual([]);
  }, 120_000);
});
