import { spawn, spawnSync } from 'node:child_process';
import { open, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CodedError } from '../../../src-shared/result';
import type { AudioSource } from '../../../src-main/record/capture-types';
import { StreamingResampler } from '../../../src-main/record/capture/resampler';
import { SystemCaptureBackend } from '../../../src-main/record/capture/system-capture-backend';
import { audioFile, decodeAll, realDecoder } from '../../audio/helpers';
import type { PrivatePulse } from '../../setup/pulse';
import { loadDefaultPipeSource, startPrivatePulse } from '../../setup/pulse';
import { normalizedCrossCorrelation } from './correlation';

/**
 * Real capture on a machine with no sound card: a private PulseAudio daemon (tests/setup/pulse.ts),
 * known speech played into it, captured through naudiodon (PortAudio → ALSA default → pulse plugin)
 * and through parec from a monitor source, compared with the source by normalised cross-correlation.
 * CI sets VERBATIM_REQUIRE_AUDIO=1 so that a daemon that cannot start fails instead of skipping.
 */
const started =
  process.platform === 'linux' ? await startPrivatePulse() : ({ ok: false, reason: 'PulseAudio capture runs on Linux' } as const);
if (!started.ok) {
  if (process.env.VERBATIM_REQUIRE_AUDIO === '1') throw new Error(`real capture tests cannot run: ${started.reason}`);
  console.warn(`skipping real capture tests: ${started.reason}`);
}
const pulse: PrivatePulse | null = started.ok ? started.pulse : null;
// Before PortAudio initialises in this worker: its default ALSA device reaches this daemon.
if (pulse) process.env.PULSE_SERVER = pulse.server;

const RATE = 16000;
/** The middle 2 s of the 3 s clip: the capture may start or end a little inside the clip. */
const EXCERPT_START = RATE / 2;
const EXCERPT = (speech: Float32Array): Float32Array => speech.subarray(EXCERPT_START, EXCERPT_START + 2 * RATE);

/** NCC peak of the excerpt in the capture, and where the clip's start lies in the capture (ms). */
function matchSpeech(speech: Float32Array, captured: Float32Array): { peak: number; lag: number; text: string } {
  const { peak, lag } = normalizedCrossCorrelation(EXCERPT(speech), captured);
  const clipLag = lag - EXCERPT_START;
  return { peak, lag: clipLag, text: `NCC peak ${peak.toFixed(4)} at lag ${clipLag} samples (${((clipLag / RATE) * 1000).toFixed(1)} ms)` };
}
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Recording {
  chunks: Float32Array[];
  errors: CodedError[];
  afterStop: number;
}

async function record(source: AudioSource, during: () => Promise<void>): Promise<Recording> {
  const recording: Recording = { chunks: [], errors: [], afterStop: 0 };
  let stopped = false;
  const result = await source.start(
    (frames) => (stopped ? recording.afterStop++ : recording.chunks.push(frames)),
    (error) => recording.errors.push(error),
  );
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  try {
    await during();
  } finally {
    await source.stop();
    stopped = true;
  }
  await sleep(200);
  return recording;
}

function toMono16k(chunks: Float32Array[], sampleRate: number, channels: number): Float32Array {
  const resampler = new StreamingResampler(sampleRate, channels, RATE);
  const parts = [...chunks.map((c) => resampler.process(c)), resampler.flush()];
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Writes float32 mono samples into a FIFO at real time (100 ms slices). */
async function feedFifo(fifo: string, samples: Float32Array): Promise<void> {
  const handle = await open(fifo, 'w');
  try {
    const slice = RATE / 10;
    const begin = performance.now();
    for (let at = 0; at < samples.length; at += slice) {
      const part = samples.subarray(at, Math.min(samples.length, at + slice));
      await handle.write(Buffer.from(part.buffer, part.byteOffset, part.byteLength));
      const due = begin + ((at + slice) / RATE) * 1000;
      await sleep(Math.max(0, due - performance.now()));
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
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`pacat exited ${code}: ${stderr}`));
    });
    child.stdin.end(Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength));
  });
}

/** After helper processes (pactl) and their pipes have closed. */
async function settledCounts(): Promise<{ fds: number; threads: number; handles: number }> {
  await sleep(300);
  const handles = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles().length;
  return { fds: (await readdir('/proc/self/fd')).length, threads: (await readdir('/proc/self/task')).length, handles };
}

