/**
 * The whole diarization pipeline on real synthetic speech: espeak-ng voices taking turns, the generated
 * segmentation and embedding models on onnxruntime-node, streaming windows, clustering, reconstruction,
 * scored with our DER against the known turns.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diarizeSamples, type DiarizationModels } from '../../src-main/diarization/diarize-audio';
import { scoreDiarization } from '../../src-main/diarization/der';
import { loadOnnxEmbedder } from '../../src-main/diarization/embedding-model';
import { loadOnnxSegmenter } from '../../src-main/diarization/segmentation-model';
import { SileroLaneVad } from '../../src-main/diarization/silero-lanes';
import type { SpeakerTurn } from '../../src-main/diarization/types';
import { TINY_EMBEDDING_MODEL, TINY_SEGMENTATION_MODEL } from '../support/paths';
import { converse, EspeakSpeech, SENTENCES } from './espeak-speech';

const SR = 16_000;
let models: DiarizationModels;
let speech: EspeakSpeech;
let conversation: { audio: Float32Array; reference: SpeakerTurn[] };

beforeAll(async () => {
  const segmentation = await loadOnnxSegmenter({ modelPath: TINY_SEGMENTATION_MODEL, execution: 'cpu', threads: 1 });
  const embedding = await loadOnnxEmbedder({ modelPath: TINY_EMBEDDING_MODEL, execution: 'cpu', threads: 1 });
  if (!segmentation.ok || !embedding.ok) throw new Error('generated diarization models did not load');
  models = { segmenter: segmentation.value.segmenter, embedder: embedding.value.embedder };
  speech = await EspeakSpeech.create();
  // Two people alternate for 10 turns (~40 s): long enough for many overlapping 10 s windows.
  const parts = [];
  for (let turn = 0; turn < 10; turn += 1) {
    const voice = turn % 2 === 0 ? 'm3' : 'f4';
    parts.push({ voice, samples: await speech.say(voice, SENTENCES[turn % SENTENCES.length]!) });
  }
  const { audio, utterances } = converse(parts, 0.8);
  conversation = { audio, reference: utterances.map((u) => ({ start: u.start / SR, end: u.end / SR, speaker: u.voice })) };
}, 120_000);

afterAll(async () => {
  await Promise.all([models?.segmenter.dispose(), models?.embedder.dispose(), speech?.cleanup()]);
});

describe('diarizeSamples with the generated models', () => {
  it('finds the two voices, says who spoke when, and scores a low DER', async () => {
    const progress: number[] = [];
    const result = await diarizeSamples(conversation.audio, models, { onProgress: (seconds) => progress.push(seconds) });
    if (!result.ok) throw new Error(result.error.message);
    const { turns, speakerCount, windowCount, durationSeconds } = result.value;
    const score = scoreDiarization(conversation.reference, turns);
    if (!score.ok) throw new Error(score.error.message);
    console.log(
      `diarize ${durationSeconds.toFixed(1)} s: ${speakerCount} speakers, ${turns.length} turns, ${windowCount} windows, ` +
        `DER ${(100 * score.value.der).toFixed(1)} % (missed ${score.value.missed.toFixed(2)} s, false alarm ${score.value.falseAlarm.toFixed(2)} s, confusion ${score.value.confusion.toFixed(2)} s of ${score.value.scoredSpeech.toFixed(1)} s)`,
    );
    expect(speakerCount).toBe(2);
    expect(durationSeconds).toBeCloseTo(conversation.audio.length / SR, 3);
    expect(score.value.der).toBeLessThan(0.3);
    // Confusion is the part clustering owns: the voices must not be mixed up.
    expect(score.value.confusion / score.value.scoredSpeech).toBeLessThan(0.05);
    expect(progress.at(-1)).toBeCloseTo(durationSeconds, 3);
    for (let i = 1; i < progress.length; i += 1) expect(progress[i]!).toBeGreaterThanOrEqual(progress[i - 1]!);
  }, 120_000);

  it('honours a fixed number of speakers', async () => {
    const three = await diarizeSamples(conversation.audio, models, { speakers: { exact: 3 } });
    const one = await diarizeSamples(conversation.audio, models, { speakers: { exact: 1 } });
    if (!three.ok || !one.ok) throw new Error('diarization failed');
    expect(one.value.speakerCount).toBe(1);
    expect(three.value.speakerCount).toBeLessThanOrEqual(3);
    expect(three.value.speakerCount).toBeGreaterThanOrEqual(2);
    // Impossible bounds come back as a coded error, not an exception.
    const impossible = await diarizeSamples(conversation.audio, models, { speakers: { min: 4, max: 2 } });
    expect(impossible).toMatchObject({ ok: false, error: { code: 'DIARIZATION_FAILED' } });
  }, 120_000);

  it('stops promptly when cancelled and handles silence and tiny inputs', async () => {
    const controller = new AbortController();
    controller.abort();
    const cancelled = await diarizeSamples(conversation.audio, models, { signal: controller.signal });
    expect(cancelled).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });

    const silence = await diarizeSamples(new Float32Array(20 * SR), models);
    expect(silence).toMatchObject({ ok: true, value: { turns: [], speakerCount: 0 } });
    const empty = await diarizeSamples(new Float32Array(0), models);
    expect(empty).toMatchObject({ ok: true, value: { turns: [], windowCount: 0 } });
    const short = await diarizeSamples(conversation.audio.subarray(0, 3 * SR), models);
    expect(short.ok && short.value.windowCount).toBe(1);
  }, 120_000);

  it('reports a model failing mid-stream as a coded value', async () => {
    let calls = 0;
    const failing: DiarizationModels = {
      segmenter: models.segmenter,
      embedder: {
        dimension: models.embedder.dimension,
        frontEnd: models.embedder.frontEnd,
        embed: (clips) => models.embedder.embed(clips),
        embedFeatures: (features) => {
          calls += 1;
          return calls === 2 ? Promise.reject(new Error('embedding exploded')) : models.embedder.embedFeatures(features);
        },
        dispose: () => Promise.resolve(),
      },
    };
    const failed = await diarizeSamples(conversation.audio, failing, { batchWindows: 2 });
    expect(failed).toMatchObject({ ok: false, error: { code: 'DIARIZATION_FAILED' } });
    expect(!failed.ok && failed.error.message).toContain('embedding exploded');
    // Batch size changes nothing but how often the models are called, Silero's lanes included.
    const vad = await SileroLaneVad.load();
    if (!vad.ok) throw new Error(vad.error.message);
    try {
      const withVad: DiarizationModels = { ...models, vad: vad.value };
      const one = await diarizeSamples(conversation.audio, withVad, { batchWindows: 1 });
      expect(one.ok && one.value.turns.length).toBeGreaterThan(0);
      expect(await diarizeSamples(conversation.audio, withVad, { batchWindows: 3 })).toEqual(one);
    } finally {
      await vad.value.dispose();
    }
  }, 120_000);
});
