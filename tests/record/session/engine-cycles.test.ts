/**
 * The recorder as the app drives it, through createEngine: scripted synthetic capture, and the real
 * live models (Silero VAD and the generated tiny Whisper on onnxruntime-node) loaded and released by
 * every recording. Twenty recordings in one process must leave nothing behind: memory, descriptors,
 * handles, listeners, temp files.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordingEvent, RecordingStatus } from '../../../src-shared/recording-events';
import type { Result } from '../../../src-shared/result';
import { loadWhisperRecognizer } from '../../../src-main/asr/whisper-recognizer';
import type { SyntheticSource } from '../../../src-main/record/capture/synthetic-source';
import { loadLiveModels } from '../../../src-main/record/live-models';
import type { LiveModels } from '../../../src-main/record/recorder';
import { SileroVad } from '../../../src-main/vad/silero-vad';
import { createEngine, type Engine } from '../../../src-main/app/engine';
import type { SignalGenerator } from '../../../src-main/record/capture/synthetic-source';
import { audioFile, decodeAll, makeTempDir, realDecoder } from '../../audio/helpers';
import { TINY_MULTILINGUAL } from '../../support/paths';
import {
  activeResources,
  counterGenerator,
  leastSquaresSlope,
  MONO_16K,
  openFdCount,
  processListenerCounts,
  ScriptedCapture,
  settledMemory,
} from '../../support/session-doubles';
import { firstMismatch, readHeader, tempFilesIn } from './session-helpers';

const RATE = MONO_16K.sampleRate;
const CYCLES = 40;
const WARM_UP = 5;
const SPEED = 4;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let speech: SignalGenerator;
let recordingsDir: string;
let engine: Engine;
const capture = new ScriptedCapture();
const models = { loads: 0, releases: 0 };
let whisperCalls = 0;

/** The production loader for the generated tiny Whisper and Silero, with each load and release counted. */
async function loadRealLiveModels(): Promise<Result<LiveModels>> {
  const loaded = await loadLiveModels(
    () => loadWhisperRecognizer({ modelId: 'tiny-random-whisper', modelDir: TINY_MULTILINGUAL, dtype: 'fp32', execution: 'cpu' }),
    () => SileroVad.load(),
  );
  if (!loaded.ok) return loaded;
  models.loads += 1;
  const { recognizer, vad, release } = loaded.value;
  const transcribeWindow = recognizer.transcribeWindow.bind(recognizer);
  recognizer.transcribeWindow = (audio, options) => {
    whisperCalls += 1;
    return transcribeWindow(audio, options);
  };
  return {
    ok: true,
    value: {
      recognizer,
      vad,
      release: async () => {
        models.releases += 1;
        await release();
      },
    },
  };
}

beforeAll(async () => {
  // jfk.wav from its first word on, looped: Silero hears speech, so Whisper runs in every recording.
  const jfk = await decodeAll(realDecoder(), audioFile('jfk.wav'));
  speech = (startFrame, into) => {
    for (let i = 0; i < into.length; i += 1) into[i] = jfk[(RATE + startFrame + i) % jfk.length] as number;
    return into.length;
  };
  temp = await makeTempDir('engine-cycles');
  recordingsDir = path.join(temp.dir, 'recordings');
  engine = createEngine({
    recordingsDir,
    modelsDir: path.join(temp.dir, 'models'),
    device: 'cpu',
    adapters: { capture, loadLiveModels: loadRealLiveModels },
  });
});

afterAll(async () => {
  await engine?.dispose();
  await temp?.cleanup();
});

/** Subscribes for one recording; `done` resolves at the status 'idle' that ends it. */
function watch(): { events: RecordingEvent[]; statuses: RecordingStatus[]; done: Promise<void>; unsubscribe: () => void } {
  const events: RecordingEvent[] = [];
  const statuses: RecordingStatus[] = [];
  let resolveDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  const unsubscribe = engine.onRecordingEvent((event) => {
    if (event.type === 'level') return;
    events.push(event);
    if (event.type !== 'status') return;
    statuses.push(event.status);
    if (event.status === 'idle') resolveDone();
  });
  return { events, statuses, done, unsubscribe };
}

async function untilDelivered(source: SyntheticSource, frames: number): Promise<void> {
  while (source.framesDelivered < frames) await sleep(10);
}

function lastSource(): SyntheticSource {
  const source = capture.opened.at(-1);
  if (!source) throw new Error('no source was opened');
  return source;
}

