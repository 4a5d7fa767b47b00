import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryAudioDecoder } from '../../src-main/audio/memory-decoder';
import { sileroModelPath } from '../../src-main/vad/silero-model';
import { SileroVad, VAD_FRAME_SAMPLES } from '../../src-main/vad/silero-vad';
import { detectSpeech, StreamingVad } from '../../src-main/vad/streaming-vad';
import type { SpeechRegion } from '../../src-main/vad/speech-segmenter';
import { planNextWindow } from '../../src-main/pipeline/window-planner';
import { audioFile, decodeAll, realDecoder } from '../audio/helpers';

const SR = 16000;
const inside = (regions: SpeechRegion[], seconds: number): boolean =>
  regions.some((r) => r.startSample <= seconds * SR && seconds * SR < r.endSample);

describe('Silero VAD (real model, onnxruntime-node)', () => {
  let vad: SileroVad;
  let jfk: Float32Array = new Float32Array(0);

  beforeAll(async () => {
    const loaded = await SileroVad.load();
    if (!loaded.ok) throw new Error(loaded.error.message);
    vad = loaded.value;
    jfk = await decodeAll(realDecoder(), audioFile('jfk.wav'));
  }, 30_000);
  afterAll(() => vad.dispose());

  it('loads the model shipped in node_modules', () => {
    expect(sileroModelPath()).toMatch(/node_modules[\\/]@jjhbw[\\/]silero-vad[\\/]weights[\\/]silero_vad\.onnx$/);
    expect(existsSync(sileroModelPath())).toBe(true);
  });

  it('finds the speech of jfk.wav and the pauses between its phrases', async () => {
    const started = performance.now();
    const result = await detectSpeech(new MemoryAudioDecoder({ jfk: jfk }).decode('jfk'), vad);
    const seconds = (performance.now() - started) / 1000;
    console.log(`VAD on jfk.wav: ${(11 / seconds).toFixed(0)}× real time`);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { regions, probabilities, totalSamples } = result.value;
    expect(totalSamples).toBe(jfk.length);
    expect(probabilities.length).toBe(Math.ceil(jfk.length / VAD_FRAME_SAMPLES));
    // Phrases ("And so my fellow Americans" … "ask not" … "what your country can do for you" … "ask what you can do for your country").
    for (const t of [0.5, 1.5, 2.0, 3.5, 4.2, 5.6, 6.5, 7.5, 8.6, 9.5, 10.2]) expect(inside(regions, t), `speech at ${t} s`).toBe(true);
    // Pauses measured on the waveform (RMS < 0.01 over 100 ms): about 2.4–3.0 s and 4.6–5.1 s.
    for (const t of [2.7, 2.9, 4.85]) expect(inside(regions, t), `silence at ${t} s`).toBe(false);
    expect(regions.length).toBeGreaterThanOrEqual(3);
    expect(regions.length).toBeLessThanOrEqual(6);
    // ≤ 30 s of speech fits one ASR window.
    const spans = regions.map((region) => ({ start: region.startSample / SR, end: region.endSample / SR }));
    const first = planNextWindow(spans, 0);
    expect(first && planNextWindow(spans, first.end)).toBeNull();
  });

  it('finds no speech in silence or in white noise', async () => {
    let seed = 1;
    const noise = Float32Array.from({ length: 5 * SR }, () => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * 0.2);
    const decoder = new MemoryAudioDecoder({ silence: new Float32Array(5 * SR), noise });
    for (const name of ['silence', 'noise']) {
      const result = await detectSpeech(decoder.decode(name), vad);
      expect(result.ok && result.value.regions, name).toEqual([]);
    }
  });

  it('gives the same probabilities whatever the chunking, after reset', async () => {
    const whole = new StreamingVad(vad);
    await whole.push(jfk);
    await whole.finish();
    const expected = Array.from(whole.probabilities);
    const pieces = new StreamingVad(vad);
    for (let offset = 0; offset < jfk.length; offset += 333) await pieces.push(jfk.subarray(offset, offset + 333));
    await pieces.finish();
    expect(Array.from(pieces.probabilities)).toEqual(expected);
  });

  it('passes decode failures through', async () => {
    const result = await detectSpeech(new MemoryAudioDecoder({}).decode('missing'), vad);
    expect(!result.ok && result.error.code).toBe('FILE_NOT_FOUND');
  });

  it("scores a stream's frames in one call with the same numbers as the published graph frame by frame", async () => {
    expect(vad.sequence).toBe(true);
    const published = await SileroVad.load({ frameByFrame: true });
    if (!published.ok) throw new Error(published.error.message);
    expect(published.value.sequence).toBe(false);
    // Chunks that are not whole frames, so frames span chunks and calls score 0, 1 or many frames.
    const chunked = async (detector: SileroVad, sizes: number[]): Promise<Float32Array> => {
      const stream = new StreamingVad(detector);
      for (let at = 0, index = 0; at < jfk.length; index += 1) {
        const size = sizes[index % sizes.length] as number;
        await stream.push(jfk.subarray(at, at + size));
        at += size;
      }
      await stream.finish();
      return stream.probabilities.slice();
    };
    const reference = await chunked(published.value, [VAD_FRAME_SAMPLES]);
    expect(reference.length).toBe(Math.ceil(jfk.length / VAD_FRAME_SAMPLES));
    expect(await chunked(vad, [320, 100, 4 * SR, 7, 2000])).toEqual(reference);
    expect(await chunked(vad, [jfk.length])).toEqual(reference);
    expect(await chunked(published.value, [777, 64_000])).toEqual(reference);
    await published.value.dispose();
  });

  it('rejects frames of the wrong size and use after dispose', async () => {
    await expect(vad.processFrames(new Float32Array(100))).rejects.toThrow(RangeError);
    expect(await vad.processFrames(new Float32Array(0))).toEqual(new Float32Array(0));
    const other = await SileroVad.load();
    if (!other.ok) throw new Error(other.error.message);
    await other.value.dispose();
    await expect(other.value.processFrames(new Float32Array(VAD_FRAME_SAMPLES))).rejects.toThrow(/dispose/);
  });

  it('reports a missing or wrong model as a coded error', async () => {
    expect(await SileroVad.load({ modelPath: '/nope/silero.onnx' })).toMatchObject({ ok: false, error: { code: 'VAD_MODEL_NOT_FOUND' } });
    expect(await SileroVad.load({ modelPath: audioFile('jfk.wav') })).toMatchObject({ ok: false, error: { code: 'VAD_MODEL_INVALID' } });
  });
});
