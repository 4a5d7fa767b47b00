/**
 * Microphone + system-audio monitor as one 2-channel recording, on real parts: a private PulseAudio
 * daemon (tests/setup/pulse.ts) with a virtual microphone (a pipe source fed with speech A in real time,
 * captured through naudiodon → ALSA default → pulse plugin) and a null sink whose monitor receives
 * speech B (played with pacat, captured through parec). Each channel must hold its own speech and not
 * the other's, through `SystemCaptureBackend.openWithMonitor` and through `createEngine().recorder`.
 */
import { spawn } from 'node:child_process';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordingEvent } from '../../../src-shared/recording-events';
import type { CodedError } from '../../../src-shared/result';
import type { CaptureBackend } from '../../../src-main/record/capture-types';
import { DualSource } from '../../../src-main/record/capture/dual-source';
import { StreamingResampler } from '../../../src-main/record/capture/resampler';
import { SystemCaptureBackend } from '../../../src-main/record/capture/system-capture-backend';
import { createEngine, type Engine } from '../../../src-main/app/engine';
import { audioFile, decodeAll, makeTempDir, realDecoder } from '../../audio/helpers';
import { startPrivatePulse, loadDefaultPipeSource, type PrivatePulse } from '../../setup/pulse';
import { TINY_MULTILINGUAL } from '../../support/paths';
import { decodeS16, probe } from '../disk/wav-test-helpers';
import { normalizedCrossCorrelation } from './correlation';

const started =
  process.platform === 'linux' ? await startPrivatePulse() : ({ ok: false, reason: 'PulseAudio capture runs on Linux' } as const);
if (!started.ok) {
  if (process.env.VERBATIM_REQUIRE_AUDIO === '1') throw new Error(`real dual capture tests cannot run: ${started.reason}`);
  console.warn(`skipping real dual capture tests: ${started.reason}`);
}
const pulse: PrivatePulse | null = started.ok ? started.pulse : null;
// Before PortAudio initialises in this worker: its default ALSA device reaches this daemon.
if (pulse) process.env.PULSE_SERVER = pulse.server;

const RATE = 16_000;
const CLIP_SECONDS = 3;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The middle 2 s of a 3 s clip: a capture may start or end a little inside the clip. */
const excerpt = (speech: Float32Array): Float32Array => speech.subarray(RATE / 2, RATE / 2 + 2 * RATE);

/** Silence, the clip, silence: a microphone never stops delivering while it is recorded. */
function padded(clip: Float32Array, before: number, after: number): Float32Array {
  const out = new Float32Array(Math.round((before + after) * RATE) + clip.length);
  out.set(clip, Math.round(before * RATE));
  return out;
}

/** Writes float32 mono 16 kHz into the pipe source's FIFO at real time (100 ms slices). */
async function feedFifo(fifo: string, samples: Float32Array): Promise<void> {
  const handle = await open(fifo, 'w');
  try {
    const slice = RATE / 10;
    const begin = performance.now();
    for (let at = 0; at < samples.length; at += slice) {
      const part = samples.subarray(at, Math.min(samples.length, at + slice));
      await handle.write(Buffer.from(part.buffer, part.byteOffset, part.byteLength));
      await sleep(Math.max(0, begin + ((at + slice) / RATE) * 1000 - performance.now()));
    }
  } finally {
    await handle.close();
  }
}

/** Plays float32 mono 16 kHz into a sink with pacat (paced by the sink's clock); resolves when drained. */
function playInto(sink: string, samples: Float32Array): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('pacat', ['--playback', `--device=${sink}`, '--format=float32le', `--rate=${RATE}`, '--channels=1', '--raw'], {
      env: { ...process.env, ...pulse!.env },
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    let stderr = '';
    child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`pacat exited ${code}: ${stderr}`));
    });
    child.stdin.end(Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength));
  });
}

/** One channel of interleaved audio, resampled to 16 kHz. */
function channelAt16k(interleaved: Float32Array, channels: number, index: number, sampleRate: number): Float32Array {
  const mono = new Float32Array(interleaved.length / channels);
  for (let i = 0; i < mono.length; i++) mono[i] = interleaved[i * channels + index]!;
  const resampler = new StreamingResampler(sampleRate, 1, RATE);
  const head = resampler.process(mono);
  const tail = resampler.flush();
  const out = new Float32Array(head.length + tail.length);
  out.set(head);
  out.set(tail, head.length);
  return out;
}

