import { randomUUID } from 'node:crypto';
import type { RecordingEvent, RecordingStartRequest, RecordingSummary, RecoveredRecording } from '../../src-shared/recording-events';
import { fail, ok, type Result } from '../../src-shared/result';
import type { SpeechRecognizer } from '../asr/types';
import type { LiveSpeakerLabeler } from '../diarization/live-speaker-labeler';
import type { ModelDtype } from '../models/catalog';
import type { FrameVad } from '../vad/streaming-vad';
import type { AudioSource, CaptureDevice, CaptureFormat } from './capture-types';
import { LiveTranscriber } from './live-transcriber';
import { RecordingSession } from './recording-session';
import type { OpenedTranscription, RecordingSink, ResamplerFactory } from './session-ports';
import { inBackground } from '../util/background';

export interface LiveModels {
  recognizer: SpeechRecognizer;
  vad: FrameVad;
  /** Provisional live speaker labels, when the embedding model is there. */
  speakers?: LiveSpeakerLabeler;
  /** Disposes every ORT session the models hold (the speaker labeler's too). */
  release(): Promise<void>;
}

export interface RecorderDeps {
  listDevices(): Promise<Result<CaptureDevice[]>>;
  /** Opens the capture: the microphone, joined with a system-audio monitor as its own channel when asked. */
  openSource(request: { deviceId: string | null; monitorDeviceId: string | null }): Promise<Result<AudioSource>>;
  createSink(sessionId: string, format: CaptureFormat): Promise<Result<RecordingSink>>;
  createResampler: ResamplerFactory;
  /** Loads the live models (in a child process in the app) for one session. */
  openTranscription(request: StartRecordingRequest): Promise<Result<OpenedTranscription>>;
  /** Repairs recordings a crash interrupted and removes stale temp files. */
  recover(): Promise<RecoveredRecording[]>;
  emit: (event: RecordingEvent) => void;
}

/** The renderer's request plus engine-only knobs (CLI, tests). */
export interface StartRecordingRequest extends RecordingStartRequest {
  /** A local transformers.js model folder instead of the catalog. */
  modelDir?: string | undefined;
  dtype?: ModelDtype | undefined;
  /** Ring capacity in seconds: how far live ASR may fall behind before skipping (default 30). */
  ringSeconds?: number | undefined;
}

/** Live transcription in this process, on models loaded here (tests and tools that bring their own doubles). */
export function inProcessTranscription(
  loadModels: (request: StartRecordingRequest) => Promise<Result<LiveModels>>,
  emit: (event: RecordingEvent) => void,
): (request: StartRecordingRequest) => Promise<Result<OpenedTranscription>> {
  return async (request) => {
    const models = await loadModels(request);
    if (!models.ok) return models;
    const { recognizer, vad, speakers } = models.value;
    const transcription = new LiveTranscriber({
      recognizer,
      vad,
      emit,
      language: request.language ?? null,
      task: request.task ?? 'transcribe',
      initialPrompt: request.prompt?.trim() || undefined,
      speakers,
    });
    return ok({ transcription, release: () => models.value.release(), modelId: request.modelId || undefined });
  };
}

/** Owns the one recording that may run at a time; everything else about a recording is the session's. */
export class Recorder {
  private session: RecordingSession | null = null;
  private starting = false;

  constructor(private readonly deps: RecorderDeps) {}

  /** Start-up: repair what a crash interrupted and report it. */
  async recoverAtStartup(): Promise<RecoveredRecording[]> {
    const recovered = await this.deps.recover();
    if (recovered.length > 0) this.deps.emit({ type: 'recovered', recordings: recovered });
    return recovered;
  }

  listDevices(): Promise<Result<CaptureDevice[]>> {
    return this.deps.listDevices();
  }

  get active(): boolean {
    return this.session !== null || this.starting;
  }

  async start(request: StartRecordingRequest = {}): Promise<Result<{ sessionId: string }>> {
    if (this.active) return fail('RECORDING_ALREADY_ACTIVE', 'A recording is already running; stop it before starting another.');
    this.starting = true;
    try {
      return await this.startNow(request);
    } finally {
      this.starting = false;
    }
  }

  private async startNow(request: StartRecordingRequest): Promise<Result<{ sessionId: string }>> {
    const sessionId = randomUUID();
    let live: OpenedTranscription | null = null;
    if (request.transcribe !== false) {
      const opened = await this.deps.openTranscription(request);
      if (!opened.ok) return opened;
      live = opened.value;
    }
    const source = await this.deps.openSource({ deviceId: request.deviceId ?? null, monitorDeviceId: request.monitorDeviceId ?? null });
    if (!source.ok) {
      await live?.release();
      return source;
    }
    const sink = await this.deps.createSink(sessionId, source.value.format);
    if (!sink.ok) {
      await source.value.stop();
      await live?.release();
      return sink;
    }
    const session = new RecordingSession({
      id: sessionId,
      source: source.value,
      sink: sink.value,
      resampler: this.deps.createResampler(source.value.format),
      transcriber: live?.transcription ?? null,
      modelId: live?.modelId ?? null,
      emit: this.deps.emit,
      ringSeconds: request.ringSeconds || undefined,
      releaseModels: live ? () => live.release() : undefined,
      // The session saves itself; forgetting it here lets the next recording start.
      onFatal: () => inBackground(this.stop()),
    });
    const started = await session.start();
    if (!started.ok) {
      await source.value.stop();
      await sink.value.finalize();
      await live?.release();
      return started;
    }
    this.session = session;
    return ok({ sessionId });
  }

  pause(): Result<void> {
    return this.session ? this.session.pause() : fail('RECORDING_NOT_RUNNING', 'There is no recording to pause.');
  }

  resume(): Result<void> {
    return this.session ? this.session.resume() : fail('RECORDING_NOT_RUNNING', 'There is no recording to resume.');
  }

  async stop(): Promise<Result<RecordingSummary>> {
    const session = this.session;
    if (!session) return fail('RECORDING_NOT_RUNNING', 'There is no recording to stop.');
    const summary = await session.stop();
    if (this.session === session) this.session = null;
    return summary;
  }
}
