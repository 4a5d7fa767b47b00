import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POWERSET_CLASSES, powersetToMultilabel } from '../../src-main/diarization/powerset';
import { loadOnnxSegmenter, type SpeakerSegmenter } from '../../src-main/diarization/segmentation-model';
import {
  DEFAULT_WINDOW_SAMPLES,
  FRAMES_PER_WINDOW,
  FRAME_DURATION_SAMPLES,
  FRAME_STEP_SAMPLES,
  planWindows,
  windowSamples,
} from '../../src-main/diarization/segmentation-windows';
import { expectLoaderErrors } from './loader-errors';
import { TINY_EMBEDDING_MODEL, TINY_SEGMENTATION_MODEL } from '../support/paths';
import { EspeakSpeech, HIGH_VOICES, LOW_VOICES, SENTENCES, converse, type Utterance } from './espeak-speech';

let segmenter: SpeakerSegmenter;
let speech: EspeakSpeech;
let scratch: string;

beforeAll(async () => {
  const loaded = await loadOnnxSegmenter({ modelPath: TINY_SEGMENTATION_MODEL, execution: 'cpu', threads: 1 });
  if (!loaded.ok) throw new Error(loaded.error.message);
  expect(loaded.value.execution).toEqual({ requested: 'cpu', active: 'cpu', fallbackReason: null });
  segmenter = loaded.value.segmenter;
  speech = await EspeakSpeech.create();
  scratch = await mkdtemp(path.join(tmpdir(), 'verbatim-segmenter-'));
});

afterAll(async () => {
  await segmenter.dispose();
  await speech.cleanup();
  await rm(scratch, { recursive: true, force: true });
});

function argmaxClasses(logProbs: Float32Array): number[] {
  return Array.from({ length: logProbs.length / POWERSET_CLASSES }, (_, frame) => {
    const row = Array.from(logProbs.subarray(frame * POWERSET_CLASSES, (frame + 1) * POWERSET_CLASSES));
    return row.indexOf(Math.max(...row));
  });
}

/** A deterministic hiss at about −60 dBFS. */
function quietNoise(samples: number): Float32Array {
  let state = 12345;
  return Float32Array.from({ length: samples }, () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return (state / 2 ** 31 - 0.5) * 0.003;
  });
}

