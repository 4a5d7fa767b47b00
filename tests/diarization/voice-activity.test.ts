import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FRAME_DURATION_SAMPLES, FRAME_STEP_SAMPLES } from '../../src-main/diarization/segmentation-windows';
import { SileroLaneVad, type LaneVad } from '../../src-main/diarization/silero-lanes';
import { LANE_FRAMES, StreamingVoicedFrames, WARM_UP_FRAMES } from '../../src-main/diarization/voice-activity';
import { SileroVad, VAD_FRAME_SAMPLES } from '../../src-main/vad/silero-vad';
import { decodeAll, realDecoder } from '../audio/helpers';
import { SHARED_AUDIO } from '../support/paths';

const SR = 16_000;
const centre = (frame: number): number => (frame * FRAME_STEP_SAMPLES + FRAME_DURATION_SAMPLES / 2) / SR;

/** A detector double: a frame is speech when its mean absolute value is above 0.05. Records the lanes it saw. */
class LoudnessLanes implements LaneVad {
  readonly calls: number[][] = [];
  scoreLanes(lanes: readonly Float32Array[]): Promise<Float32Array[]> {
    this.calls.push(lanes.map((lane) => lane.length / VAD_FRAME_SAMPLES));
    return Promise.resolve(
      lanes.map((lane) =>
        Float32Array.from({ length: lane.length / VAD_FRAME_SAMPLES }, (_, frame) => {
          let sum = 0;
          for (let k = frame * VAD_FRAME_SAMPLES; k < (frame + 1) * VAD_FRAME_SAMPLES; k += 1) sum += Math.abs(lane[k]!);
          return sum / VAD_FRAME_SAMPLES > 0.05 ? 1 : 0;
        }),
      ),
    );
  }
  dispose(): Promise<void> {
    return Promise.resolve();
  }
}

/** `seconds` of audio, a 200 Hz tone of amplitude 0.5 inside `spans`, silence elsewhere. */
function toneAudio(seconds: number, spans: [number, number][]): Float32Array {
  return Float32Array.from({ length: Math.round(seconds * SR) }, (_, k) =>
    spans.some(([from, to]) => k / SR >= from && k / SR < to) ? 0.5 * Math.sin((2 * Math.PI * 200 * k) / SR) : 0,
  );
}

describe('StreamingVoicedFrames', () => {
  it('scores the stream in batched lanes, every frame once, and answers by segmentation frame', async () => {
    const spans: [number, number][] = [
      [1, 3],
      [7.2, 7.9],
      [12, 19.5],
    ];
    const audio = toneAudio(20.3, spans);
    const lanes = new LoudnessLanes();
    const voice = new StreamingVoicedFrames(lanes);
    // Odd chunk sizes, scored now and then as the pipeline does before each batch of windows.
    for (let start = 0, k = 0; start < audio.length; start += 7_777, k += 1) {
      voice.push(audio.subarray(start, Math.min(audio.length, start + 7_777)));
      if (k % 20 === 19) await voice.scoreBuffered();
    }
    await voice.finish();
    expect(lanes.calls.length).toBeGreaterThan(1);
    const scored = lanes.calls.flat();
    for (const frames of scored) expect(frames).toBeLessThanOrEqual(LANE_FRAMES + WARM_UP_FRAMES);
    // Each frame of the stream scored once, besides the warm-up frames (all lanes but the very first have them).
    const totalFrames = Math.ceil(audio.length / VAD_FRAME_SAMPLES);
    expect(scored.reduce((sum, frames) => sum + frames, 0) - WARM_UP_FRAMES * (scored.length - 1)).toBe(totalFrames);
    for (let frame = 0; centre(frame) < 20.3; frame += 1) {
      const time = centre(frame);
      const inside = spans.some(([from, to]) => time >= from + 0.1 && time < to - 0.1);
      const outside = spans.every(([from, to]) => time < from - 0.2 || time >= to + 0.2);
      if (inside) expect(voice.isVoiced(frame), `${time.toFixed(2)} s`).toBe(true);
      if (outside) expect(voice.isVoiced(frame), `${time.toFixed(2)} s`).toBe(false);
    }
  });

  it('forgets regions that end before a frame, and refuses audio after the end', async () => {
    const voice = new StreamingVoicedFrames(new LoudnessLanes());
    voice.push(toneAudio(6, [[1, 2]]));
    await voice.finish();
    const frameAt = (seconds: number): number => Math.round((seconds * SR - FRAME_DURATION_SAMPLES / 2) / FRAME_STEP_SAMPLES);
    expect(voice.isVoiced(frameAt(1.5))).toBe(true);
    voice.forgetBefore(frameAt(3));
    expect(voice.isVoiced(frameAt(1.5))).toBe(false);
    expect(() => voice.push(new Float32Array(10))).toThrow();
  });
});

