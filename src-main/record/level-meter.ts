/** RMS and peak over fixed blocks of frames (100 ms by default), for the input level meter. */
export class LevelMeter {
  private sumSquares = 0;
  private peak = 0;
  private framesInBlock = 0;
  private framesTotal = 0;
  private readonly blockFrames: number;

  constructor(
    private readonly sampleRate: number,
    private readonly channels: number,
    private readonly onLevel: (at: number, rms: number, peak: number) => void,
    blockSeconds = 0.1,
  ) {
    this.blockFrames = Math.max(1, Math.round(sampleRate * blockSeconds));
  }

  push(interleaved: Float32Array): void {
    for (let index = 0; index < interleaved.length; index += 1) {
      const sample = interleaved[index] as number;
      this.sumSquares += sample * sample;
      const magnitude = Math.abs(sample);
      if (magnitude > this.peak) this.peak = magnitude;
      if ((index + 1) % this.channels !== 0) continue;
      this.framesInBlock += 1;
      this.framesTotal += 1;
      if (this.framesInBlock === this.blockFrames) {
        this.onLevel(
          this.framesTotal / this.sampleRate,
          Math.sqrt(this.sumSquares / (this.blockFrames * this.channels)),
          Math.min(1, this.peak),
        );
        this.sumSquares = 0;
        this.peak = 0;
        this.framesInBlock = 0;
      }
    }
  }
}
