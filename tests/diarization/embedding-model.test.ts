import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMBEDDING_MIN_SAMPLES, loadOnnxEmbedder, type SpeakerEmbedder } from '../../src-main/diarization/embedding-model';
import { expectLoaderErrors } from './loader-errors';
import { TINY_EMBEDDING_MODEL, TINY_SEGMENTATION_MODEL } from '../support/paths';
import { EspeakSpeech, HIGH_VOICES, LOW_VOICES, SENTENCES } from './espeak-speech';

let embedder: SpeakerEmbedder;
let speech: EspeakSpeech;
let scratch: string;

beforeAll(async () => {
  const loaded = await loadOnnxEmbedder({ modelPath: TINY_EMBEDDING_MODEL, execution: 'cpu', threads: 1 });
  if (!loaded.ok) throw new Error(loaded.error.message);
  expect(loaded.value.execution).toEqual({ requested: 'cpu', active: 'cpu', fallbackReason: null });
  embedder = loaded.value.embedder;
  speech = await EspeakSpeech.create();
  scratch = await mkdtemp(path.join(tmpdir(), 'verbatim-embedder-'));
});

afterAll(async () => {
  await embedder.dispose();
  await speech.cleanup();
  await rm(scratch, { recursive: true, force: true });
});

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i += 1) {
    dot += a[i]! * b[i]!;
    normA += a[i]! ** 2;
    normB += b[i]! ** 2;
  }
  return dot / Math.sqrt(normA * normB);
}

describe('loadOnnxEmbedder with the generated embedding model', () => {
  it('gives one 256-value embedding per clip, in order, whatever the clip lengths', async () => {
    expect(embedder.dimension).toBe(256);
    const long = await speech.say(LOW_VOICES[0], SENTENCES[0]);
    const short = long.slice(8000, 8000 + 16_000);
    const together = await embedder.embed([long, short, long, long.slice(0, EMBEDDING_MIN_SAMPLES)]);
    expect(together).toHaveLength(4);
    for (const embedding of together) {
      expect(embedding).toHaveLength(256);
      expect(embedding.every(Number.isFinite)).toBe(true);
    }
    // Grouping by length and batching does not change or reorder anything.
    const [alone] = await embedder.embed([short]);
    expect(Array.from(together[1]!).every((value, index) => Math.abs(value - alone![index]!) < 1e-5)).toBe(true);
    expect(Array.from(together[2]!).every((value, index) => Math.abs(value - together[0]![index]!) < 1e-6)).toBe(true);
    expect(cosine(together[0]!, together[1]!)).toBeLessThan(0.9999);
  });

  it('puts two sentences of one voice closer together than the same sentences in different voices', async () => {
    const voices = [...LOW_VOICES, ...HIGH_VOICES];
    const clips = await Promise.all(voices.flatMap((voice) => [SENTENCES[0], SENTENCES[1]].map((text) => speech.say(voice, text))));
    const embeddings = await embedder.embed(clips);
    const of = (voice: number, sentence: number): Float32Array => embeddings[voice * 2 + sentence]!;
    const sameVoice = voices.map((_, voice) => cosine(of(voice, 0), of(voice, 1)));
    const otherVoice: number[] = [];
    const lowVersusHigh: number[] = [];
    const isLow = (voice: number): boolean => voice < LOW_VOICES.length;
    for (let a = 0; a < voices.length; a += 1) {
      for (let b = a + 1; b < voices.length; b += 1) {
        // Different texts too, so that only the voice can make two clips alike.
        const pair = [cosine(of(a, 0), of(b, 1)), cosine(of(a, 1), of(b, 0))];
        otherVoice.push(...pair);
        if (isLow(a) !== isLow(b)) lowVersusHigh.push(...pair);
      }
    }
    // Measured: same voice 0.92–0.97; a low voice against a high one −0.03–0.16; m1 against m3 and f3 against f4
    // (same pitch range, different timbre) 0.66–0.81.
    expect(Math.min(...sameVoice)).toBeGreaterThan(Math.max(...otherVoice) + 0.05);
    expect(Math.min(...sameVoice) - Math.max(...lowVersusHigh)).toBeGreaterThan(0.5);
  });

  it('rejects clips shorter than one fbank frame', async () => {
    await expect(embedder.embed([new Float32Array(EMBEDDING_MIN_SAMPLES - 1)])).rejects.toThrow(RangeError);
    await expect(embedder.embed([])).resolves.toEqual([]);
  });
});

/** The same model with its one input and one output renamed, as other exports name them. */
function renamedCopy(target: string): void {
  const script = [
    'import sys, onnx',
    'model = onnx.load(sys.argv[1])',
    'old_in, old_out = model.graph.input[0].name, model.graph.output[0].name',
    'for node in model.graph.node:',
    "    node.input[:] = ['x' if name == old_in else name for name in node.input]",
    "    node.output[:] = ['embedding' if name == old_out else name for name in node.output]",
    "model.graph.input[0].name, model.graph.output[0].name = 'x', 'embedding'",
    'onnx.save(model, sys.argv[2])',
  ].join('\n');
  execFileSync(process.env.VERBATIM_PYTHON ?? 'python3', ['-c', script, TINY_EMBEDDING_MODEL, target]);
}

describe('loadOnnxEmbedder with other tensor names', () => {
  it('uses the one input and output of an export that names them differently, with the same results', async () => {
    const renamed = path.join(scratch, 'renamed.onnx');
    renamedCopy(renamed);
    const loaded = await loadOnnxEmbedder({ modelPath: renamed, execution: 'cpu', threads: 1 });
    if (!loaded.ok) throw new Error(loaded.error.message);
    const clip = Float32Array.from({ length: 16_000 }, (_, i) => 0.2 * Math.sin(i / 7) + 0.1 * Math.sin(i / 31));
    const [fromRenamed] = await loaded.value.embedder.embed([clip]);
    const [fromOriginal] = await embedder.embed([clip]);
    expect(fromRenamed).toEqual(fromOriginal);
    await loaded.value.embedder.dispose();
  });
});

describe('loadOnnxEmbedder errors', () => {
  it('reports a missing file as DIARIZATION_MODEL_NOT_FOUND, another model and a non-ONNX file as DIARIZATION_MODEL_INVALID, naming the file', async () => {
    await expectLoaderErrors((modelPath) => loadOnnxEmbedder({ modelPath, execution: 'cpu' }), scratch, TINY_SEGMENTATION_MODEL);
  });

  it('throws when used after dispose', async () => {
    const loaded = await loadOnnxEmbedder({ modelPath: TINY_EMBEDDING_MODEL, execution: 'cpu' });
    if (!loaded.ok) throw new Error(loaded.error.message);
    const { embedder: disposable } = loaded.value;
    const clip = new Float32Array(16_000).map((_, i) => Math.sin(i / 10) * 0.1);
    const running = disposable.embed([clip]);
    await disposable.dispose();
    await expect(running).resolves.toHaveLength(1);
    await expect(disposable.embed([clip])).rejects.toThrow(/after dispose/);
  });
});
