import type { FrameVad } from '../../src-main/vad/streaming-vad';

/** VAD double for synthetic signals: a frame is "speech" when its RMS is above a threshold. */
export class EnergyVad implements FrameVad {
  async process(frame: Float32Array): Promise<number> {
    let sum = 0;
    for (const sample of frame) sum += sample * sample;
    return Math.sqrt(sum / frame.length) > 0.01 ? 0.95 : 0.02;
  }

  reset(): void {}
}
