import { readdirSync } from 'node:fs';
import { fail, ok, type Result } from '../../src-shared/result';
import type { AsrErrorCode, SpeechRecognizer, WindowTranscription } from '../../src-main/asr/types';
import type { AudioSource, CaptureBackend, CaptureDevice, CaptureFormat } from '../../src-main/record/capture-types';
import { SyntheticSource, type SignalGenerator, type SyntheticSourceOptions } from '../../src-main/record/capture/synthetic-source';
import type { LiveModels } from '../../src-main/record/recorder';
import { EnergyVad } from './energy-vad';
import { toneSpeech, ToneWordRecognizer } from './tone-words';

/**
 * A meeting-like 16 kHz mono signal: every period, `words` tone words (see tone-words.ts) and then
 * silence. Utterance k is scaled by its own amplitude, so a frame that lands a whole period off
 * still shows when the file is compared with the signal.
 */
export interface UtteranceSchedule {
  rate: number;
  periodFrames: number;
  /** Frames of tone words at the start of each period (the rest is silence). */
  speechFrames: number;
  words: number;
  /** The signal as a SyntheticSource generator: plays `totalFrames`, then ends. */
  generator(totalFrames: number): SignalGenerator;
}

export function utteranceSchedule(periodSeconds: number, words: number, rate = 16_000): UtteranceSchedule {
  const speech = toneSpeech(words);
  const periodFrames = Math.round(periodSeconds * rate);
  if (speech.length >= periodFrames) throw new RangeError('the words do not fit the period');
  const template = new Float32Array(periodFrames);
  template.set(speech);
  const amplitude = (utterance: number): number => 0.4 + 0.5 * (((utterance * 7919) % 97) / 97);
  return {
    rate,
    periodFrames,
    speechFrames: speech.length,
    words,
    generator: (totalFrames) => (startFrame, into) => {
      const count = Math.min(into.length, totalFrames - startFrame);
      let utterance = Math.floor(startFrame / periodFrames);
      let offset = startFrame - utterance * periodFrames;
      let gain = amplitude(utterance);
      for (let i = 0; i < count; i += 1) {
        into[i] = (template[offset] as number) * gain;
        offset += 1;
        if (offset === periodFrames) {
          offset = 0;
          utterance += 1;
          gain = amplitude(utterance);
        }
      }
      return Math.max(0, count);
    },
  };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The tone-word recognizer, but every call first waits `stallMs` (a CPU that cannot keep up). */
export class StalledRecognizer extends ToneWordRecognizer {
  calls = 0;

  constructor(private readonly stallMs: () => number) {
    super((frequencyIndex) => `w${frequencyIndex}`);
  }

  override async transcribeWindow(audio: Float32Array): Promise<Result<WindowTranscription, AsrErrorCode>> {
    this.calls += 1;
    await sleep(this.stallMs());
    return super.transcribeWindow(audio);
  }
}

/** Live models made of the tone-word recognizer and the energy VAD; counts releases. */
export function doubleLiveModels(recognizer: SpeechRecognizer = new ToneWordRecognizer((k) => `w${k}`)): LiveModels & { releases: number } {
  const models = {
    recognizer,
    vad: new EnergyVad(),
    releases: 0,
    release: async (): Promise<void> => {
      models.releases += 1;
    },
  };
  return models;
}

/**
 * A capture backend whose next `open` plays what the test queued (a SyntheticSource), so a test can
 * script each recording: its signal, speed, a fault. Opening with nothing queued fails like a missing device.
 */
export class ScriptedCapture implements CaptureBackend {
  readonly opened: SyntheticSource[] = [];
  private readonly queue: SyntheticSourceOptions[] = [];

  next(options: SyntheticSourceOptions): void {
    this.queue.push(options);
  }

  async listDevices(): Promise<Result<CaptureDevice[]>> {
    return ok([
      { id: 'synthetic', name: 'Synthetic source', kind: 'input', maxInputChannels: 1, defaultSampleRate: 16_000, isDefault: true },
    ]);
  }

  async open(): Promise<Result<AudioSource>> {
    const options = this.queue.shift();
    if (!options) return fail('CAPTURE_DEVICE_NOT_FOUND', 'no synthetic source queued');
    const source = new SyntheticSource(options);
    this.opened.push(source);
    return ok(source);
  }
}

/** Counter frames: interleaved sample j = ((j mod 65535) − 32767) / 32767, exact in 16-bit (see wav-test-helpers). */
export function counterGenerator(channels: number, totalFrames = Number.POSITIVE_INFINITY): SignalGenerator {
  return (startFrame, into) => {
    const frames = Math.max(0, Math.min(into.length / channels, totalFrames - startFrame));
    const first = startFrame * channels;
    for (let i = 0; i < frames * channels; i += 1) into[i] = (((first + i) % 65535) - 32767) / 32767;
    return frames;
  };
}

export const MONO_16K: CaptureFormat = { sampleRate: 16_000, channels: 1 };

export interface SettledMemory {
  rssMb: number;
  /** Typed-array memory (the ring, the writer's buffer, audio in flight). */
  arrayBuffersMb: number;
  heapUsedMb: number;
}

/** Memory after a full GC (vitest runs with --expose-gc). */
export function settledMemory(): SettledMemory {
  (globalThis as { gc?: () => void }).gc?.();
  const usage = process.memoryUsage();
  return { rssMb: usage.rss / 2 ** 20, arrayBuffersMb: usage.arrayBuffers / 2 ** 20, heapUsedMb: usage.heapUsed / 2 ** 20 };
}

export function openFdCount(): number {
  return readdirSync('/proc/self/fd').length;
}

/** Active libuv resources by kind (timers, handles, requests), e.g. { Timeout: 2, FSReqCallback: 1 }. */
export function activeResources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}

/** Listeners the process object holds, per event. */
export function processListenerCounts(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const name of process.eventNames()) counts[String(name)] = process.listenerCount(name);
  return counts;
}

/** Least-squares slope of y over x. */
export function leastSquaresSlope(points: readonly (readonly [number, number])[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const meanX = points.reduce((sum, [x]) => sum + x, 0) / n;
  const meanY = points.reduce((sum, [, y]) => sum + y, 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - meanX) * (y - meanY);
    den += (x - meanX) ** 2;
  }
  return den === 0 ? 0 : num / den;
}
