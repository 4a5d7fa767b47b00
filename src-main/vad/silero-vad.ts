import { type InferenceSession, Tensor } from 'onnxruntime-node';
import { ok, type Result } from '../../src-shared/result';
import { sileroModelPath } from './silero-model';
import { openSileroSession } from './silero-session';

export type VadErrorCode = 'VAD_MODEL_NOT_FOUND' | 'VAD_MODEL_INVALID';

/** Silero v5/v6 at 16 kHz consumes 512-sample frames (32 ms)… */
export const VAD_FRAME_SAMPLES = 512;
/** …each preceded by the last 64 samples of the previous frame. */
const CONTEXT_SAMPLES = 64;
const WINDOW_SAMPLES = CONTEXT_SAMPLES + VAD_FRAME_SAMPLES;
const STATE_SIZE = 2 * 1 * 128;
const SAMPLE_RATE = 16000;

export interface SileroVadOptions {
  modelPath?: string;
  /** Run the published graph one frame per call instead of the rewritten one that takes many (same numbers). */
  frameByFrame?: boolean;
}

/**
 * One Silero VAD stream: load once, call `processFrames` with the stream's frames in order (never concurrently:
 * the recurrent state is carried between calls), `reset` between files, `dispose` when done.
 */
export class SileroVad {
  private state = new Float32Array(STATE_SIZE);
  /** The last 64 samples of the previous frame (zeros at the start of a stream). */
  private readonly context = new Float32Array(CONTEXT_SAMPLES);
  private readonly sampleRate = new Tensor('int64', BigInt64Array.from([BigInt(SAMPLE_RATE)]), []);
  private session: InferenceSession | null;

  private constructor(
    session: InferenceSession,
    /** All frames of a call in one run (the rewritten graph), or one run per frame (the published one). */
    readonly sequence: boolean,
  ) {
    this.session = session;
  }

  static async load(options: SileroVadOptions = {}): Promise<Result<SileroVad, VadErrorCode>> {
    const opened = await openSileroSession(options.modelPath ?? sileroModelPath(), options.frameByFrame !== true);
    if (!opened.ok) return opened;
    return ok(new SileroVad(opened.value.session, opened.value.sequence));
  }

  /** Speech probability in [0, 1] for each 512 samples of `frames`, the stream's next whole frames. */
  async processFrames(frames: Float32Array): Promise<Float32Array> {
    const session = this.session;
    if (session === null) throw new Error('SileroVad used after dispose()');
    if (frames.length % VAD_FRAME_SAMPLES !== 0) {
      throw new RangeError(`Silero VAD takes whole frames of ${VAD_FRAME_SAMPLES} samples, got ${frames.length}`);
    }
    const count = frames.length / VAD_FRAME_SAMPLES;
    const windows = new Float32Array(count * WINDOW_SAMPLES);
    for (let frame = 0; frame < count; frame += 1) {
      const start = frame * VAD_FRAME_SAMPLES;
      windows.set(frame === 0 ? this.context : frames.subarray(start - CONTEXT_SAMPLES, start), frame * WINDOW_SAMPLES);
      windows.set(frames.subarray(start, start + VAD_FRAME_SAMPLES), frame * WINDOW_SAMPLES + CONTEXT_SAMPLES);
    }
    if (count > 0) this.context.set(frames.subarray(frames.length - CONTEXT_SAMPLES));
    if (this.sequence) return count > 0 ? this.run(session, windows, count, null) : new Float32Array(0);
    const probabilities = new Float32Array(count);
    for (let frame = 0; frame < count; frame += 1) {
      const window = windows.subarray(frame * WINDOW_SAMPLES, (frame + 1) * WINDOW_SAMPLES);
      probabilities[frame] = (await this.run(session, window, 1, this.sampleRate))[0] ?? 0;
    }
    return probabilities;
  }

  reset(): void {
    this.state = new Float32Array(STATE_SIZE);
    this.context.fill(0);
  }

  async dispose(): Promise<void> {
    const session = this.session;
    this.session = null;
    await session?.release();
  }

  private async run(session: InferenceSession, windows: Float32Array, count: number, sampleRate: Tensor | null): Promise<Float32Array> {
    const outputs = await session.run({
      input: new Tensor('float32', windows, [count, WINDOW_SAMPLES]),
      state: new Tensor('float32', this.state, [2, 1, 128]),
      ...(sampleRate ? { sr: sampleRate } : {}),
    });
    const output = outputs.output;
    const nextState = outputs.stateN;
    if (output === undefined || nextState === undefined) throw new Error('Silero VAD returned no output/stateN');
    this.state = new Float32Array(nextState.data as Float32Array);
    return new Float32Array(output.data as Float32Array);
  }
}
