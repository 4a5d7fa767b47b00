/**
 * An 8-hour meeting through the real engine at many times real time: the synthetic capture delivers
 * 8 h of 16 kHz mono (tone "utterances" and pauses) as fast as the event loop allows, the live path
 * (real ring, resampler, LiveTranscriber) runs a fast tone-word recognizer and the energy VAD, and the
 * real crash-safe writer puts it on disk.
 */
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { RecordingEvent } from '../../../src-shared/recording-events';
import { createEngine } from '../../../src-main/app/engine';
import { makeTempDir, realDecoder } from '../../audio/helpers';
import { FastToneRecognizer } from '../../support/fast-tone-recognizer';
import {
  doubleLiveModels,
  leastSquaresSlope,
  MONO_16K,
  ScriptedCapture,
  settledMemory,
  utteranceSchedule,
  type SettledMemory,
} from '../../support/session-doubles';
import { firstMismatch, readHeader, runCleanups, tempFilesIn } from './session-helpers';

const HOURS = 8;
const RATE = MONO_16K.sampleRate;
const TOTAL_FRAMES = Math.round(HOURS * 3600 * RATE);
// An utterance of 8 tone words (4.2 s) every 10 s: 2880 utterances in 8 h.
const schedule = utteranceSchedule(10, 8, RATE);
const UTTERANCES = Math.ceil(TOTAL_FRAMES / schedule.periodFrames);
const RSS_SAMPLES = 64;

const cleanups: (() => Promise<void>)[] = [];
afterEach(() => runCleanups(cleanups));

type Committed = Extract<RecordingEvent, { type: 'committed' }>['segment'];

