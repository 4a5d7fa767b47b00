import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SpeechRecognizer } from '../../src-main/asr/types';
import { loadWhisperRecognizer } from '../../src-main/asr/whisper-recognizer';
import { decodeAll, realDecoder } from '../audio/helpers';
import { SHARED_AUDIO, TINY_ENGLISH, TINY_MULTILINGUAL, TINY_SIZED } from '../support/paths';

async function load(modelDir: string, dtype: 'fp32' | 'q8' = 'fp32'): Promise<SpeechRecognizer> {
  const loaded = await loadWhisperRecognizer({ modelId: path.basename(modelDir), modelDir, dtype, execution: 'auto' });
  if (!loaded.ok) throw new Error(loaded.error.message);
  return loaded.value;
}

let jfk: Float32Array;
beforeAll(async () => {
  jfk = await decodeAll(realDecoder(), path.join(SHARED_AUDIO, 'jfk.wav'));
});

describe('Whisper recognizer on onnxruntime-node (generated random weights, real runtime and decoding loop)', () => {
  let recognizer: SpeechRecognizer;
  beforeAll(async () => {
    recognizer = await load(TINY_MULTILINGUAL, 'q8');
  });
  afterAll(async () => {
    await recognizer.dispose();
  });

  it('reports the execution provider it runs on (CPU here, with the reason)', () => {
    expect(recognizer.execution.active).toBe('cpu');
    expect(recognizer.execution.fallbackReason).toMatch(/CUDA execution provider is not installed/);
  });

  it('transcribes a window into timed segments in the given language and task', async () => {
    for (const options of [
      { language: 'en', task: 'transcribe' as const },
      { language: 'ko', task: 'transcribe' as const },
      { language: 'ko', task: 'translate' as const },
    ]) {
      const result = await recognizer.transcribeWindow(jfk, options);
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      expect(result.value.language).toBe(options.language);
      expect(result.value.segments.length).toBeGreaterThan(0);
      for (const segment of result.value.segments) {
        expect(segment.start).toBeGreaterThanOrEqual(0);
        expect(segment.start).toBeLessThanOrEqual(30);
        if (segment.end !== null) expect(segment.end).toBeGreaterThanOrEqual(segment.start);
        expect(segment.text.length).toBeGreaterThan(0);
      }
    }
  });

  it('detects a language among Whisper language tokens and uses it when none is given', async () => {
    const detected = await recognizer.detectLanguage(jfk);
    expect(detected.ok).toBe(true);
    if (!detected.ok) return;
    expect(detected.value.language).toMatch(/^[a-z]{2,3}$/);
    expect(detected.value.probability).toBeGreaterThan(0);
    expect(detected.value.probability).toBeLessThanOrEqual(1);
    const result = await recognizer.transcribeWindow(jfk, { language: null, task: 'transcribe' });
    expect(result.ok && result.value.language).toBe(detected.value.language);
  });

  it('stays warm: one encoder run per window, on the same loaded sessions', async () => {
    const before = recognizer.timings();
    await recognizer.transcribeWindow(jfk.subarray(0, 5 * 16000), { language: 'en', task: 'transcribe' });
    await recognizer.transcribeWindow(jfk.subarray(5 * 16000), { language: 'en', task: 'transcribe' });
    const after = recognizer.timings();
    expect((after.encoder?.runs ?? 0) - (before.encoder?.runs ?? 0)).toBe(2);
    expect((after.decoder?.runs ?? 0) - (before.decoder?.runs ?? 0)).toBeGreaterThan(2);
  });
});

describe('English-only Whisper', () => {
  it('transcribes English and refuses another language with a clear code', async () => {
    const recognizer = await load(TINY_ENGLISH);
    try {
      expect(recognizer.multilingual).toBe(false);
      const english = await recognizer.transcribeWindow(jfk, { language: null, task: 'transcribe' });
      expect(english.ok && english.value.language).toBe('en');
      const korean = await recognizer.transcribeWindow(jfk, { language: 'ko', task: 'transcribe' });
      expect(korean.ok).toBe(false);
      if (!korean.ok) expect(korean.error.code).toBe('LANGUAGE_UNSUPPORTED');
    } finally {
      await recognizer.dispose();
    }
  });
});

