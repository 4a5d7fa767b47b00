import { describe, expect, it } from 'vitest';
import { MemoryAudioDecoder } from '../../src-main/audio/memory-decoder';
import type { DecodeItem } from '../../src-main/audio/types';

async function collect(items: AsyncIterable<DecodeItem>): Promise<DecodeItem[]> {
  const out: DecodeItem[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe('MemoryAudioDecoder', () => {
  const samples = Float32Array.from({ length: 40000 }, (_, i) => Math.sin(i / 10));
  const decoder = new MemoryAudioDecoder({ 'talk.wav': samples, 'empty.wav': new Float32Array(0) });

  it('probes like a 16 kHz mono file', async () => {
    const probed = await decoder.probe('talk.wav');
    expect(probed.ok && probed.value).toMatchObject({ sampleRate: 16000, channels: 1, durationSeconds: 2.5 });
    expect(await decoder.probe('missing.wav')).toMatchObject({ ok: false, error: { code: 'FILE_NOT_FOUND' } });
    expect(await decoder.probe('empty.wav')).toMatchObject({ ok: false, error: { code: 'FILE_EMPTY' } });
  });

  it('chunks the samples exactly', async () => {
    const items = await collect(decoder.decode('talk.wav', { chunkSamples: 16000 }));
    const chunks = items.map((item) => (item.ok ? item.value : null));
    expect(chunks.map((chunk) => [chunk?.startSample, chunk?.samples.length])).toEqual([
      [0, 16000],
      [16000, 16000],
      [32000, 8000],
    ]);
    expect(chunks[1]?.samples[5]).toBe(samples[16005]);
  });

  it('honours abort', async () => {
    const controller = new AbortController();
    const codes: string[] = [];
    for await (const item of decoder.decode('talk.wav', { chunkSamples: 1000, signal: controller.signal })) {
      codes.push(item.ok ? 'chunk' : item.error.code);
      controller.abort();
    }
    expect(codes).toEqual(['chunk', 'CANCELLED']);
  });
});
