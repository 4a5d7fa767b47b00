import { describe, expect, it } from 'vitest';
import type { CodedError } from '../../../src-shared/result';
import { fail } from '../../../src-shared/result';
import { DualSource } from '../../../src-main/record/capture/dual-source';
import { createEngineResampler } from '../../../src-main/record/capture/engine-resampler';
import { StreamingResampler } from '../../../src-main/record/capture/resampler';
import { SyntheticSource } from '../../../src-main/record/capture/synthetic-source';
import { SystemCaptureBackend } from '../../../src-main/record/capture/system-capture-backend';
import { normalizedCrossCorrelation } from './correlation';
import { channel, concat, countNonZero, countZeros, ManualSource, newCapture, noise, startDual } from './dual-source-helpers';

const MIC_RATE = 48_000;
const MONITOR_RATE = 44_100;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Stereo at 44.1 kHz: a tone left, a rising chirp right (so no lag but the true one matches), an offset so no sample is exactly 0. */
function monitorStereo(seconds: number): Float32Array {
  const frames = Math.round(seconds * MONITOR_RATE);
  const out = new Float32Array(frames * 2);
  for (let i = 0; i < frames; i++) {
    const t = i / MONITOR_RATE;
    out[2 * i] = 0.25 + 0.3 * Math.sin(2 * Math.PI * 440 * t);
    out[2 * i + 1] = 0.25 + 0.2 * Math.sin(2 * Math.PI * (200 * t + 400 * t * t));
  }
  return out;
}

/** The same monitor's channel mean, computed analytically at the microphone's rate. */
function monitorMeanAtMicRate(frames: number): Float32Array {
  return Float32Array.from({ length: frames }, (_, i) => {
    const t = i / MIC_RATE;
    return 0.25 + (0.3 * Math.sin(2 * Math.PI * 440 * t) + 0.2 * Math.sin(2 * Math.PI * (200 * t + 400 * t * t))) / 2;
  });
}

const micFault: CodedError = { code: 'CAPTURE_DEVICE_LOST', message: 'mic unplugged' };
const monitorFault: CodedError = { code: 'CAPTURE_DEVICE_LOST', message: 'monitor source removed' };