describe('SileroLaneVad (the bundled Silero model)', () => {
  let lanes: SileroLaneVad;
  let single: SileroVad;
  let speech: Float32Array;

  beforeAll(async () => {
    const loaded = await SileroLaneVad.load();
    const one = await SileroVad.load();
    if (!loaded.ok) throw new Error(loaded.error.message);
    if (!one.ok) throw new Error(one.error.message);
    lanes = loaded.value;
    single = one.value;
    speech = await decodeAll(realDecoder(), path.join(SHARED_AUDIO, 'jfk.wav'));
  }, 60_000);
  afterAll(async () => {
    await Promise.all([lanes?.dispose(), single?.dispose()]);
  });

  it('gives each lane what a fresh single stream gives it, lanes of different lengths in one batch', async () => {
    const frames = (from: number, count: number): Float32Array =>
      speech.subarray(from * VAD_FRAME_SAMPLES, (from + count) * VAD_FRAME_SAMPLES);
    const batch = [frames(0, 40), frames(100, 25), frames(200, 64)];
    const scores = await lanes.scoreLanes(batch);
    expect(scores.map((lane) => lane.length)).toEqual([40, 25, 64]);
    for (const [index, lane] of batch.entries()) {
      single.reset();
      const expected = await single.processFrames(lane);
      for (let frame = 0; frame < lane.length / VAD_FRAME_SAMPLES; frame += 1)
        expect(scores[index]![frame]).toBeCloseTo(expected[frame]!, 4);
    }
    await expect(lanes.scoreLanes([new Float32Array(100)])).rejects.toThrow(RangeError);
  });

  it('answers the same however the audio was chunked and whenever it was scored (lanes on a fixed grid)', async () => {
    const whole = new StreamingVoicedFrames(lanes);
    whole.push(speech);
    await whole.finish();
    const chunked = new StreamingVoicedFrames(lanes);
    for (let start = 0; start < speech.length; start += 12_345) {
      chunked.push(speech.subarray(start, Math.min(speech.length, start + 12_345)));
      await chunked.scoreBuffered();
    }
    await chunked.finish();
    let voiced = 0;
    for (let frame = 0; centre(frame) < speech.length / SR; frame += 1) {
      expect(chunked.isVoiced(frame), `${centre(frame).toFixed(2)} s`).toBe(whole.isVoiced(frame));
      if (whole.isVoiced(frame)) voiced += 1;
    }
    expect(voiced).toBeGreaterThan(100);
  });

  it('agrees with one continuous Silero stream on where jfk.wav is speech when run in warmed-up lanes', async () => {
    const lanesVoice = new StreamingVoicedFrames(lanes);
    lanesVoice.push(speech);
    await lanesVoice.finish();
    // One continuous stream, frame by frame.
    single.reset();
    const padded = new Float32Array(Math.ceil(speech.length / VAD_FRAME_SAMPLES) * VAD_FRAME_SAMPLES);
    padded.set(speech);
    const probabilities = await single.processFrames(padded);
    let agree = 0;
    let total = 0;
    for (let frame = 0; centre(frame) < speech.length / SR; frame += 1) {
      const vadFrame = Math.floor((centre(frame) * SR) / VAD_FRAME_SAMPLES);
      const continuous = probabilities[vadFrame]! >= 0.5;
      total += 1;
      // Frames near the threshold may go either way (the regions also have hysteresis and padding).
      if (lanesVoice.isVoiced(frame) === continuous || Math.abs(probabilities[vadFrame]! - 0.5) < 0.15) agree += 1;
    }
    expect(agree / total).toBeGreaterThan(0.95);
  });
});
