import { describe, expect, it } from 'vitest';
import { WESPEAKER_FBANK } from '../../src-main/diarization/embedding-model';
import { FBANK_BINS, KaldiFbank } from '../../src-main/diarization/fbank';
import { LOCAL_SPEAKERS } from '../../src-main/diarization/powerset';
import { FRAMES_PER_WINDOW } from '../../src-main/diarization/segmentation-windows';
import { localSpeakerFeatures } from '../../src-main/diarization/speaker-features';
import { StreamingFbank } from '../../src-main/diarization/streaming-fbank';
import { seededRandom } from '../export/fixtures';

function noisySpeechLike(length: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  return Float32Array.from({ length }, (_, i) => 0.3 * Math.sin((2 * Math.PI * 180 * i) / 16_000) * Math.sin(i / 4000) + 0.05 * (random() - 0.5));
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

describe('localSpeakerFeatures', () => {
  it('takes the fbank rows under the speaker’s clean frames, and falls back to overlapped ones', () => {
    const fbankFrames = 998;
    const windowFbank = Float32Array.from({ length: fbankFrames * FBANK_BINS }, (_, i) => Math.floor(i / FBANK_BINS));
    const activity = new Uint8Array(FRAMES_PER_WINDOW * LOCAL_SPEAKERS);
    for (let f = 0; f < FRAMES_PER_WINDOW; f += 1) {
      if (f < 300) activity[f * LOCAL_SPEAKERS] = 1;
      if (f >= 280 && f < 310) activity[f * LOCAL_SPEAKERS + 1] = 1;
    }
    const [first, second] = localSpeakerFeatures(windowFbank, activity);
    expect(first).toMatchObject({ localSpeaker: 0, clean: true });
    // Rows are whole fbank frames, in order, from the start of the window up to where speaker 1 joins (~4.8 s).
    const rows = first!.features.length / FBANK_BINS;
    expect(first!.features[0]).toBe(0);
    expect(rows).toBeGreaterThan(460);
    expect(rows).toBeLessThan(485);
    expect(second).toMatchObject({ localSpeaker: 1, clean: false });
    expect(second!.features.length / FBANK_BINS).toBeGreaterThan(45);
  });
});
