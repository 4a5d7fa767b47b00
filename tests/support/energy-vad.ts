import { VAD_FRAME_SAMPLES } from '../../src-main/vad/silero-vad';
import type { FrameVad } from '../../src-main/vad/streaming-vad';

/** VAD double for synthetic signals: a frame is "speech" when its RMS is above a threshold. */
export class EnergyVad implements FrameVad {
  async processFrames(frames: Float32Array): Promise<Float32Array> {
    const probabilities = new Float32Array(Math.floor(frames.length / VAD_FRAME_SAMPLES));
    probabilities.forEach((_, index) => {
      let sum = 0;
      for (const sample of frames.subarray(index * VAD_FRAME_SAMPLES, (index + 1) * VAD_FRAME_SAMPLES)) sum += sample * sample;
      probabilities[index] = Math.sqrt(sum / VAD_FRAME_SAMPLES) > 0.01 ? 0.95 : 0.02;
    });
    return probabilities;
  }

  reset(): void {}
}