interface ChannelMatch {
  /** NCC peak of speech A in channel 0 and of B in channel 1: each channel holds its own speech. */
  own: [number, number];
  /** A in channel 1, B in channel 0: neither leaked into the other. */
  crossed: [number, number];
  /** Where each clip starts in its channel, seconds. */
  starts: [number, number];
  text: string;
}

function matchChannels(ch0: Float32Array, ch1: Float32Array, speechA: Float32Array, speechB: Float32Array): ChannelMatch {
  const a0 = normalizedCrossCorrelation(excerpt(speechA), ch0);
  const b1 = normalizedCrossCorrelation(excerpt(speechB), ch1);
  const a1 = normalizedCrossCorrelation(excerpt(speechA), ch1);
  const b0 = normalizedCrossCorrelation(excerpt(speechB), ch0);
  const starts: [number, number] = [(a0.lag - RATE / 2) / RATE, (b1.lag - RATE / 2) / RATE];
  return {
    own: [a0.peak, b1.peak],
    crossed: [a1.peak, b0.peak],
    starts,
    text: `A in ch0 NCC ${a0.peak.toFixed(4)} (starts ${starts[0].toFixed(3)} s), B in ch1 NCC ${b1.peak.toFixed(4)} (starts ${starts[1].toFixed(3)} s); crossed: A in ch1 ${a1.peak.toFixed(3)}, B in ch0 ${b0.peak.toFixed(3)}`,
  };
}

function expectSeparated(match: ChannelMatch): void {
  expect(match.own[0]).toBeGreaterThan(0.95);
  expect(match.own[1]).toBeGreaterThan(0.95);
  expect(match.crossed[0]).toBeLessThan(0.5);
  expect(match.crossed[1]).toBeLessThan(0.5);
}

