import { type InferenceSession, Tensor } from 'onnxruntime-node';
import { ok, type Result } from '../../src-shared/result';
import { sileroModelPath } from './silero-model';
import { openSileroSession } from './silero-session';

export type VadErrorCode = 'VAD_MODEL_NOT_FOUND' | 'VAD_MODEL_INVALID';

/** Silero v5/v6 at 16 kHz consumes 512-sample frames (32 ms)… */
export const VAD_FRAME_SAMPLES = 512;
/** …each preceded by the last 64 samples of the previous frame. */
const CONTEXT_SAMPLES = 64;
const STATE_SIZE = 2 * 1 * 128;
const SAMPLE_RATE = 16000;

export interface SileroVadOptions {
  modelPath?: string;
}

/**
 * One Silero VAD stream: load once, call `process` frame by frame (never concurrently: the
 * recurrent state is carried between calls), `reset` between files, `dispose` when done.
 */
export class SileroVad {
  private state = new Float32Array(STATE_SIZE);
  private readonly window = new Float32Array(CONTEXT_SAMPLES + VAD_FRAME_SAMPLES);
  private readonly sampleRate = new Tensor('int64', BigInt64Array.from([BigInt(SAMPLE_RATE)]), []);
  private session: InferenceSession | null;

  private constructor(session: InferenceSession) {
    this.session = session;
  }

  static async load(options: SileroVadOptions = {}): Promise<Result<SileroVad, VadErrorCode>> {
    const opened = await openSileroSession(options.modelPath ?? sileroModelPath());
    if (!opened.ok) return opened;
    return ok(new SileroVad(opened.value));
  }

  /** Speech probability in [0, 1] for the next 512 samples of the stream. */
  async process(frame: Float32Array): Promise<number> {
    if (this.session === null) throw new Error('SileroVad used after dispose()');
    if (frame.length !== VAD_FRAME_SAMPLES) {
      throw new RangeError(`Silero VAD frames are ${VAD_FRAME_SAMPLES} samples, got ${frame.length}`);
    }
    this.window.set(frame, CONTEXT_SAMPLES);
    const outputs = await this.session.run({
      input: new Tensor('float32', this.window, [1, this.window.length]),
      state: new Tensor('float32', this.state, [2, 1, 128]),
      sr: this.sampleRate,
    });
    const output = outputs.output;
    const nextState = outputs.stateN;
    if (output === undefined || nextState === undefined) throw new Error('Silero VAD returned no output/stateN');
    this.state = new Float32Array(nextState.data as Float32Array);
    // The next frame's context is the tail of this one.
    this.window.copyWithin(0, VAD_FRAME_SAMPLES);
    return (output.data as Float32Array)[0] ?? 0;
  }

  reset(): void {
    this.state = new Float32Array(STATE_SIZE);
    this.window.fill(0);
  }

  async dispose(): Promise<void> {
    const session = this.session;
    this.session = null;
    await session?.release();
  }
}
