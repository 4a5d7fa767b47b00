import { describe, expect, it } from 'vitest';
import type { CodedError } from '../../../src-shared/result';
import { SyntheticSource } from '../../../src-main/record/capture/synthetic-source';

function collect(): {
  chunks: Float32Array[];
  errors: CodedError[];
  onFrames: (f: Float32Array) => void;
  onError: (e: CodedError) => void;
} {
  const chunks: Float32Array[] = [];
  const errors: CodedError[] = [];
  return { chunks, errors, onFrames: (f) => chunks.push(f), onError: (e) => errors.push(e) };
}

function joined(chunks: Float32Array[]): Float32Array {
  const out = new Float32Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

describe('SyntheticSource', () => {
  it('plays an interleaved array once, in whole frames, as fresh arrays', async () => {
    const signal = Float32Array.from({ length: 2 * 1000 }, (_, i) => i / 2000);
    const source = new SyntheticSource({ format: { sampleRate: 48000, channels: 2 }, signal, chunkFrames: 96 });
    const sink = collect();
    expect((await source.start(sink.onFrames, sink.onError)).ok).toBe(true);
    await source.ended;
    expect(Array.from(joined(sink.chunks))).toEqual(Array.from(signal));
    expect(sink.chunks.every((c) => c.length % 2 === 0 && c.buffer !== signal.buffer)).toBe(true);
    expect(source.framesDelivered).toBe(1000);
    expect(sink.errors).toEqual([]);
    await source.stop();
  });

  it('runs a generator as fast as possible (an hour of 16 kHz audio, in order)', async () => {
    const rate = 16000;
    const hour = 3600 * rate;
    const source = new SyntheticSource({
      format: { sampleRate: rate, channels: 1 },
      chunkFrames: 16000,
      signal: (start, into) => {
        const frames = Math.min(into.length, hour - start);
        for (let i = 0; i < frames; i++) into[i] = (start + i) % 7;
        return frames;
      },
    });
    let frames = 0;
    let inOrder = true;
    await source.start(
      (chunk) => {
        if (chunk[0] !== frames % 7) inOrder = false;
        frames += chunk.length;
      },
      () => undefined,
    );
    await source.ended;
    expect(frames).toBe(hour);
    expect(inOrder).toBe(true);
  });

  it('paces at N× real time: never ahead of the clock', async () => {
    const source = new SyntheticSource({
      format: { sampleRate: 16000, channels: 1 },
      speed: 10,
      chunkFrames: 320,
      signal: (_start, into) => into.length,
    });
    let frames = 0;
    const started = performance.now();
    await source.start(
      (c) => (frames += c.length),
      () => undefined,
    );
    await new Promise((r) => setTimeout(r, 300));
    await source.stop();
    const elapsedSeconds = (performance.now() - started) / 1000;
    // At 10× the clock allows 160 000 frames a second of wall time (plus one chunk of rounding).
    expect(frames).toBeLessThanOrEqual(elapsedSeconds * 10 * 16000 + 320);
    expect(frames).toBeGreaterThanOrEqual(16000);
  });

  it('delivers nothing after stop() resolves and refuses a second start', async () => {
    const source = new SyntheticSource({ format: { sampleRate: 16000, channels: 1 }, signal: (_s, into) => into.length });
    let afterStop = 0;
    let stopped = false;
    await source.start(
      () => {
        if (stopped) afterStop++;
      },
      () => undefined,
    );
    await new Promise((r) => setTimeout(r, 20));
    await source.stop();
    stopped = true;
    await source.stop(); // idempotent
    await new Promise((r) => setTimeout(r, 50));
    expect(afterStop).toBe(0);
    const again = await source.start(
      () => undefined,
      () => undefined,
    );
    expect(again.ok ? null : again.error.code).toBe('CAPTURE_BAD_STATE');
  });

  it('simulates a device fault after N frames', async () => {
    const source = new SyntheticSource({
      format: { sampleRate: 16000, channels: 1 },
      signal: (_s, into) => into.length,
      chunkFrames: 300,
      faultAfterFrames: 1000,
    });
    const sink = collect();
    await source.start(sink.onFrames, sink.onError);
    await source.ended;
    expect(joined(sink.chunks).length).toBe(1000);
    expect(sink.errors.map((e) => e.code)).toEqual(['CAPTURE_DEVICE_LOST']);
  });
});