describe.skipIf(!pulse)('microphone + monitor through a private PulseAudio daemon', () => {
  let fifo: string;
  let micModule: string;
  /** Speech A (the microphone): "And so my fellow Americans…". */
  let speechA: Float32Array;
  /** Speech B (the other participants): a stretch of the two-speaker conversation. */
  let speechB: Float32Array;

  beforeAll(async () => {
    fifo = path.join(pulse!.dir, 'vmic-dual.fifo');
    micModule = await loadDefaultPipeSource(pulse!, fifo, RATE);
    speechA = (await decodeAll(realDecoder(), audioFile('jfk.wav'))).slice(0, CLIP_SECONDS * RATE);
    const conversation = await decodeAll(realDecoder(), audioFile('two-speakers.wav'));
    speechB = conversation.slice(Math.round(8.3 * RATE), Math.round((8.3 + CLIP_SECONDS) * RATE));
  });

  afterAll(async () => {
    if (!pulse) return;
    await pulse.pactl('unload-module', micModule).catch(() => undefined);
    await pulse.stop();
    expect(() => process.kill(pulse.pid, 0)).toThrow();
  });

  /** A into the microphone for 0.5 s + clip + 1.5 s; B into `sink` 0.8 s in. */
  async function speakBoth(sink: string): Promise<void> {
    await Promise.all([feedFifo(fifo, padded(speechA, 0.5, 1.5)), sleep(800).then(() => playInto(sink, speechB))]);
  }

  it('openWithMonitor: channel 0 holds the microphone’s speech, channel 1 the monitor’s, at the microphone’s rate', async () => {
    const backend = new SystemCaptureBackend({ pulse: { env: pulse!.env } });
    const faults: CodedError[] = [];
    const opened = await backend.openWithMonitor(null, 'vsink.monitor', { onMonitorFault: (error) => faults.push(error) });
    if (!opened.ok) throw new Error(`${opened.error.code}: ${opened.error.message}`);
    const source = opened.value;
    expect(source).toBeInstanceOf(DualSource);
    expect(source.format.channels).toBe(2);
    const chunks: Float32Array[] = [];
    const errors: CodedError[] = [];
    let stopped = false;
    let afterStop = 0;
    const result = await source.start(
      (frames) => (stopped ? afterStop++ : chunks.push(frames)),
      (error) => errors.push(error),
    );
    if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
    await sleep(300);
    await speakBoth('vsink');
    await sleep(300);
    await source.stop();
    stopped = true;
    await sleep(200);

    const frames = chunks.reduce((n, chunk) => n + chunk.length / 2, 0);
    const all = new Float32Array(frames * 2);
    let at = 0;
    for (const chunk of chunks) {
      all.set(chunk, at);
      at += chunk.length;
    }
    const rate = source.format.sampleRate;
    const match = matchChannels(channelAt16k(all, 2, 0, rate), channelAt16k(all, 2, 1, rate), speechA, speechB);
    const dual = source as DualSource;
    console.info(
      `openWithMonitor at ${rate} Hz: ${(frames / rate).toFixed(2)} s; ${match.text}; underrun ${dual.underrunFrames}, overrun ${dual.overrunFrames}, trimmed ${dual.trimmedFrames} frames`,
    );
    expect(errors).toEqual([]);
    expect(faults).toEqual([]);
    expect(afterStop).toBe(0);
    expectSeparated(match);
    // B was played 0.3 s after A was spoken; channel 1 adds the jitter allowance (0.1 s) and PulseAudio's
    // playback latency (pacat → null sink → monitor, measured 0.1–0.5 s here), never seconds.
    expect(Math.abs(match.starts[0] - 0.5)).toBeLessThan(0.5);
    expect(match.starts[1] - match.starts[0]).toBeGreaterThan(0.3);
    expect(match.starts[1] - match.starts[0]).toBeLessThan(1.3);
  }, 60_000);

  it('a monitor that does not exist fails openWithMonitor with its own error (no silent microphone-only recording)', async () => {
    const backend = new SystemCaptureBackend({ pulse: { env: pulse!.env } });
    const opened = await backend.openWithMonitor(null, 'no-such-sink.monitor');
    expect(opened.ok).toBe(false);
    if (!opened.ok) expect(opened.error.code).toBe('CAPTURE_DEVICE_NOT_FOUND');
  });

  describe('through createEngine().recorder', () => {
    let engine: Engine;
    let temp: Awaited<ReturnType<typeof makeTempDir>>;
    const events: RecordingEvent[] = [];
    /** The engine's last combined source, for its counters. */
    let lastDual: DualSource | null = null;
    const counters = (): string =>
      lastDual
        ? `underrun ${lastDual.underrunFrames}, overrun ${lastDual.overrunFrames}, trimmed ${lastDual.trimmedFrames} frames`
        : 'no DualSource';

    beforeAll(async () => {
      temp = await makeTempDir('dual-capture');
      const system = new SystemCaptureBackend({ pulse: { env: pulse!.env } });
      const capture: CaptureBackend = {
        listDevices: () => system.listDevices(),
        open: (deviceId, preferred) => system.open(deviceId, preferred),
        openWithMonitor: async (micDeviceId, monitorDeviceId, options) => {
          const opened = await system.openWithMonitor(micDeviceId, monitorDeviceId, options);
          if (opened.ok && opened.value instanceof DualSource) lastDual = opened.value;
          return opened;
        },
      };
      engine = createEngine({
        recordingsDir: path.join(temp.dir, 'recordings'),
        modelsDir: path.join(temp.dir, 'models'),
        device: 'cpu',
        adapters: { capture },
      });
      engine.onRecordingEvent((event) => events.push(event));
    });

    afterAll(async () => {
      await engine?.dispose();
      await temp?.cleanup();
    });

    async function readChannels(file: string): Promise<{ ch0: Float32Array; ch1: Float32Array; rate: number; channels: number }> {
      const stream = await probe(file);
      const rate = Number(stream.sample_rate);
      const s16 = await decodeS16([file]);
      const interleaved = Float32Array.from(s16, (sample) => sample / 32768);
      return {
        ch0: channelAt16k(interleaved, stream.channels, 0, rate),
        ch1: channelAt16k(interleaved, stream.channels, 1, rate),
        rate,
        channels: stream.channels,
      };
    }

    it('records A from the microphone and B from the monitor into a 2-channel WAV', async () => {
      events.length = 0;
      const recording = await engine.recorder.start({ monitorDeviceId: 'vsink.monitor', transcribe: false });
      if (!recording.ok) throw new Error(`${recording.error.code}: ${recording.error.message}`);
      await sleep(300);
      await speakBoth('vsink');
      await sleep(300);
      const summary = await engine.recorder.stop();
      if (!summary.ok) throw new Error(`${summary.error.code}: ${summary.error.message}`);
      expect(summary.value.paths).toHaveLength(1);
      const { ch0, ch1, rate, channels } = await readChannels(summary.value.paths[0] as string);
      const match = matchChannels(ch0, ch1, speechA, speechB);
      console.info(`engine 2-channel WAV (${rate} Hz × ${channels}, ${summary.value.seconds.toFixed(2)} s): ${match.text}; ${counters()}`);
      expect(channels).toBe(2);
      expectSeparated(match);
      expect(events.filter((event) => event.type === 'error')).toEqual([]);
      expect(events.flatMap((event) => (event.type === 'status' ? [event.status] : []))).toEqual(['recording', 'stopping', 'idle']);
    }, 60_000);

    it('live transcription (tiny model) hears the monitor channel: speech is found after the microphone fell silent', async () => {
      events.length = 0;
      const recording = await engine.recorder.start({ monitorDeviceId: 'vsink.monitor', modelDir: TINY_MULTILINGUAL, language: 'en' });
      if (!recording.ok) throw new Error(`${recording.error.code}: ${recording.error.message}`);
      await sleep(300);
      // A in the microphone from 0.5 s to 3.5 s, then only B, from the monitor, from 4 s.
      await Promise.all([feedFifo(fifo, padded(speechA, 0.5, 4.5)), sleep(4000).then(() => playInto('vsink', speechB))]);
      await sleep(300);
      const summary = await engine.recorder.stop();
      if (!summary.ok) throw new Error(`${summary.error.code}: ${summary.error.message}`);
      const { ch0, ch1, channels } = await readChannels(summary.value.paths[0] as string);
      const match = matchChannels(ch0, ch1, speechA, speechB);
      // Where A ends in this file (the recording's clock is the microphone's).
      const micSilentFrom = match.starts[0] + CLIP_SECONDS;
      const speechStarts = events.flatMap((event) =>
        event.type === 'committed' ? [event.segment.start] : event.type === 'partial' && event.text !== '' ? [event.start] : [],
      );
      const afterMic = speechStarts.filter((start) => start >= micSilentFrom + 0.2);
      console.info(
        `transcribing 2-channel recording: ${summary.value.seconds.toFixed(2)} s, ${summary.value.segmentsCommitted} segments; mic silent from ${micSilentFrom.toFixed(2)} s; speech found at ${[...new Set(speechStarts.map((s) => s.toFixed(2)))].join(', ')}; ${match.text}; ${counters()}`,
      );
      expect(channels).toBe(2);
      expect(events.filter((event) => event.type === 'error')).toEqual([]);
      expect(events.flatMap((event) => (event.type === 'status' ? [event.status] : []))).toEqual(['recording', 'stopping', 'idle']);
      // Only the monitor channel held speech then, so the transcriber's input (the downmix) carries it.
      expect(afterMic.length).toBeGreaterThan(0);
    }, 120_000);

    it('a monitor that disappears mid-recording is a non-fatal error: the microphone records on and the file is saved', async () => {
      const sinkModule = (await pulse!.pactl('load-module', 'module-null-sink', 'sink_name=vsink2')).trim();
      events.length = 0;
      const recording = await engine.recorder.start({ monitorDeviceId: 'vsink2.monitor', transcribe: false });
      if (!recording.ok) throw new Error(`${recording.error.code}: ${recording.error.message}`);
      await sleep(300);
      const feeding = feedFifo(fifo, padded(speechA, 0.5, 1.5));
      await sleep(1000);
      await pulse!.pactl('unload-module', sinkModule);
      await feeding;
      const errors = events.flatMap((event) => (event.type === 'error' ? [event] : []));
      expect(engine.recorder.active).toBe(true);
      const summary = await engine.recorder.stop();
      if (!summary.ok) throw new Error(`${summary.error.code}: ${summary.error.message}`);
      const { ch0, channels } = await readChannels(summary.value.paths[0] as string);
      const { peak } = normalizedCrossCorrelation(excerpt(speechA), ch0);
      console.info(
        `monitor removed at ~1 s: ${errors.map((e) => `${e.error.code} (fatal ${e.fatal}): ${e.error.message}`).join('; ')}; mic NCC ${peak.toFixed(4)}, ${summary.value.seconds.toFixed(2)} s saved; ${counters()}`,
      );
      expect(errors).toHaveLength(1);
      expect(errors[0]?.fatal).toBe(false);
      expect(errors[0]?.error.code).toBe('CAPTURE_DEVICE_LOST');
      expect(errors[0]?.error.message).toContain('microphone only');
      expect(events.flatMap((event) => (event.type === 'status' ? [event.status] : []))).toEqual(['recording', 'stopping', 'idle']);
      expect(channels).toBe(2);
      expect(peak).toBeGreaterThan(0.95);
      expect(summary.value.seconds).toBeGreaterThan(CLIP_SECONDS + 1);
    }, 60_000);
  });
});