describe('cancellation', () => {
  it('stops decoding when the signal aborts, reports CANCELLED, and the next window works', async () => {
    const recognizer = await load(TINY_MULTILINGUAL);
    try {
      const fullStarted = performance.now();
      const full = await recognizer.transcribeWindow(jfk, { language: 'en', task: 'transcribe' });
      const fullMs = performance.now() - fullStarted;
      expect(full.ok).toBe(true);
      const controller = new AbortController();
      const cancelledStarted = performance.now();
      setTimeout(() => controller.abort(), 0.3 * fullMs);
      const cancelled = await recognizer.transcribeWindow(jfk, { language: 'en', task: 'transcribe', signal: controller.signal });
      const cancelledMs = performance.now() - cancelledStarted;
      expect(cancelled.ok).toBe(false);
      if (!cancelled.ok) expect(cancelled.error.code).toBe('CANCELLED');
      console.log(`full window ${fullMs.toFixed(0)} ms, cancelled at 30 % → returned after ${cancelledMs.toFixed(0)} ms`);
      const already = await recognizer.transcribeWindow(jfk, { language: 'en', task: 'transcribe', signal: AbortSignal.abort() });
      expect(!already.ok && already.error.code).toBe('CANCELLED');
      const again = await recognizer.transcribeWindow(jfk, { language: 'en', task: 'transcribe', signal: new AbortController().signal });
      expect(again.ok && again.value.segments.map((segment) => segment.text)).toEqual(
        full.ok && full.value.segments.map((segment) => segment.text),
      );
    } finally {
      await recognizer.dispose();
    }
  });
});

describe('dispose', () => {
  it('makes the recognizer refuse work afterwards', async () => {
    const recognizer = await load(TINY_MULTILINGUAL);
    await recognizer.dispose();
    const result = await recognizer.transcribeWindow(jfk, { language: 'en', task: 'transcribe' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('RECOGNIZER_DISPOSED');
  });

  it('returns the memory of a whisper-tiny-sized model after dispose: repeated load/dispose cycles do not grow', async () => {
    const settle = async (): Promise<number> => {
      for (let round = 0; round < 3; round += 1) {
        global.gc?.();
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return process.memoryUsage().rss / 2 ** 20;
    };
    const cycle = async (): Promise<{ loaded: number; released: number }> => {
      const recognizer = await load(TINY_SIZED);
      await recognizer.transcribeWindow(jfk, { language: 'en', task: 'transcribe' });
      // A fitted context loads the second encoder session: dispose must release it too.
      await recognizer.transcribeWindow(jfk.subarray(0, 4 * 16_000), { language: 'en', task: 'transcribe', context: 'fitted' });
      const loaded = await settle();
      await recognizer.dispose();
      return { loaded, released: await settle() };
    };
    // One warm-up cycle so that one-time allocations (runtime, tokenizer code paths) are in the baseline.
    await cycle();
    const baseline = await settle();
    const cycles: { loaded: number; released: number }[] = [];
    for (let index = 0; index < 6; index += 1) cycles.push(await cycle());
    const modelFootprint = cycles[0]!.loaded - baseline;
    console.log(
      `RSS baseline ${baseline.toFixed(0)} MB; per cycle loaded/after dispose: ` +
        cycles.map((c) => `${c.loaded.toFixed(0)}/${c.released.toFixed(0)}`).join(', '),
    );
    expect(modelFootprint).toBeGreaterThan(100);
    expect(cycles[0]!.released).toBeLessThan(cycles[0]!.loaded - 0.3 * modelFootprint);
    // What the allocator keeps after a dispose (glibc arenas, transformers.js buffers awaiting collection) varies
    // from run to run and settles over the first cycles; what must hold is that dispose hands the model back.
    // Were sessions leaked, every cycle would add about one model footprint; allow a quarter of one per cycle
    // (least-squares slope over the cycles after the first).
    const settled = cycles.slice(1).map((c) => c.released);
    const mean = settled.reduce((sum, value) => sum + value, 0) / settled.length;
    const centre = (settled.length - 1) / 2;
    let covariance = 0;
    let variance = 0;
    settled.forEach((value, index) => {
      covariance += (index - centre) * (value - mean);
      variance += (index - centre) ** 2;
    });
    const growthPerCycle = covariance / variance;
    console.log(`growth per load/dispose cycle ${growthPerCycle.toFixed(1)} MB (model footprint ${modelFootprint.toFixed(0)} MB)`);
    expect(growthPerCycle).toBeLessThan(0.25 * modelFootprint);
  }, 240_000);
});
