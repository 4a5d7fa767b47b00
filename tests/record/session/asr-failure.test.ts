/**
 * Live transcription is best-effort; the recording is not. A model that throws mid-recording (an ORT
 * run failing, a session used after release) must cost the live text only: the capture goes on to
 * disk, the failure is reported as a non-fatal error, stop saves, the models are released, and the
 * recorder takes the next recording.
 */
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { RecordingEvent } from '../../../src-shared/recording-events';
import { createEngine } from '../../../src-main/app/engine';
import { VAD_FRAME_SAMPLES } from '../../../src-main/vad/silero-vad';
import { makeTempDir } from '../../audio/helpers';
import { EnergyVad } from '../../support/energy-vad';
import { doubleLiveModels, MONO_16K, ScriptedCapture, utteranceSchedule } from '../../support/session-doubles';
import { firstMismatch, readHeader, runCleanups, tempFilesIn } from './session-helpers';

const RATE = MONO_16K.sampleRate;
const schedule = utteranceSchedule(5, 4, RATE);

/** The energy VAD until frame `failAt`, then it throws as an ORT session that failed would. */
class FailingVad extends EnergyVad {
  frames = 0;

  constructor(private readonly failAt: number) {
    super();
  }

  override async processFrames(frames: Float32Array): Promise<Float32Array> {
    this.frames += frames.length / VAD_FRAME_SAMPLES;
    if (this.frames >= this.failAt) throw new Error('ORT run failed (simulated)');
    return super.processFrames(frames);
  }
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(() => runCleanups(cleanups));

it('keeps recording when the live model throws, reports it, saves on stop and takes the next recording', async () => {
  const { dir, cleanup } = await makeTempDir('asr-failure');
  cleanups.push(cleanup);
  const recordingsDir = path.join(dir, 'recordings');
  const capture = new ScriptedCapture();
  let releases = 0;
  const engine = createEngine({
    recordingsDir,
    modelsDir: path.join(dir, 'models'),
    adapters: {
      capture,
      loadLiveModels: async () => {
        // 12.5 s in (frames are 32 ms): mid-recording, mid-utterance.
        const models = { ...doubleLiveModels(), vad: new FailingVad(390) };
        return { ok: true, value: { ...models, release: async () => void (releases += 1) } };
      },
    },
  });
  cleanups.unshift(() => engine.dispose());
  const events: RecordingEvent[] = [];
  engine.onRecordingEvent((event) => {
    if (event.type !== 'level' && event.type !== 'partial') events.push(event);
  });

  const SECONDS = 30;
  capture.next({ format: MONO_16K, speed: 10, signal: schedule.generator(SECONDS * RATE) });
  const started = await engine.recorder.start({ language: 'en' });
  if (!started.ok) throw new Error(started.error.message);
  await capture.opened[0]?.ended;
  const summary = await engine.recorder.stop();
  console.log(
    `live model failure: events ${events.map((event) => (event.type === 'error' ? `error(${event.error.code}, fatal ${event.fatal})` : event.type === 'status' ? `status:${event.status}` : event.type)).join(' → ')}`,
  );
  if (!summary.ok) throw new Error(`${summary.error.code}: ${summary.error.message}`);

  const errors = events.filter((event) => event.type === 'error');
  expect(errors).toEqual([
    { type: 'error', fatal: false, error: { code: 'LIVE_TRANSCRIPTION_FAILED', message: expect.stringContaining('ORT run failed') } },
  ]);
  // Text before the failure was committed; the recording itself has every frame.
  expect(events.filter((event) => event.type === 'committed').length).toBeGreaterThan(0);
  expect(summary.value.seconds).toBe(SECONDS);
  const file = summary.value.paths[0] as string;
  expect(await firstMismatch(file, (await readHeader(file)).dataBytes, schedule.generator(SECONDS * RATE))).toMatchObject({
    frames: SECONDS * RATE,
    mismatchAt: -1,
  });
  expect(events.filter((event) => event.type === 'saved')).toHaveLength(1);
  expect(releases).toBe(1);
  expect(engine.recorder.active).toBe(false);
  expect(await tempFilesIn(recordingsDir)).toEqual([]);

  capture.next({ format: MONO_16K, speed: 10, signal: schedule.generator(2 * RATE) });
  expect((await engine.recorder.start({ language: 'en' })).ok).toBe(true);
  await capture.opened[1]?.ended;
  expect((await engine.recorder.stop()).ok).toBe(true);
  expect(releases).toBe(2);
}, 30_000);