describe('loadOnnxSegmenter with the generated segmentation model', () => {
  it('returns frames × 7 log-probabilities per window, from one batch, that exponentiate to distributions', async () => {
    const voice = await speech.say(LOW_VOICES[0], SENTENCES[0]);
    const windows = [windowSamples(voice, 0), new Float32Array(DEFAULT_WINDOW_SAMPLES)];
    const [spoken, silent] = await segmenter.segment(windows);
    expect(FRAMES_PER_WINDOW).toBe(589);
    for (const output of [spoken!, silent!]) {
      expect(output).toHaveLength(FRAMES_PER_WINDOW * POWERSET_CLASSES);
      for (let frame = 0; frame < FRAMES_PER_WINDOW; frame += 1) {
        const row = output.subarray(frame * POWERSET_CLASSES, (frame + 1) * POWERSET_CLASSES);
        expect(row.every((value) => Number.isFinite(value) && value <= 0)).toBe(true);
        expect(row.reduce((sum, value) => sum + Math.exp(value), 0)).toBeCloseTo(1, 5);
      }
    }
    // Batching does not mix windows: each window alone gives the same frames.
    const [alone] = await segmenter.segment([windows[0]!]);
    expect(Array.from(alone!).every((value, index) => Math.abs(value - spoken![index]!) < 1e-4)).toBe(true);
  });

  it('labels digital silence and a faint hiss as no speaker, with soft probabilities', async () => {
    const outputs = await segmenter.segment([new Float32Array(DEFAULT_WINDOW_SAMPLES), quietNoise(DEFAULT_WINDOW_SAMPLES)]);
    for (const output of outputs) {
      expect(new Set(argmaxClasses(output))).toEqual(new Set([0]));
      // Not a hard 0/1 decision: the stand-in keeps every class reachable.
      for (let frame = 0; frame < FRAMES_PER_WINDOW; frame += 1) expect(Math.exp(output[frame * POWERSET_CLASSES]!)).toBeLessThan(0.99);
    }
  });

  it.each([
    [LOW_VOICES[0], HIGH_VOICES[0]],
    [LOW_VOICES[1], HIGH_VOICES[1]],
  ])('tells the low voice (%s, local speaker 0) from the high voice (%s, local speaker 1)', async (low, high) => {
    const parts = await Promise.all(
      SENTENCES.map(async (text, index) => {
        const voice = index % 2 === 0 ? low : high;
        return { voice, samples: await speech.say(voice, text) };
      }),
    );
    const { audio, utterances } = converse(parts, 0.6);
    const starts = planWindows(audio.length, { stepSamples: DEFAULT_WINDOW_SAMPLES });
    const outputs = await segmenter.segment(starts.map((start) => windowSamples(audio, start)));
    const counts = { inside: 0, speech: 0, correct: 0, gap: 0, gapSilent: 0 };
    starts.forEach((windowStart, windowIndex) => {
      const activity = powersetToMultilabel(outputs[windowIndex]!, FRAMES_PER_WINDOW);
      for (let frame = 0; frame < FRAMES_PER_WINDOW; frame += 1) {
        const first = windowStart + frame * FRAME_STEP_SAMPLES;
        const end = first + FRAME_DURATION_SAMPLES;
        if (end > audio.length) continue;
        const speakers = [0, 1, 2].filter((speaker) => activity[frame * 3 + speaker] === 1);
        const within = utterances.find((utterance: Utterance) => first >= utterance.start && end <= utterance.end);
        if (within !== undefined) {
          counts.inside += 1;
          if (speakers.length === 0) continue;
          counts.speech += 1;
          const expected = within.voice === low ? 0 : 1;
          if (speakers.length === 1 && speakers[0] === expected) counts.correct += 1;
        } else if (!utterances.some((utterance) => end > utterance.start && first < utterance.end)) {
          counts.gap += 1;
          if (speakers.length === 0) counts.gapSilent += 1;
        }
      }
    });
    // Measured: 97.7 % (m1/f3) and 98.7 % (m3/f4) of speech frames right; 80 % of the frames inside utterances
    // are speech (the rest are the pauses and unvoiced sounds espeak leaves in); no speech in the gaps.
    expect(counts.speech / counts.inside).toBeGreaterThan(0.6);
    expect(counts.correct / counts.speech).toBeGreaterThanOrEqual(0.9);
    expect(counts.gap).toBeGreaterThan(100);
    expect(counts.gapSilent / counts.gap).toBeGreaterThan(0.95);
  });

  it('rejects windows that are not 10 s long', async () => {
    await expect(segmenter.segment([new Float32Array(DEFAULT_WINDOW_SAMPLES - 1)])).rejects.toThrow(RangeError);
    await expect(segmenter.segment([])).resolves.toEqual([]);
  });
});

describe('loadOnnxSegmenter errors', () => {
  it('reports a missing file as DIARIZATION_MODEL_NOT_FOUND, another model and a non-ONNX file as DIARIZATION_MODEL_INVALID, naming the file', async () => {
    await expectLoaderErrors((modelPath) => loadOnnxSegmenter({ modelPath, execution: 'cpu' }), scratch, TINY_EMBEDDING_MODEL);
  });

  it('throws when used after dispose', async () => {
    const loaded = await loadOnnxSegmenter({ modelPath: TINY_SEGMENTATION_MODEL, execution: 'cpu' });
    if (!loaded.ok) throw new Error(loaded.error.message);
    const { segmenter: disposable } = loaded.value;
    const running = disposable.segment([new Float32Array(DEFAULT_WINDOW_SAMPLES)]);
    await disposable.dispose();
    // The run in flight finishes before the session is released.
    await expect(running).resolves.toHaveLength(1);
    await expect(disposable.segment([new Float32Array(DEFAULT_WINDOW_SAMPLES)])).rejects.toThrow(/after dispose/);
    await disposable.dispose();
  });
});