describe('DualSource', () => {
  it('mic 48 kHz mono + monitor 44.1 kHz stereo: channel 0 is the mic, channel 1 the resampled monitor after the jitter allowance', async () => {
    const micSignal = noise(2 * MIC_RATE, 7);
    const monitorSignal = monitorStereo(2);
    const mic = new SyntheticSource({ format: { sampleRate: MIC_RATE, channels: 1 }, signal: micSignal, chunkFrames: 960 });
    const monitor = new SyntheticSource({ format: { sampleRate: MONITOR_RATE, channels: 2 }, signal: monitorSignal, chunkFrames: 882 });
    const dual = new DualSource(mic, monitor);
    expect(dual.format).toEqual({ sampleRate: MIC_RATE, channels: 2 });
    const captured = newCapture();
    await startDual(dual, captured);
    await mic.ended;
    await dual.stop();

    expect(captured.errors).toEqual([]);
    expect(captured.chunks.every((chunk) => chunk.length === 2 * 960)).toBe(true);
    const ch0 = channel(captured.chunks, 0);
    const ch1 = channel(captured.chunks, 1);
    // Channel 0: every mic sample, untouched.
    expect(ch0.length).toBe(micSignal.length);
    expect(Array.from(ch0)).toEqual(Array.from(micSignal));

    // Channel 1: silence while the first 0.1 s gathered, then the monitor exactly as the resampler makes it.
    const silent = dual.underrunFrames;
    expect(silent).toBeGreaterThanOrEqual(0.1 * MIC_RATE - 960);
    expect(silent).toBeLessThanOrEqual(0.1 * MIC_RATE + 960);
    expect(countZeros(ch1.subarray(0, silent))).toBe(silent);
    const reference = new StreamingResampler(MONITOR_RATE, 2, MIC_RATE).process(monitorSignal);
    const played = ch1.subarray(silent);
    let maxError = 0;
    for (let i = 0; i < played.length; i++) maxError = Math.max(maxError, Math.abs(played[i]! - reference[i]!));
    expect(maxError).toBeLessThan(1e-6);
    // …and that is the monitor's channel mean at 48 kHz (checked analytically, away from the start-up transient).
    const analytic = monitorMeanAtMicRate(played.length);
    let analyticError = 0;
    for (let i = 200; i < played.length; i++) analyticError = Math.max(analyticError, Math.abs(played[i]! - analytic[i]!));
    const { peak, lag } = normalizedCrossCorrelation(analytic.subarray(200, 48_200), ch1);
    console.info(
      `dual 48k mono + 44.1k stereo: ${silent} frames of initial silence, resampler match ${maxError.toExponential(2)}, analytic max error ${analyticError.toExponential(2)}, NCC ${peak.toFixed(6)} at lag ${lag - 200}`,
    );
    expect(analyticError).toBeLessThan(2e-3);
    expect(peak).toBeGreaterThan(0.9999);
    expect(lag - 200).toBe(silent);
    expect(dual.overrunFrames).toBe(0);
    expect(dual.trimmedFrames).toBe(0);
  });

  it('a stereo mic is downmixed to the mean of its channels', async () => {
    const mic = new ManualSource({ sampleRate: MIC_RATE, channels: 2 });
    const monitor = new ManualSource({ sampleRate: MIC_RATE, channels: 1 });
    const dual = new DualSource(mic, monitor, { jitterSeconds: 0 });
    const captured = newCapture();
    await startDual(dual, captured);
    mic.push(Float32Array.from([0.5, 0.25, -1, 0, 0.2, 0.2]));
    expect(Array.from(channel(captured.chunks, 0))).toEqual([0.375, -0.5, Math.fround(0.2)]);
  });

  it('underrun: silence in channel 1, counted, then the jitter allowance gathers again before it plays', async () => {
    const mic = new ManualSource({ sampleRate: MIC_RATE, channels: 1 });
    const monitor = new ManualSource({ sampleRate: MIC_RATE, channels: 1 });
    // 480-frame allowance, 2400-frame FIFO; the monitor's samples are their own 1-based index.
    const dual = new DualSource(mic, monitor, { jitterSeconds: 0.01, fifoSeconds: 0.05 });
    const captured = newCapture();
    await startDual(dual, captured);
    let next = 1;
    const pushMonitor = (frames: number): void => monitor.push(Float32Array.from({ length: frames }, () => next++));
    const pushMic = (frames: number): Float32Array => {
      mic.push(new Float32Array(frames).fill(0.5));
      return channel(captured.chunks.slice(-1), 1);
    };

    pushMonitor(1000);
    // First mic callback: what gathered while the mic started is cut to the allowance.
    expect(Array.from(pushMic(480))).toEqual(Array.from({ length: 480 }, (_, i) => 521 + i));
    expect(dual.trimmedFrames).toBe(520);
    // Nothing left: an underrun.
    expect(countZeros(pushMic(480))).toBe(480);
    expect(dual.underrunFrames).toBe(480);
    // 300 frames are less than the allowance: still silent.
    pushMonitor(300);
    expect(countZeros(pushMic(100))).toBe(100);
    expect(dual.underrunFrames).toBe(580);
    pushMonitor(300);
    expect(Array.from(pushMic(100))).toEqual(Array.from({ length: 100 }, (_, i) => 1001 + i));
    expect(dual.underrunFrames).toBe(580);
    // 500 held + 5000 new into 2400: the oldest 3100 go.
    pushMonitor(5000);
    expect(dual.overrunFrames).toBe(3100);
    expect(dual.bufferedFrames).toBe(2400);
    expect(Array.from(pushMic(100))).toEqual(Array.from({ length: 100 }, (_, i) => 4201 + i));
    expect(captured.errors).toEqual([]);
  });

  it('underrun when the monitor ends early: every silent frame is counted, and the monitor plays in order', async () => {
    const mic = new SyntheticSource({ format: { sampleRate: MIC_RATE, channels: 1 }, signal: noise(2 * MIC_RATE, 3), chunkFrames: 960 });
    const monitorSignal = monitorStereo(0.5);
    const monitor = new SyntheticSource({ format: { sampleRate: MONITOR_RATE, channels: 2 }, signal: monitorSignal, chunkFrames: 441 });
    const dual = new DualSource(mic, monitor);
    const captured = newCapture();
    await startDual(dual, captured);
    await mic.ended;
    await dual.stop();
    const ch1 = channel(captured.chunks, 1);
    expect(ch1.length).toBe(2 * MIC_RATE);
    const zeros = countZeros(ch1);
    console.info(`monitor ended after 0.5 s of 2 s: ${dual.underrunFrames} underrun frames, ${zeros} silent samples in channel 1`);
    expect(dual.underrunFrames).toBe(zeros);
    expect(zeros).toBeGreaterThanOrEqual(1.5 * MIC_RATE);
    // The audible part is the monitor's resampled stream, nothing lost or repeated.
    const reference = new StreamingResampler(MONITOR_RATE, 2, MIC_RATE).process(monitorSignal);
    const audible = ch1.filter((sample) => sample !== 0);
    expect(audible.length).toBe(reference.length);
    expect(Array.from(audible)).toEqual(Array.from(reference));
  });

  it('overrun: a monitor far ahead of the mic keeps the FIFO at capacity, drops the oldest and counts them', async () => {
    const mic = new SyntheticSource({ format: { sampleRate: MIC_RATE, channels: 1 }, signal: noise(MIC_RATE, 5), chunkFrames: 48 });
    let monitorFrames = 0;
    // 0.1 s of ramp per tick against 1 ms of mic per tick; ramp values are the 1-based frame index (exact in float32 below 2^24).
    const monitor = new SyntheticSource({
      format: { sampleRate: MIC_RATE, channels: 1 },
      chunkFrames: MIC_RATE / 10,
      signal: (start, into) => {
        for (let i = 0; i < into.length; i++) into[i] = start + i + 1;
        monitorFrames = start + into.length;
        return into.length;
      },
    });
    const dual = new DualSource(mic, monitor, { fifoSeconds: 0.5 });
    const captured = newCapture();
    await startDual(dual, captured);
    await mic.ended;
    await dual.stop();
    const ch1 = channel(captured.chunks, 1);
    const taken = ch1.length - dual.underrunFrames;
    console.info(
      `overrun: ${monitorFrames} monitor frames in, ${taken} played, ${dual.overrunFrames} overrun, ${dual.trimmedFrames} trimmed, ${dual.bufferedFrames} held (capacity ${dual.fifoCapacity}), max held ${captured.maxBuffered}`,
    );
    expect(dual.fifoCapacity).toBe(24_000);
    expect(captured.maxBuffered).toBeLessThanOrEqual(dual.fifoCapacity);
    expect(dual.overrunFrames).toBeGreaterThan(50 * MIC_RATE);
    // Every monitor frame is accounted for: played, dropped or still held.
    expect(taken + dual.overrunFrames + dual.trimmedFrames + dual.bufferedFrames).toBe(monitorFrames);
    // What played is in order (the oldest were dropped, never the newest or a reordering).
    const audible = ch1.filter((sample) => sample !== 0);
    expect(audible.length).toBe(taken);
    for (let i = 1; i < audible.length; i++) expect(audible[i]! > audible[i - 1]!).toBe(true);
  });

  it('clock drift: a monitor 10% fast is trimmed back so the delay stays bounded, without overruns', async () => {
    const mic = new ManualSource({ sampleRate: MIC_RATE, channels: 1 });
    const monitor = new ManualSource({ sampleRate: MIC_RATE, channels: 1 });
    const dual = new DualSource(mic, monitor, { jitterSeconds: 0.01, fifoSeconds: 1, alignWindowSeconds: 0.1 });
    const captured = newCapture();
    await startDual(dual, captured);
    let next = 1;
    for (let step = 0; step < 1000; step++) {
      monitor.push(Float32Array.from({ length: 110 }, () => next++));
      mic.push(new Float32Array(100));
    }
    const ch1 = channel(captured.chunks, 1);
    const taken = ch1.length - dual.underrunFrames;
    console.info(
      `drift +10% over ${ch1.length} frames: ${dual.trimmedFrames} trimmed, max held ${captured.maxBuffered}, ${dual.underrunFrames} underrun`,
    );
    expect(dual.overrunFrames).toBe(0);
    expect(dual.trimmedFrames).toBeGreaterThan(0.09 * ch1.length - 2000);
    // Without trimming the FIFO would hold 10 000 frames by now. With it: the 2 × 480 threshold, plus at
    // most two windows' growth (the window right after a trim starts below the threshold), plus a chunk.
    expect(captured.maxBuffered).toBeLessThanOrEqual(2 * 480 + 2 * 480 + 110);
    expect(taken + dual.trimmedFrames + dual.bufferedFrames).toBe(next - 1);
    // The FIFO wrapped around many times; what played is still in order (the monitor's samples are their index).
    const audible = ch1.filter((sample) => sample !== 0);
    expect(audible.length).toBe(taken);
    expect(audible.every((sample, i) => i === 0 || sample > audible[i - 1]!)).toBe(true);
  });

  it('a monitor fault is not fatal: the callback fires once, the mic records on, channel 1 goes silent', async () => {
    const micSignal = noise(2 * MIC_RATE, 11);
    const mic = new SyntheticSource({ format: { sampleRate: MIC_RATE, channels: 1 }, signal: micSignal, chunkFrames: 960 });
    const monitor = new SyntheticSource({
      format: { sampleRate: MONITOR_RATE, channels: 2 },
      signal: monitorStereo(2),
      chunkFrames: 882,
      faultAfterFrames: MONITOR_RATE / 2,
      fault: monitorFault,
    });
    const captured = newCapture();
    const dual = new DualSource(mic, monitor, { onSecondaryFault: (error) => captured.faults.push(error) });
    await startDual(dual, captured);
    await mic.ended;
    await dual.stop();
    expect(captured.faults).toEqual([monitorFault]);
    expect(dual.secondaryFault).toEqual(monitorFault);
    expect(captured.errors).toEqual([]);
    const ch0 = channel(captured.chunks, 0);
    const ch1 = channel(captured.chunks, 1);
    expect(Array.from(ch0)).toEqual(Array.from(micSignal));
    // The monitor's 0.5 s played (after the start-up silence), the rest is silence not counted as underrun.
    const audible = countNonZero(ch1);
    console.info(`monitor fault at 0.5 s: ${audible} audible frames in channel 1, ${dual.underrunFrames} underrun frames`);
    expect(Math.abs(audible - MIC_RATE / 2)).toBeLessThan(100);
    expect(countZeros(ch1.subarray(MIC_RATE))).toBe(MIC_RATE);
    expect(dual.underrunFrames).toBeLessThanOrEqual(0.1 * MIC_RATE + 960);
  });

  it('a mic fault goes to onError (fatal), once; the monitor callback does not fire', async () => {
    const mic = new SyntheticSource({
      format: { sampleRate: MIC_RATE, channels: 1 },
      signal: noise(2 * MIC_RATE, 13),
      chunkFrames: 960,
      faultAfterFrames: MIC_RATE / 4,
      fault: micFault,
    });
    const monitor = new SyntheticSource({ format: { sampleRate: MONITOR_RATE, channels: 2 }, signal: monitorStereo(2), chunkFrames: 882 });
    const captured = newCapture();
    const dual = new DualSource(mic, monitor, { onSecondaryFault: (error) => captured.faults.push(error) });
    await startDual(dual, captured);
    await mic.ended;
    expect(captured.errors).toEqual([micFault]);
    expect(captured.faults).toEqual([]);
    expect(channel(captured.chunks, 0).length).toBe(MIC_RATE / 4);
    await dual.stop();
    await monitor.ended;
  });

  it('stop: idempotent, stops both sources, and nothing fires after it resolves', async () => {
    const endless = (start: number, into: Float32Array): number => {
      for (let i = 0; i < into.length; i++) into[i] = Math.sin(start + i);
      return into.length;
    };
    const mic = new SyntheticSource({ format: { sampleRate: MIC_RATE, channels: 1 }, signal: endless, chunkFrames: 960 });
    const monitor = new SyntheticSource({ format: { sampleRate: MONITOR_RATE, channels: 2 }, signal: endless, chunkFrames: 882 });
    const captured = newCapture();
    const dual = new DualSource(mic, monitor, { onSecondaryFault: (error) => captured.faults.push(error) });
    await startDual(dual, captured);
    while (captured.chunks.length < 20) await sleep(1);
    const first = dual.stop();
    const second = dual.stop();
    expect(second).toBe(first);
    await Promise.all([first, second, dual.stop()]);
    const count = captured.chunks.length;
    await Promise.all([mic.ended, monitor.ended]);
    await sleep(50);
    expect(captured.chunks.length).toBe(count);
    expect(captured.errors).toEqual([]);
    expect(captured.faults).toEqual([]);
    expect(
      (
        await dual.start(
          () => undefined,
          () => undefined,
        )
      ).ok,
    ).toBe(false);
  });

  it('after stop, even a misbehaving source cannot deliver, fault or report through it', async () => {
    const mic = new ManualSource({ sampleRate: MIC_RATE, channels: 1 });
    const monitor = new ManualSource({ sampleRate: MIC_RATE, channels: 1 });
    const captured = newCapture();
    const dual = new DualSource(mic, monitor, { jitterSeconds: 0, onSecondaryFault: (error) => captured.faults.push(error) });
    await startDual(dual, captured);
    mic.push(new Float32Array(10));
    await dual.stop();
    expect([mic.stopCalls, monitor.stopCalls]).toEqual([1, 1]);
    mic.push(new Float32Array(10));
    monitor.push(new Float32Array(10));
    mic.fail(micFault);
    monitor.fail(monitorFault);
    expect(captured.chunks).toHaveLength(1);
    expect(captured.errors).toEqual([]);
    expect(captured.faults).toEqual([]);
  });

  it('a monitor that cannot start fails the start with its error and the mic is never started; a mic that cannot start stops the monitor', async () => {
    const refused = fail('CAPTURE_MONITOR_UNAVAILABLE', 'parec not found');
    const mic = new ManualSource({ sampleRate: MIC_RATE, channels: 1 });
    const badMonitor = new ManualSource({ sampleRate: MIC_RATE, channels: 1 }, 'monitor', refused);
    const dual = new DualSource(mic, badMonitor);
    expect(
      await dual.start(
        () => undefined,
        () => undefined,
      ),
    ).toEqual(refused);
    expect(mic.started).toBe(false);
    expect([mic.stopCalls, badMonitor.stopCalls]).toEqual([1, 1]);

    const busy = fail('CAPTURE_OPEN_FAILED', 'device busy');
    const badMic = new ManualSource({ sampleRate: MIC_RATE, channels: 1 }, 'mic', busy);
    const monitor = new ManualSource({ sampleRate: MIC_RATE, channels: 1 });
    const second = new DualSource(badMic, monitor);
    expect(
      await second.start(
        () => undefined,
        () => undefined,
      ),
    ).toEqual(busy);
    expect(monitor.started).toBe(true);
    expect(monitor.stopCalls).toBe(1);
  });

  it('the session’s 16 kHz ASR feed (the engine resampler over both channels) hears the mic and the monitor', async () => {
    const micSignal = noise(2 * MIC_RATE, 17, 0.3);
    const monitorSignal = new Float32Array(2 * MONITOR_RATE * 2);
    const monitorNoise = noise(2 * MONITOR_RATE, 19, 0.3);
    for (let i = 0; i < monitorNoise.length; i++) monitorSignal.set([monitorNoise[i]!, monitorNoise[i]!], 2 * i);
    const mic = new SyntheticSource({ format: { sampleRate: MIC_RATE, channels: 1 }, signal: micSignal, chunkFrames: 960 });
    const monitor = new SyntheticSource({ format: { sampleRate: MONITOR_RATE, channels: 2 }, signal: monitorSignal, chunkFrames: 882 });
    const dual = new DualSource(mic, monitor);
    const asr = createEngineResampler(dual.format);
    const fed: Float32Array[] = [];
    await dual.start(
      (frames) => fed.push(asr.process(frames)),
      () => undefined,
    );
    await mic.ended;
    await dual.stop();
    const heard = concat(fed);
    const micAt16k = new StreamingResampler(MIC_RATE, 1).process(micSignal);
    const monitorAt16k = new StreamingResampler(MONITOR_RATE, 1).process(monitorNoise);
    const micMatch = normalizedCrossCorrelation(micAt16k.subarray(1600, 17_600), heard);
    const monitorMatch = normalizedCrossCorrelation(monitorAt16k.subarray(1600, 17_600), heard);
    console.info(
      `ASR feed: mic NCC ${micMatch.peak.toFixed(3)} at ${micMatch.lag}, monitor NCC ${monitorMatch.peak.toFixed(3)} at ${monitorMatch.lag}`,
    );
    // Two independent equal-power signals mixed half and half: each correlates at about 1/√2.
    expect(micMatch.peak).toBeGreaterThan(0.6);
    expect(monitorMatch.peak).toBeGreaterThan(0.6);
    expect(micMatch.lag).toBe(1600);
  });
});

describe('SystemCaptureBackend.openWithMonitor', () => {
  it('where monitors are not supported, fails with CAPTURE_MONITOR_UNAVAILABLE before touching the microphone', async () => {
    let nativeLoads = 0;
    const backend = new SystemCaptureBackend({
      platform: 'darwin',
      loadNative: () => {
        nativeLoads++;
        return fail('CAPTURE_BACKEND_UNAVAILABLE', 'not loaded in this test');
      },
    });
    const opened = await backend.openWithMonitor(null, 'alsa_output.monitor');
    expect(opened.ok ? null : opened.error.code).toBe('CAPTURE_MONITOR_UNAVAILABLE');
    expect(nativeLoads).toBe(0);
  });
});