describe.skipIf(!pulse)('real capture through a private PulseAudio daemon', () => {
  const backend = new SystemCaptureBackend({ pulse: { env: pulse?.env ?? {} } });
  let speech: Float32Array;

  beforeAll(async () => {
    const jfk = await decodeAll(realDecoder(), audioFile('jfk.wav'));
    // 3 s of "And so my fellow Americans…" keeps each capture short.
    speech = jfk.slice(0, 3 * RATE);
  });

  afterAll(async () => {
    if (!pulse) return;
    await pulse.stop();
    // No daemon left behind.
    expect(() => process.kill(pulse.pid, 0)).toThrow();
  });

  it('lists PortAudio inputs (default marked) and the null sink monitor as a default monitor', async () => {
    const listed = await backend.listDevices();
    expect(listed.ok).toBe(true);
    if (!listed.ok) return;
    const inputs = listed.value.filter((d) => d.kind === 'input');
    expect(inputs.length).toBeGreaterThan(0);
    expect(inputs.filter((d) => d.isDefault)).toHaveLength(1);
    expect(listed.value.filter((d) => d.kind === 'monitor')).toEqual([
      {
        id: 'vsink.monitor',
        name: 'Monitor of VirtualSink',
        kind: 'monitor',
        maxInputChannels: 2,
        defaultSampleRate: 48000,
        isDefault: true,
      },
    ]);
    console.info(`inputs: ${inputs.map((d) => `${d.id}=${d.name}${d.isDefault ? '*' : ''} (${d.defaultSampleRate} Hz)`).join(', ')}`);
  });

  describe('microphone through naudiodon (a pipe source as the default source)', () => {
    let fifo: string;
    let moduleId: string;

    beforeAll(async () => {
      fifo = path.join(pulse!.dir, 'vmic.fifo');
      moduleId = await loadDefaultPipeSource(pulse!, fifo, RATE);
    });

    afterAll(async () => {
      await pulse!.pactl('unload-module', moduleId);
      await pulse!.pactl('set-default-source', 'vsink.monitor');
    });

    it('at 16 kHz mono: the capture is a copy of the speech', async () => {
      const opened = await backend.open(null, { sampleRate: RATE, channels: 1 });
      if (!opened.ok) throw new Error(opened.error.message);
      const source = opened.value;
      expect(source.format).toEqual({ sampleRate: RATE, channels: 1 });
      const recording = await record(source, async () => {
        await sleep(300);
        await feedFifo(fifo, speech);
        await sleep(500);
      });
      const captured = toMono16k(recording.chunks, RATE, 1);
      const { peak, text } = matchSpeech(speech, captured);
      console.info(`naudiodon 16 kHz mono: ${captured.length} samples captured, ${text}`);
      expect(recording.errors).toEqual([]);
      expect(recording.afterStop).toBe(0);
      expect(peak).toBeGreaterThan(0.99);
    });

    it("at the device's native format (resampled back to 16 kHz): still the speech", async () => {
      const opened = await backend.open(null);
      if (!opened.ok) throw new Error(opened.error.message);
      const source = opened.value;
      const recording = await record(source, async () => {
        await sleep(300);
        await feedFifo(fifo, speech);
        await sleep(500);
      });
      const captured = toMono16k(recording.chunks, source.format.sampleRate, source.format.channels);
      const { peak, text } = matchSpeech(speech, captured);
      console.info(`naudiodon native ${source.format.sampleRate} Hz × ${source.format.channels}, resampled to 16 kHz: ${text}`);
      expect(recording.errors).toEqual([]);
      expect(peak).toBeGreaterThan(0.95);
    });
  });

  it('monitor source through parec: what is played into the sink is captured', async () => {
    const opened = await backend.open('vsink.monitor');
    if (!opened.ok) throw new Error(opened.error.message);
    const source = opened.value;
    expect(source.format).toEqual({ sampleRate: 48000, channels: 2 });
    const recording = await record(source, async () => {
      await sleep(300);
      await playInto('vsink', speech);
      await sleep(300);
    });
    const captured = toMono16k(recording.chunks, 48000, 2);
    const { peak, text } = matchSpeech(speech, captured);
    console.info(`parec monitor 48 kHz × 2, resampled to 16 kHz: ${text}`);
    expect(recording.errors).toEqual([]);
    expect(recording.afterStop).toBe(0);
    expect(peak).toBeGreaterThan(0.95);
  });

  describe('open/stop cycles', () => {
    let sineModule: string;

    beforeAll(async () => {
      // A clocked source that always delivers (a pipe source only does while written, and an idle
      // null sink's monitor reaches ALSA's pulse plugin in ~2 s blocks).
      sineModule = (await pulse!.pactl('load-module', 'module-sine-source', 'source_name=vsine', 'rate=48000', 'frequency=440')).trim();
      await pulse!.pactl('set-default-source', 'vsine');
    });

    afterAll(async () => {
      await pulse!.pactl('set-default-source', 'vsink.monitor');
      await pulse!.pactl('unload-module', sineModule);
    });

    it('20 naudiodon open/start/stop cycles leak no fds, threads or handles, and nothing arrives after stop', async () => {
      const cycle = async (): Promise<number> => {
        const opened = await backend.open(null);
        if (!opened.ok) throw new Error(opened.error.message);
        let afterStop = 0;
        let stopped = false;
        let got = 0;
        await opened.value.start(
          () => (stopped ? afterStop++ : got++),
          () => undefined,
        );
        for (let waited = 0; got < 3 && waited < 5000; waited += 10) await sleep(10);
        await opened.value.stop();
        stopped = true;
        expect(got).toBeGreaterThanOrEqual(3);
        return afterStop;
      };
      await cycle(); // first use starts PortAudio's and libuv's worker threads
      const before = await settledCounts();
      let afterStop = 0;
      for (let i = 0; i < 20; i++) afterStop += await cycle();
      const after = await settledCounts();
      console.info(`naudiodon 20 cycles: before ${JSON.stringify(before)}, after ${JSON.stringify(after)}`);
      expect(afterStop).toBe(0);
      expect(after).toEqual(before);
    });

    it('10 parec monitor cycles leave no child process, fd or handle behind', async () => {
      const before = await settledCounts();
      for (let i = 0; i < 10; i++) {
        const opened = await backend.open('vsink.monitor');
        if (!opened.ok) throw new Error(opened.error.message);
        let got = 0;
        await opened.value.start(
          () => got++,
          () => undefined,
        );
        for (let waited = 0; got === 0 && waited < 5000; waited += 10) await sleep(10);
        await opened.value.stop();
        expect(got).toBeGreaterThan(0);
      }
      const after = await settledCounts();
      console.info(`parec 10 cycles: before ${JSON.stringify(before)}, after ${JSON.stringify(after)}`);
      expect(after).toEqual(before);
      expect(spawnSync('pgrep', ['-P', String(process.pid), 'parec']).status).toBe(1);
    });
  });

  it('a monitor whose sink disappears reports CAPTURE_DEVICE_LOST', async () => {
    const moduleId = (await pulse!.pactl('load-module', 'module-null-sink', 'sink_name=vsink2')).trim();
    const opened = await backend.open('vsink2.monitor');
    if (!opened.ok) throw new Error(opened.error.message);
    const errors: CodedError[] = [];
    await opened.value.start(
      () => undefined,
      (e) => errors.push(e),
    );
    await sleep(300);
    await pulse!.pactl('unload-module', moduleId);
    for (let waited = 0; errors.length === 0 && waited < 5000; waited += 50) await sleep(50);
    await opened.value.stop();
    expect(errors.map((e) => e.code)).toEqual(['CAPTURE_DEVICE_LOST']);
    expect(errors[0]?.message).toContain('removed');
  });

  // Last: it kills the daemon.
  it('naudiodon capture when the daemon is killed (-9): the fault is reported and stop() returns', async () => {
    const fragile = new SystemCaptureBackend({ portAudio: { stallMs: 1500, quitTimeoutMs: 3000 } });
    const opened = await fragile.open(null);
    if (!opened.ok) throw new Error(opened.error.message);
    const errors: CodedError[] = [];
    let got = 0;
    await opened.value.start(
      () => got++,
      (e) => errors.push(e),
    );
    for (let waited = 0; got === 0 && waited < 3000; waited += 10) await sleep(10);
    expect(got).toBeGreaterThan(0);
    process.kill(pulse!.pid, 'SIGKILL');
    for (let waited = 0; errors.length === 0 && waited < 8000; waited += 50) await sleep(50);
    const stopStarted = performance.now();
    await opened.value.stop();
    console.info(
      `after kill -9: ${errors.map((e) => `${e.code}: ${e.message}`).join('; ')}; stop() took ${Math.round(performance.now() - stopStarted)} ms`,
    );
    expect(errors.map((e) => e.code)).toEqual(['CAPTURE_DEVICE_LOST']);
  });
});
