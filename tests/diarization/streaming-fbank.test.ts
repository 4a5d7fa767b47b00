import { describe, expect, it } from 'vitest';
import { WESPEAKER_FBANK } from '../../src-main/diarization/embedding-model';
import { FBANK_BINS, KaldiFbank } from '../../src-main/diarization/fbank';
import { StreamingFbank } from '../../src-main/diarization/streaming-fbank';
import { seededRandom } from '../export/fixtures';

function noisySpeechLike(length: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  return Float32Array.from(
    { length },
    (_, i) => 0.3 * Math.sin((2 * Math.PI * 180 * i) / 16_000) * Math.sin(i / 4000) + 0.05 * (random() - 0.5),
  );
}

describe('StreamingFbank', () => {
  it('gives exactly the frames of the whole signal, whatever the chunking', () => {
    const audio = noisySpeechLike(16_000 * 3 + 123, 7);
    const whole = new KaldiFbank(WESPEAKER_FBANK).compute(audio);
    for (const chunk of [1, 159, 160, 401, 16_000]) {
      const stream = new StreamingFbank(WESPEAKER_FBANK);
      for (let offset = 0; offset < audio.length; offset += chunk) stream.push(audio.subarray(offset, offset + chunk));
      const frames = whole.length / FBANK_BINS;
      expect(stream.frameCount).toBe(frames);
      expect(stream.slice(0, frames)).toEqual(whole);
      expect(stream.slice(100, 50)).toEqual(whole.slice(100 * FBANK_BINS, 150 * FBANK_BINS));
    }
  });

  it('forgets dropped frames and says so instead of inventing them', () => {
    const stream = new StreamingFbank(WESPEAKER_FBANK);
    stream.push(noisySpeechLike(16_000, 3));
    stream.dropBefore(50);
    expect(stream.slice(49, 2)).toBeNull();
    expect(stream.slice(50, 10)).not.toBeNull();
    expect(stream.slice(90, 20)).toBeNull();
  });
});