/** fds, handles and listeners can lag a close by a tick or two; give them 100 ms. */
async function settledResources(): Promise<{
  fds: number;
  handles: Record<string, number>;
  listeners: Record<string, number>;
  rssMb: number;
  heapUsedMb: number;
}> {
  await sleep(100);
  const { rssMb, heapUsedMb } = settledMemory();
  return { fds: openFdCount(), handles: activeResources(), listeners: processListenerCounts(), rssMb, heapUsedMb };
}

describe('the engine recorder over many recordings', () => {
  it(`runs ${CYCLES} start/stop cycles and leaves nothing behind`, async () => {
    // Speech at 4× real time; each recording stops after 0.8 s of audio, in the middle of an utterance,
    // so stopping commits it with one Whisper pass.
    const samples: Awaited<ReturnType<typeof settledResources>>[] = [];
    const cycleMs: number[] = [];
    let previous: { events: RecordingEvent[]; length: number } | null = null;
    for (let cycle = 0; cycle < CYCLES; cycle += 1) {
      const began = performance.now();
      capture.next({ format: MONO_16K, speed: SPEED, signal: speech });
      const run = watch();
      const started = await engine.recorder.start({ language: 'en' });
      if (!started.ok) throw new Error(`${started.error.code}: ${started.error.message}`);
      const source = lastSource();
      // One recording at a time: a second start is refused and loads nothing.
      const second = await engine.recorder.start({ language: 'en' });
      expect(second).toMatchObject({ ok: false, error: { code: 'RECORDING_ALREADY_ACTIVE' } });
      await untilDelivered(source, 0.8 * RATE);
      const summary = await engine.recorder.stop();
      if (!summary.ok) throw new Error(`${summary.error.code}: ${summary.error.message}`);
      await run.done;
      run.unsubscribe();
      cycleMs.push(performance.now() - began);

      // Every delivered frame is in the file; the session reported it saved, then idle.
      expect(summary.value.seconds).toBe(source.framesDelivered / RATE);
      expect(run.statuses).toEqual(['recording', 'stopping', 'idle']);
      const saved = run.events.filter((event) => event.type === 'saved');
      expect(saved).toEqual([
        {
          type: 'saved',
          sessionId: started.value.sessionId,
          paths: summary.value.paths,
          seconds: summary.value.seconds,
          language: 'en',
          modelId: null,
        },
      ]);
      expect(run.events.filter((event) => event.type === 'error' || event.type === 'gap')).toEqual([]);
      expect(await engine.recorder.stop()).toMatchObject({ ok: false, error: { code: 'RECORDING_NOT_RUNNING' } });
      expect(models).toEqual({ loads: cycle + 1, releases: cycle + 1 });
      expect(engine.recorder.active).toBe(false);
      samples.push(await settledResources());
      // The listener removed after the last recording heard nothing of this one.
      expect(previous?.events.length).toBe(previous?.length);
      previous = { events: run.events, length: run.events.length };
    }

    const [warm, last] = [samples[WARM_UP - 1], samples.at(-1)];
    if (!warm || !last) throw new Error('no samples');
    // RSS scatters by tens of MB from one recording to the next (ORT's and glibc's arenas, concurrently
    // swept buffers); what a leak moves is the floor.
    const steady = samples.slice(WARM_UP - 1).map((sample, index) => [index, sample.rssMb] as const);
    const third = Math.max(2, Math.floor(steady.length / 3));
    const floorGrowth = Math.min(...steady.slice(-third).map(([, mb]) => mb)) - Math.min(...steady.slice(0, third).map(([, mb]) => mb));
    // Single cycles dip as well as spike (glibc returns an arena now and then), which moves a floor by tens of
    // MB; the median of each third moves only when most cycles do, as a leak makes them.
    const median = (values: number[]): number => {
      const sorted = [...values].sort((a, b) => a - b);
      const middle = Math.floor(sorted.length / 2);
      return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
    };
    const medianGrowth = median(steady.slice(-third).map(([, mb]) => mb)) - median(steady.slice(0, third).map(([, mb]) => mb));
    // Reported, not asserted: one spike at either end swings a least-squares line by tens of MB.
    const trend = leastSquaresSlope(steady) * (steady.length - 1);
    console.log(
      `${CYCLES} recordings with real Silero + tiny Whisper (${whisperCalls} Whisper calls): ${(cycleMs.reduce((a, b) => a + b, 0) / 1000).toFixed(1)} s, ${Math.min(...cycleMs).toFixed(0)}–${Math.max(...cycleMs).toFixed(0)} ms each; ` +
        `RSS per cycle ${samples.map((sample) => sample.rssMb.toFixed(0)).join(' ')} MB; after warm-up (${WARM_UP}): floor growth ${floorGrowth.toFixed(1)} MB, median growth ${medianGrowth.toFixed(1)} MB, trend ${trend.toFixed(1)} MB over ${steady.length - 1} cycles; ` +
        `JS heap ${warm.heapUsedMb.toFixed(1)} → ${last.heapUsedMb.toFixed(1)} MB; fds ${warm.fds} → ${last.fds}; handles ${JSON.stringify(warm.handles)} → ${JSON.stringify(last.handles)}; process listeners ${JSON.stringify(last.listeners)}`,
    );
    // Native arenas also step up to a new high-water mark and stay there, once or twice a run (CI: 286 → 334 MB
    // between cycles 8 and 11; ≈ 225 → 320 MB at cycle 14; with glibc's arenas capped at 2, 250 → 311 MB at
    // cycle 9; flat after, JS heap flat): plateaus, not a leak, and from RSS alone two steps look like a slope.
    // What tells them apart is that a plateau is bounded and a leak is not: over 36 recordings the last third's
    // median may stand at most 120 MB above the first third's (the steps above total 50–100 MB), which a leak of
    // more than 5 MB per recording (24 recordings between the thirds' middles) exceeds.
    console.log(
      `median of the first and last thirds: ${median(steady.slice(0, third).map(([, mb]) => mb)).toFixed(1)} → ${median(steady.slice(-third).map(([, mb]) => mb)).toFixed(1)} MB`,
    );
    expect(medianGrowth).toBeLessThanOrEqual(120);
    // The JS heap is not scattered by native arenas: anything the engine keeps per recording shows here.
    expect(last.heapUsedMb - warm.heapUsedMb).toBeLessThan(5);
    expect(whisperCalls).toBeGreaterThanOrEqual(CYCLES);
    expect(last.fds).toBeLessThanOrEqual(warm.fds);
    // An Immediate is a callback due on the next turn of the loop, not something held open.
    const grown = Object.entries(last.handles).filter(([kind, count]) => kind !== 'Immediate' && count > (warm.handles[kind] ?? 0));
    expect(grown).toEqual([]);
    expect(last.listeners).toEqual(warm.listeners);
    expect(await tempFilesIn(recordingsDir)).toEqual([]);
    const files = await readdir(recordingsDir);
    expect(files.filter((name) => name.endsWith('.wav'))).toHaveLength(CYCLES);
    expect(files.filter((name) => name.endsWith('.recording.json'))).toHaveLength(CYCLES);
  }, 240_000);

  it('refuses a second start while the first is still loading its models', async () => {
    capture.next({ format: MONO_16K, speed: SPEED, signal: speech });
    const run = watch();
    const first = engine.recorder.start({ language: 'en' });
    const second = await engine.recorder.start({ language: 'en' });
    expect(second).toMatchObject({ ok: false, error: { code: 'RECORDING_ALREADY_ACTIVE' } });
    expect((await first).ok).toBe(true);
    expect(engine.recorder.pause()).toEqual({ ok: true, value: undefined });
    expect(engine.recorder.pause()).toMatchObject({ ok: false, error: { code: 'RECORDING_NOT_RUNNING' } });
    expect(engine.recorder.resume()).toEqual({ ok: true, value: undefined });
    expect(engine.recorder.resume()).toMatchObject({ ok: false, error: { code: 'RECORDING_NOT_PAUSED' } });
    expect((await engine.recorder.stop()).ok).toBe(true);
    await run.done;
    run.unsubscribe();
    expect(engine.recorder.pause()).toMatchObject({ ok: false, error: { code: 'RECORDING_NOT_RUNNING' } });
    expect(engine.recorder.resume()).toMatchObject({ ok: false, error: { code: 'RECORDING_NOT_RUNNING' } });
    expect(await engine.recorder.stop()).toMatchObject({ ok: false, error: { code: 'RECORDING_NOT_RUNNING' } });
    expect(models.loads).toBe(models.releases);
  }, 30_000);

  it('keeps paused audio out of the file: it holds exactly the frames before the pause and after the resume', async () => {
    // A counter signal: every sample says where it came from, so the file shows exactly what was kept.
    capture.next({ format: MONO_16K, speed: SPEED, signal: counterGenerator(1) });
    const run = watch();
    const started = await engine.recorder.start({ language: 'en' });
    if (!started.ok) throw new Error(started.error.message);
    const source = lastSource();
    await untilDelivered(source, 1.5 * RATE);
    expect(engine.recorder.pause().ok).toBe(true);
    const pausedAt = source.framesDelivered;
    await untilDelivered(source, pausedAt + 2 * RATE);
    expect(engine.recorder.resume().ok).toBe(true);
    const resumedAt = source.framesDelivered;
    await untilDelivered(source, resumedAt + 1.5 * RATE);
    const summary = await engine.recorder.stop();
    if (!summary.ok) throw new Error(summary.error.message);
    await run.done;
    run.unsubscribe();
    const total = source.framesDelivered;
    const expectedFrames = total - (resumedAt - pausedAt);
    const file = summary.value.paths[0] as string;
    const header = await readHeader(file);
    const counter = counterGenerator(1);
    // File frame f is source frame f before the pause, f + (paused length) after it.
    const kept = (startFrame: number, into: Float32Array): number => {
      for (let i = 0; i < into.length; i += 1) {
        const frame = startFrame + i;
        counter(frame < pausedAt ? frame : frame + resumedAt - pausedAt, into.subarray(i, i + 1));
      }
      return into.length;
    };
    const compared = await firstMismatch(file, header.dataBytes, kept);
    console.log(
      `pause: ${total} frames delivered, paused ${((resumedAt - pausedAt) / RATE).toFixed(3)} s at ${(pausedAt / RATE).toFixed(3)} s; ` +
        `file ${header.dataBytes / 2} frames (expected ${expectedFrames}), first mismatch ${compared.mismatchAt}`,
    );
    expect(resumedAt - pausedAt).toBeGreaterThanOrEqual(2 * RATE);
    expect(summary.value.seconds).toBe(expectedFrames / RATE);
    expect(header.dataBytes / 2).toBe(expectedFrames);
    expect(compared).toMatchObject({ frames: expectedFrames, mismatchAt: -1 });
    expect(run.statuses).toEqual(['recording', 'paused', 'recording', 'stopping', 'idle']);
  }, 30_000);

  it('saves and goes idle when the device fails, and the next recording starts', async () => {
    const faultAfter = 1.5 * RATE;
    capture.next({ format: MONO_16K, speed: SPEED, signal: speech, faultAfterFrames: faultAfter });
    const run = watch();
    const releasesBefore = models.releases;
    const started = await engine.recorder.start({ language: 'en' });
    if (!started.ok) throw new Error(started.error.message);
    await run.done;
    run.unsubscribe();
    const kinds = run.events
      .map((event) => (event.type === 'status' ? `status:${event.status}` : event.type))
      .filter((kind) => kind !== 'partial' && kind !== 'committed');
    console.log(`device fault after ${faultAfter / RATE} s: events ${kinds.join(' → ')}`);
    expect(kinds).toEqual(['status:recording', 'error', 'status:stopping', 'saved', 'status:idle']);
    const error = run.events.find((event) => event.type === 'error');
    expect(error).toEqual({ type: 'error', error: { code: 'CAPTURE_DEVICE_LOST', message: 'synthetic device fault' }, fatal: true });
    const saved = run.events.find((event): event is Extract<RecordingEvent, { type: 'saved' }> => event.type === 'saved');
    expect(saved?.seconds).toBe(faultAfter / RATE);
    expect((await readHeader(saved?.paths[0] as string)).dataBytes).toBe(faultAfter * 2);
    expect(engine.recorder.active).toBe(false);
    expect(models.releases).toBe(releasesBefore + 1);
    expect(await engine.recorder.stop()).toMatchObject({ ok: false, error: { code: 'RECORDING_NOT_RUNNING' } });

    capture.next({ format: MONO_16K, speed: SPEED, signal: speech });
    const next = watch();
    const again = await engine.recorder.start({ language: 'en' });
    expect(again.ok).toBe(true);
    await untilDelivered(lastSource(), 0.5 * RATE);
    const summary = await engine.recorder.stop();
    await next.done;
    next.unsubscribe();
    expect(summary.ok && summary.value.seconds > 0).toBe(true);
    expect(next.statuses).toEqual(['recording', 'stopping', 'idle']);
    expect(await tempFilesIn(recordingsDir)).toEqual([]);
  }, 30_000);
});