it(`records ${HOURS} h at high speed: every frame on disk, memory flat, commits until the end`, async () => {
  const { dir, cleanup } = await makeTempDir('eight-hours');
  cleanups.push(cleanup);
  const capture = new ScriptedCapture();
  const recognizer = new FastToneRecognizer();
  const models = doubleLiveModels(recognizer);
  const engine = createEngine({
    recordingsDir: path.join(dir, 'recordings'),
    modelsDir: path.join(dir, 'models'),
    adapters: { capture, loadLiveModels: async () => ({ ok: true, value: models }) },
  });
  cleanups.unshift(() => engine.dispose());

  // Memory is sampled from inside the capture: RSS (after a GC) every 1/64 of the audio.
  const generate = schedule.generator(TOTAL_FRAMES);
  const memory: ({ hours: number } & SettledMemory)[] = [];
  let nextSampleAt = 0;
  capture.next({
    format: MONO_16K,
    speed: 'max',
    chunkFrames: RATE / 10,
    signal: (startFrame, into) => {
      if (startFrame >= nextSampleAt) {
        memory.push({ hours: startFrame / RATE / 3600, ...settledMemory() });
        nextSampleAt += TOTAL_FRAMES / RSS_SAMPLES;
      }
      return generate(startFrame, into);
    },
  });

  const committed: Committed[] = [];
  const committedAtHour: number[] = [];
  const other: RecordingEvent[] = [];
  let levels = 0;
  const source = () => capture.opened[0];
  engine.onRecordingEvent((event) => {
    if (event.type === 'committed') {
      committed.push(event.segment);
      committedAtHour.push((source()?.framesDelivered ?? 0) / RATE / 3600);
    } else if (event.type === 'level') levels += 1;
    else if (event.type !== 'partial') other.push(event);
  });

  const began = performance.now();
  const started = await engine.recorder.start({ language: 'en' });
  if (!started.ok) throw new Error(started.error.message);
  await source()?.ended;
  const recordedMs = performance.now() - began;
  const summary = await engine.recorder.stop();
  if (!summary.ok) throw new Error(summary.error.message);
  memory.push({ hours: TOTAL_FRAMES / RATE / 3600, ...settledMemory() });
  const wallMs = performance.now() - began;

  // Memory: least squares over the samples after the first 10 %.
  const steady = memory.filter((sample) => sample.hours >= HOURS * 0.1);
  const rssSlope = leastSquaresSlope(steady.map((sample) => [sample.hours, sample.rssMb]));
  const rssGrowth = Math.max(...steady.map((sample) => sample.rssMb)) - (steady[0]?.rssMb ?? 0);
  // Typed arrays freed by a GC leave the count a little later (their memory is swept concurrently), so
  // single samples scatter; the floor is what stays. It rises by 230 MB per hour if audio were kept.
  const quarter = Math.max(1, Math.floor(steady.length / 4));
  const floor = (samples: typeof steady): number => Math.min(...samples.map((sample) => sample.arrayBuffersMb));
  const arrayBuffersFloorGrowth = floor(steady.slice(-quarter)) - floor(steady.slice(0, quarter));
  const arrayBuffersPeak = Math.max(...memory.map((sample) => sample.arrayBuffersMb));
  console.log(
    `${HOURS} h session: recorded in ${(recordedMs / 1000).toFixed(1)} s (${((HOURS * 3600 * 1000) / recordedMs).toFixed(0)}× real time), ` +
      `stopped after ${((wallMs - recordedMs) / 1000).toFixed(2)} s; RSS ${memory[0]?.rssMb.toFixed(0)} → ${memory.at(-1)?.rssMb.toFixed(0)} MB (heap used ${memory[0]?.heapUsedMb.toFixed(0)} → ${memory.at(-1)?.heapUsedMb.toFixed(0)} MB), ` +
      `slope after the first 10 % ${rssSlope.toFixed(3)} MB per audio hour, growth ${rssGrowth.toFixed(1)} MB; ` +
      `ArrayBuffers ${memory[0]?.arrayBuffersMb.toFixed(1)} → ${memory.at(-1)?.arrayBuffersMb.toFixed(1)} MB (floor growth ${arrayBuffersFloorGrowth.toFixed(2)} MB, peak ${arrayBuffersPeak.toFixed(1)} MB); ` +
      `${committed.length} commits, ${levels} level events`,
  );

  console.log(
    `memory samples (audio h: RSS MB / ArrayBuffers MB): ${memory.map((sample) => `${sample.hours.toFixed(2)}: ${sample.rssMb.toFixed(0)}/${sample.arrayBuffersMb.toFixed(1)}`).join(', ')}`,
  );

  // The recording: one WAV holding exactly the frames delivered, with a header that says so.
  expect(source()?.framesDelivered).toBe(TOTAL_FRAMES);
  expect(summary.value.paths).toHaveLength(1);
  const file = summary.value.paths[0] as string;
  expect(summary.value.seconds).toBe(TOTAL_FRAMES / RATE);
  const header = await readHeader(file);
  expect(header).toEqual({ riffBytes: header.fileBytes - 8, dataBytes: TOTAL_FRAMES * 2, fileBytes: 44 + TOTAL_FRAMES * 2 });
  expect(await tempFilesIn(path.join(dir, 'recordings'))).toEqual([]);

  // Memory: the ring and the writer's buffer are allocated once; nothing per second of audio stays.
  expect(Math.abs(rssSlope)).toBeLessThan(5);
  expect(rssGrowth).toBeLessThan(50);
  expect(arrayBuffersFloorGrowth).toBeLessThan(2);
  expect(arrayBuffersPeak).toBeLessThan(64);
  expect(memory.at(-1)?.arrayBuffersMb ?? Infinity).toBeLessThan((memory[0]?.arrayBuffersMb ?? 0) + 2);

  // Events: no gap (the doubles keep up), no error, commits all the way through, in order.
  expect(other.filter((event) => event.type === 'gap' || event.type === 'error')).toEqual([]);
  expect(other.filter((event) => event.type === 'saved')).toHaveLength(1);
  expect(levels).toBe(TOTAL_FRAMES / (RATE / 10));
  const outOfOrder = committed.filter(
    (segment, index) =>
      segment.id !== index || segment.end <= segment.start || (index > 0 && segment.start < (committed[index - 1] as Committed).end - 1e-3),
  );
  expect(outOfOrder).toEqual([]);
  // Every utterance committed, every word once, each segment inside its utterance's speech.
  const words = committed.flatMap((segment) => segment.text.split(' '));
  expect(words).toEqual(Array.from({ length: UTTERANCES * schedule.words }, (_, index) => `w${index % schedule.words}`));
  const period = schedule.periodFrames / RATE;
  const outsideSpeech = committed.filter((segment) => {
    const intoPeriod = ((segment.start + 0.05) % period) - 0.05;
    return intoPeriod < -0.05 || segment.end - (segment.start - intoPeriod) > schedule.speechFrames / RATE + 0.05;
  });
  expect(outsideSpeech).toEqual([]);
  // Live, not at the end: each commit arrives within one period of audio after its speech ended.
  const lags = committed.map((segment, index) => (committedAtHour[index] as number) * 3600 - segment.end);
  const perHour = Array.from({ length: Math.ceil(HOURS) }, (_, hour) => committedAtHour.filter((at) => at >= hour && at < hour + 1).length);
  console.log(
    `commits per audio hour: ${perHour.join(', ')}; last commit ends at ${(committed.at(-1)?.end ?? 0).toFixed(1)} s of ${TOTAL_FRAMES / RATE} s; ` +
      `commit lag behind the audio: max ${Math.max(...lags).toFixed(2)} s; recognizer: ${recognizer.calls} calls, ${(recognizer.heardSeconds / 3600).toFixed(2)} h heard`,
  );
  expect(Math.min(...perHour)).toBeGreaterThan(0);
  expect(committed.at(-1)?.end ?? 0).toBeGreaterThan(TOTAL_FRAMES / RATE - period);
  expect(Math.min(...lags)).toBeGreaterThanOrEqual(0);
  expect(Math.max(...lags)).toBeLessThan(period);

  // ffprobe (through the engine's decoder) reads it as 8 h of 16-bit PCM, nothing missing.
  const probed = await realDecoder().probe(file);
  if (!probed.ok) throw new Error(probed.error.message);
  expect(probed.value).toMatchObject({
    codec: 'pcm_s16le',
    sampleRate: RATE,
    channels: 1,
    truncated: false,
    durationSeconds: TOTAL_FRAMES / RATE,
  });
  // Every sample on disk is the one captured at that position, exactly as 16-bit encoding stores it.
  const compared = await firstMismatch(file, header.dataBytes, schedule.generator(TOTAL_FRAMES));
  console.log(
    `compared ${compared.frames} frames with the signal in ${(compared.ms / 1000).toFixed(1)} s; first mismatch: ${compared.mismatchAt}`,
  );
  expect(compared.frames).toBe(TOTAL_FRAMES);
  expect(compared.mismatchAt).toBe(-1);
}, 300_000);
