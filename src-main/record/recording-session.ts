import { errorMessage } from '../../src-shared/errors';
import type { RecordingEvent, RecordingStatus, RecordingSummary } from '../../src-shared/recording-events';
import { fail, ok, type CodedError, type Result } from '../../src-shared/result';
import { ENGINE_SAMPLE_RATE } from '../audio/types';
import type { AudioSource } from './capture-types';
import { LevelMeter } from './level-meter';
import { RingBuffer, type RingReader } from './ring-buffer';
import type { LiveTranscription, RecordingSink, StreamResampler } from './session-ports';
import { inBackground } from '../util/background';

export interface RecordingSessionOptions {
  id: string;
  source: AudioSource;
  sink: RecordingSink;
  resampler: StreamResampler;
  /** null records without live transcription. */
  transcriber: LiveTranscription | null;
  emit: (event: RecordingEvent) => void;
  /** Ring capacity in seconds of native audio (default 30): how far ASR may fall behind before a gap. */
  ringSeconds?: number | undefined;
  /** Called after stop, once nothing uses the models any more (dispose ORT sessions here). */
  releaseModels?: (() => Promise<void>) | undefined;
  /** The device or the disk failed: the session has begun stopping itself; `stop()` returns its summary. */
  onFatal?: (error: CodedError) => void;
  /** The live model's catalog id, reported with the saved recording. */
  modelId?: string | null;
}

/**
 * One recording: capture → ring buffer → (disk writer, drained on every callback, never behind) and
 * (live transcriber, which may fall behind and then skips with a reported gap). Memory is fixed by the
 * ring's capacity and the transcriber's 30 s utterance bound, whatever the duration.
 */
export class RecordingSession {
  private status: RecordingStatus = 'idle';
  private readonly ring: RingBuffer;
  private readonly diskReader: RingReader;
  private readonly asrReader: RingReader;
  private readonly meter: LevelMeter;
  private wake: (() => void) | null = null;
  private capturing = false;
  private asrLoop: Promise<void> = Promise.resolve();
  private fatalError: CodedError | null = null;
  private stopping: Promise<Result<RecordingSummary>> | null = null;

  constructor(private readonly options: RecordingSessionOptions) {
    const { sampleRate, channels } = options.source.format;
    this.ring = new RingBuffer(Math.round((options.ringSeconds ?? 30) * sampleRate) * channels);
    this.diskReader = this.ring.reader();
    this.asrReader = this.ring.reader();
    this.meter = new LevelMeter(sampleRate, channels, (at, rms, peak) => options.emit({ type: 'level', at, rms, peak }));
  }

  get currentStatus(): RecordingStatus {
    return this.status;
  }

  async start(): Promise<Result<void>> {
    if (this.status !== 'idle') return fail('RECORDING_ALREADY_STARTED', 'This session has already started.');
    this.capturing = true;
    const started = await this.options.source.start(
      (interleaved) => this.onFrames(interleaved),
      (error) => this.onDeviceError(error),
    );
    if (!started.ok) {
      this.capturing = false;
      return started;
    }
    this.setStatus('recording');
    this.asrLoop = this.runAsrLoop();
    return ok(undefined);
  }

  pause(): Result<void> {
    if (this.status !== 'recording') return fail('RECORDING_NOT_RUNNING', 'Only a running recording can be paused.');
    this.setStatus('paused');
    return ok(undefined);
  }

  resume(): Result<void> {
    if (this.status !== 'paused') return fail('RECORDING_NOT_PAUSED', 'Only a paused recording can be resumed.');
    this.setStatus('recording');
    return ok(undefined);
  }

  /**
   * Stops capture, writes every remaining frame, commits the last utterance, releases device and models.
   * Calls while stopping (or after a fatal error stopped the session) share the one result.
   */
  stop(): Promise<Result<RecordingSummary>> {
    if (this.stopping) return this.stopping;
    if (this.status === 'idle') return Promise.resolve(fail('RECORDING_NOT_RUNNING', 'There is no recording to stop.'));
    this.stopping = this.stopNow();
    return this.stopping;
  }

  get fatal(): CodedError | null {
    return this.fatalError;
  }

  private async stopNow(): Promise<Result<RecordingSummary>> {
    this.setStatus('stopping');
    await this.options.source.stop();
    this.drainToDisk();
    this.capturing = false;
    this.wake?.();
    await this.asrLoop;
    const files = await this.options.sink.finalize();
    await this.options.releaseModels?.();
    if (files.ok) {
      this.options.emit({
        type: 'saved',
        sessionId: this.options.id,
        paths: files.value.paths,
        seconds: files.value.seconds,
        language: this.options.transcriber?.detectedLanguage ?? null,
        modelId: this.options.transcriber ? (this.options.modelId ?? null) : null,
      });
    } else this.options.emit({ type: 'error', error: files.error, fatal: true });
    this.setStatus('idle');
    if (!files.ok) return files;
    return ok({
      id: this.options.id,
      paths: files.value.paths,
      seconds: files.value.seconds,
      segmentsCommitted: this.options.transcriber?.segmentsCommitted ?? 0,
      language: this.options.transcriber?.detectedLanguage ?? null,
    });
  }

  private onFrames(interleaved: Float32Array): void {
    if (!this.capturing || this.status === 'paused' || this.status === 'idle') return;
    this.ring.write(interleaved);
    // Disk first, in the same callback: the writer can never be lapped by the ring.
    this.drainToDisk();
    this.meter.push(interleaved);
    this.wake?.();
  }

  private drainToDisk(): void {
    if (!this.capturing) return;
    const read = this.diskReader.read();
    if (read.samples.length === 0) return;
    const written = this.options.sink.write(read.samples);
    if (!written.ok) this.onFatal(written.error);
  }

  private onDeviceError(error: CodedError): void {
    this.onFatal(error);
  }

  /** A recording that cannot go on is saved with everything it has, and the user is told why. */
  private onFatal(error: CodedError): void {
    if (this.fatalError || this.status === 'idle') return;
    this.fatalError = error;
    this.options.emit({ type: 'error', error, fatal: true });
    this.options.onFatal?.(error);
    inBackground(this.stop());
  }

  /**
   * Live text is best-effort, the recording is not: a model that throws (an ORT run failing) ends live
   * transcription with a non-fatal error. Left to reject, the loop was an unhandled rejection (fatal in
   * plain Node) and made `stop()` throw before finalizing, leaving the recorder active for good.
   */
  private async runAsrLoop(): Promise<void> {
    try {
      await this.transcribeFromRing();
    } catch (error) {
      const message = errorMessage(error);
      this.options.emit({
        type: 'error',
        error: { code: 'LIVE_TRANSCRIPTION_FAILED', message: `Live transcription stopped: ${message}` },
        fatal: false,
      });
    }
  }

  private async transcribeFromRing(): Promise<void> {
    const transcriber = this.options.transcriber;
    const { sampleRate, channels } = this.options.source.format;
    for (;;) {
      if (this.asrReader.available === 0) {
        if (!this.capturing) break;
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = null;
        continue;
      }
      const read = this.asrReader.read();
      if (!transcriber) continue;
      if (read.skipped > 0) {
        const from = transcriber.position;
        transcriber.skip(from, from + Math.round((read.skipped / channels / sampleRate) * ENGINE_SAMPLE_RATE));
        this.options.resampler.reset();
      }
      await transcriber.push(this.options.resampler.process(read.samples));
    }
    await transcriber?.flush();
  }

  private setStatus(status: RecordingStatus): void {
    this.status = status;
    this.options.emit({ type: 'status', status, sessionId: status === 'idle' ? null : this.options.id });
  }
}
