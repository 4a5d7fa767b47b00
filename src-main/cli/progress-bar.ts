/** A one-line progress bar on stderr; falls back to one line per stage change when stderr is not a terminal. */
export class ProgressBar {
  private lastLine = '';
  private lastStage = '';

  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly enabled = true,
  ) {}

  update(label: string, stage: string, percent: number): void {
    if (!this.enabled) return;
    const clamped = Math.max(0, Math.min(100, percent));
    const width = 24;
    const filled = Math.round((clamped / 100) * width);
    const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${clamped.toFixed(0).padStart(3)}% ${stage.padEnd(10)} ${label}`;
    if (this.stream.isTTY) {
      if (line === this.lastLine) return;
      this.stream.write(`\r${line.padEnd(this.lastLine.length)}`);
      this.lastLine = line;
    } else if (stage !== this.lastStage) {
      this.stream.write(`${line}\n`);
    }
    this.lastStage = stage;
  }

  /** Ends the current bar line so that the next message starts on its own line. */
  finish(message: string): void {
    if (this.enabled && this.stream.isTTY && this.lastLine) this.stream.write('\n');
    this.lastLine = '';
    this.lastStage = '';
    this.stream.write(`${message}\n`);
  }
}
