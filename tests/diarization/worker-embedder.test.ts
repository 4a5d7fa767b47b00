/**
 * The speaker-embedding model in a worker thread (what the app and the CLI load): the same vectors as on the
 * calling thread, the same diarization (its embeddings overlap the next batch's segmentation), coded load errors,
 * and a dispose that waits for the requests in flight.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diarizeSamples, type DiarizationModels } from '../../src-main/diarization/diarize-audio';
import { loadOnnxEmbedder, type SpeakerEmbedder } from '../../src-main/diarization/embedding-model';
import type { FbankOptions } from '../../src-main/diarization/fbank';
import { loadWorkerEmbedder } from '../../src-main/diarization/embedding-worker/worker-embedder';
import { loadOnnxSegmenter, type SpeakerSegmenter } from '../../src-main/diarization/segmentation-model';
import { SileroLaneVad } from '../../src-main/diarization/silero-lanes';
import { TINY_EMBEDDING_MODEL, TINY_SEGMENTATION_MODEL } from '../support/paths';
import { converse, EspeakSpeech, HIGH_VOICES, LOW_VOICES, SENTENCES } from './espeak-speech';
import { expectLoaderErrors } from './loader-errors';

/** CAM++'s front end (Kaldi fbank, povey window), as the catalog gives it. */
const CAMPPLUS_FBANK: FbankOptions = { window: 'povey', inputScale: 1 };

let inThread: SpeakerEmbedder;
let inWorker: SpeakerEmbedder;
let segmenter: SpeakerSegmenter;
let speech: EspeakSpeech;
let scratch: string;

beforeAll(async () => {
  const local = await loadOnnxEmbedder({ modelPath: TINY_EMBEDDING_MODEL, execution: 'cpu', threads: 1, frontEnd: CAMPPLUS_FBANK });
  const worker = await loadWorkerEmbedder({ modelPath: TINY_EMBEDDING_MODEL, execution: 'cpu', threads: 1, frontEnd: CAMPPLUS_FBANK });
  const segmentation = await loadOnnxSegmenter({ modelPath: TINY_SEGMENTATION_MODEL, execution: 'cpu', threads: 1 });
  if (!local.ok || !worker.ok || !segmentation.ok) throw new Error('generated diarization models did not load');
  expect(worker.value.inWorker).toBe(true);
  expect(worker.value.execution).toEqual({ requested: 'cpu', active: 'cpu', fallbackReason: null });
  inThread = local.value.embedder;
  inWorker = worker.value.embedder;
  segmenter = segmentation.value.segmenter;
  speech = await EspeakSpeech.create();
  scratch = await mkdtemp(path.join(tmpdir(), 'verbatim-worker-embedder-'));
}, 120_000);

afterAll(async () => {
  await Promise.all([inThread?.dispose(), inWorker?.dispose(), segmenter?.dispose(), speech?.cleanup()]);
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe('loadWorkerEmbedder', () => {
  it('gives the vectors the model gives on the calling thread, in order, and leaves the caller its features', async () => {
    expect(inWorker.dimension).toBe(inThread.dimension);
    expect(inWorker.frontEnd).toEqual(CAMPPLUS_FBANK);
    const clips = [await speech.say(LOW_VOICES[0], SENTENCES[0]), await speech.say(HIGH_VOICES[0], SENTENCES[1])];
    clips.push(clips[0]!.slice(0, 16_000));
    const expected = await inThread.embed(clips);
    expect(await inWorker.embed(clips)).toEqual(expected);
    const features = clips.map((clip) => new Float32Array(clip.length >= 32_000 ? 300 * 80 : 98 * 80).map((_, k) => Math.sin(k / 7)));
    const copies = features.map((item) => item.slice());
    expect(await inWorker.embedFeatures(features)).toEqual(await inThread.embedFeatures(features));
    expect(features).toEqual(copies);
    expect(await inWorker.embedFeatures([])).toEqual([]);
    await expect(inWorker.embed([new Float32Array(399)])).rejects.toThrow(RangeError);
  });

  it('diarizes exactly as with the model on the calling thread (embeddings overlap the next segmentation)', async () => {
    const parts = [];
    for (let turn = 0; turn < 8; turn += 1) {
      const voice = turn % 2 === 0 ? 'm3' : 'f4';
      parts.push({ voice, samples: await speech.say(voice, SENTENCES[turn % SENTENCES.length]!) });
    }
    const { audio } = converse(parts, 0.8);
    const vad = await SileroLaneVad.load();
    if (!vad.ok) throw new Error(vad.error.message);
    try {
      const local: DiarizationModels = { segmenter, embedder: inThread, vad: vad.value };
      const remote: DiarizationModels = { segmenter, embedder: inWorker, vad: vad.value };
      const expected = await diarizeSamples(audio, local, { batchWindows: 1 });
      expect(expected.ok && expected.value.embeddingCount).toBeGreaterThan(4);
      expect(await diarizeSamples(audio, remote, { batchWindows: 1 })).toEqual(expected);
      expect(await diarizeSamples(audio, remote, { batchWindows: 3 })).toEqual(expected);
    } finally {
      await vad.value.dispose();
    }
  }, 120_000);

  it('says what is wrong with a model file, as the in-thread loader does', async () => {
    await expectLoaderErrors(
      (modelPath) => loadWorkerEmbedder({ modelPath, execution: 'cpu', threads: 1 }),
      scratch,
      TINY_SEGMENTATION_MODEL,
    );
  }, 60_000);

  it('waits for the requests in flight when disposed, then refuses new ones', async () => {
    const loaded = await loadWorkerEmbedder({ modelPath: TINY_EMBEDDING_MODEL, execution: 'cpu', threads: 1 });
    if (!loaded.ok) throw new Error(loaded.error.message);
    const embedder = loaded.value.embedder;
    const clip = await speech.say(LOW_VOICES[1], SENTENCES[2]);
    const inFlight = embedder.embed([clip, clip, clip]);
    await embedder.dispose();
    expect(await inFlight).toHaveLength(3);
    await expect(embedder.embed([clip])).rejects.toThrow(/after dispose/);
    await expect(embedder.embedFeatures([new Float32Array(80 * 50)])).rejects.toThrow(/after dispose/);
    await embedder.dispose();
  }, 60_000);
});
