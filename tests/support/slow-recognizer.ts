import { fail, type Result } from '../../src-shared/result';
import type { AsrErrorCode, RecognizeOptions, SpeechRecognizer, WindowTranscription } from '../../src-main/asr/types';

/** Wraps a recognizer so each window takes `delayMs` of wall time, and honours cancellation like Whisper. */
export class SlowRecognizer implements SpeechRecognizer {
  readonly calls: { windowSeconds: number; cancelled: boolean }[] = [];
  inFlight = 0;
  maxInFlight = 0;

  constructor(
    private readonly inner: SpeechRecognizer,
    private readonly delayMs: number,
  ) {}

  get modelId(): string {
    return this.inner.modelId;
  }
  get execution(): SpeechRecognizer['execution'] {
    return this.inner.execution;
  }
  get multilingual(): boolean {
    return this.inner.multilingual;
  }

  detectLanguage(audio: Float32Array): ReturnType<SpeechRecognizer['detectLanguage']> {
    return this.inner.detectLanguage(audio);
  }

  async transcribeWindow(audio: Float32Array, options: RecognizeOptions): Promise<Result<WindowTranscription, AsrErrorCode>> {
    const call = { windowSeconds: audio.length / 16_000, cancelled: false };
    this.calls.push(call);
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.delayMs);
        options.signal?.addEventListener(
          'abort',
          () => {
            clearTimeout(timer);
            resolve();
          },
          { once: true },
        );
      });
      if (options.signal?.aborted) {
        call.cancelled = true;
        return fail('CANCELLED', 'cancelled');
      }
      return await this.inner.transcribeWindow(audio, options);
    } finally {
      this.inFlight -= 1;
    }
  }

  timings(): ReturnType<SpeechRecognizer['timings']> {
    return this.inner.timings();
  }

  dispose(): Promise<void> {
    return this.inner.dispose();
  }
}
