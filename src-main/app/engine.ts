/**
 * The in-process engine: the real adapters for file transcription and recording chosen and joined (ffmpeg
 * decoder, Silero VAD, Whisper on onnxruntime-node, the model store, the capture backend, the crash-safe
 * WAV writer, the live ASR worker). src-main/app/ is the one folder where adapters are chosen; the CLI,
 * the transcriber child and (through services.ts) the Electron main process and the bridge start here.
 */
import { basename, join, resolve } from 'node:path';
import type { EngineInfo } from '../../src-shared/ipc-contract';
import type { TranscribeFileRequest, TranscribeProgress } from '../pipeline/transcribe-request';
import type { RecordingEvent } from '../../src-shared/recording-events';
import { fail, ok, type Result } from '../../src-shared/result';
import type { Transcript } from '../../src-shared/transcript';
import { planExecution, type ExecutionPreference } from '../onnx/execution-provider';
import { WarmRecognizer } from '../asr/warm-recognizer';
import { loadWhisperRecognizer } from '../asr/whisper-recognizer';
import { channelDecoder } from '../audio/channel-decoder';
import { FfmpegAudioDecoder } from '../audio/decoder';
import type { AudioProbeInfo } from '../audio/types';
import type { AudioDecoder } from '../audio/types';
import { DEFAULT_EMBEDDING_MODEL_ID, findInstalledDiarizationModel } from '../models/diarization-catalog';
import { DEFAULT_MODEL_ID, type ModelDtype } from '../models/catalog';
import { defaultUserModelsDir, resolveModel } from '../models/model-store';
import { createSpeechFinder, type SpeechFinder } from '../pipeline/find-speech';
import { transcribeFile } from '../pipeline/transcribe-file';
import type { CaptureBackend } from '../record/capture-types';
import { createEngineResampler } from '../record/capture/engine-resampler';
import { SystemCaptureBackend } from '../record/capture/system-capture-backend';
import { CrashSafeWavWriter, recoverInterruptedRecordings } from '../record/disk';
import { openChildTranscription } from '../record/live-asr-process/child-transcription';
import type { EngineChildLauncher } from '../util/engine-child/engine-child-process';
import { inProcessTranscription, Recorder, type LiveModels, type StartRecordingRequest } from '../record/recorder';
import { version } from '../../package.json';

/** The app's version, from package.json (inlined by the bundler; read by tsx and vitest). */
const ENGINE_VERSION: string = version;

export interface EngineOptions {
  /** Electron's userData folder; models go to `<userDataDir>/models` when given. */
  userDataDir?: string;
  modelsDir?: string | undefined;
  /** Extra folders searched for `<modelId>/` before downloading (e.g. a shared team folder). */
  extraModelDirs?: string[] | undefined;
  device?: ExecutionPreference | undefined;
  ffmpegPath?: string | undefined;
  ffprobePath?: string | undefined;
  /** Hub root for model downloads (a mirror); the Hugging Face hub by default. */
  hubUrl?: string | undefined;
  /** Where recordings are written (default `<userDataDir>/recordings`, or the user data folder's). */
  recordingsDir?: string | undefined;
  /** How the live transcription process starts: fork under Node (default); the Electron app passes its utilityProcess launcher. */
  childLauncher?: EngineChildLauncher | undefined;
  /** Test doubles for the parts that touch hardware or heavy models; the real ones otherwise. */
  adapters?: EngineAdapters;
}

export interface EngineAdapters {
  capture?: CaptureBackend;
  loadLiveModels?: (request: StartRecordingRequest) => Promise<Result<LiveModels>>;
}

interface ResolvedWhisper {
  modelId: string;
  dir: string;
  dtype: ModelDtype;
}

export interface EngineTranscribeRequest extends TranscribeFileRequest {
  /** A local model folder used instead of the catalog. */
  modelDir?: string | undefined;
  dtype?: ModelDtype | undefined;
  /** Transcribe this channel alone (0 = first) instead of the mix of all channels. */
  channel?: number | undefined;
}

export interface Engine {
  info(): Promise<Result<EngineInfo>>;
  /** Checks a file without decoding it (ffprobe and a short trial decode, within 5 s): the coded error of a bad input. */
  probe(path: string): Promise<Result<AudioProbeInfo>>;
  transcribeFile(
    request: EngineTranscribeRequest,
    onProgress?: (progress: TranscribeProgress) => void,
    signal?: AbortSignal,
  ): Promise<Result<Transcript>>;
  /** Live recording: one session at a time, events through `onRecordingEvent`. */
  recorder: Recorder;
  onRecordingEvent(listener: (event: RecordingEvent) => void): () => void;
  /** Stops a running recording (saving it), then disposes the warm model's ORT sessions and the VAD session. */
  dispose(): Promise<void>;
}

export function createEngine(options: EngineOptions = {}): Engine {
  const modelsDir = options.modelsDir ?? (options.userDataDir ? join(options.userDataDir, 'models') : defaultUserModelsDir());
  const device = options.device ?? 'auto';
  const decoder = FfmpegAudioDecoder.create({
    ffmpegPath: options.ffmpegPath || undefined,
    ffprobePath: options.ffprobePath || undefined,
  });
  const recordingsDir = options.recordingsDir ?? join(options.userDataDir ?? join(modelsDir, '..'), 'recordings');
  const recognizers = new WarmRecognizer();
  const speechFinder = decoder.ok ? createSpeechFinder(decoder.value) : null;
  // One channel of a file goes through a decoder that pans it out, with a speech finder of its own (made on
  // first use, kept warm like the mix's).
  const channelPipelines = new Map<number, { decoder: AudioDecoder; speech: SpeechFinder }>();
  function pipelineFor(channel: number | undefined): { decoder: AudioDecoder; speech: SpeechFinder } | null {
    if (!decoder.ok || speechFinder === null) return null;
    if (channel === undefined) return { decoder: decoder.value, speech: speechFinder };
    let pipeline = channelPipelines.get(channel);
    if (pipeline === undefined) {
      const panned = channelDecoder(decoder.value, channel);
      pipeline = { decoder: panned, speech: createSpeechFinder(panned) };
      channelPipelines.set(channel, pipeline);
    }
    return pipeline;
  }
  let queue: Promise<unknown> = Promise.resolve();

  function resolveWhisper(
    request: { modelId?: string | undefined; modelDir?: string | undefined; dtype?: ModelDtype | undefined },
    onPercent: (percent: number) => void,
    signal?: AbortSignal,
  ): Promise<Result<ResolvedWhisper>> {
    return resolveModel({
      modelId: request.modelId ?? (request.modelDir ? basename(request.modelDir) : DEFAULT_MODEL_ID),
      dtype: request.dtype ?? null,
      explicitDir: request.modelDir ?? null,
      searchDirs: [modelsDir, ...(options.extraModelDirs ?? [])],
      downloadDir: modelsDir,
      baseUrl: options.hubUrl || undefined,
      signal,
      onProgress: (download) => onPercent(download.totalBytes ? (100 * download.receivedBytes) / download.totalBytes : 0),
    });
  }

  const listeners = new Set<(event: RecordingEvent) => void>();
  const emit = (event: RecordingEvent): void => {
    for (const listener of listeners) listener(event);
  };
  const capture: CaptureBackend = options.adapters?.capture ?? new SystemCaptureBackend();
  const recorder = new Recorder({
    listDevices: () => capture.listDevices(),
    openSource: ({ deviceId, monitorDeviceId }) => {
      if (monitorDeviceId === null) return capture.open(deviceId);
      if (!capture.openWithMonitor)
        return Promise.resolve(fail('MONITOR_UNSUPPORTED', 'System-audio capture is not available on this platform.'));
      return capture.openWithMonitor(deviceId, monitorDeviceId, {
        onMonitorFault: (error) => emit({ type: 'error', error, fatal: false }),
      });
    },
    createSink: (sessionId, format) =>
      CrashSafeWavWriter.open({ dir: recordingsDir, name: recordingName(sessionId), format, sampleFormat: 's16' }),
    createResampler: createEngineResampler,
    openTranscription: options.adapters?.loadLiveModels
      ? inProcessTranscription(options.adapters.loadLiveModels, emit)
      : async (request) => {
          const model = await resolveWhisper(request, () => undefined);
          if (!model.ok) return model;
          const { modelId, dir, dtype } = model.value;
          // Inference runs in a child process: onnxruntime-node blocks the thread it runs on.
          const speakerModelPath = await findInstalledDiarizationModel(DEFAULT_EMBEDDING_MODEL_ID, [
            modelsDir,
            ...(options.extraModelDirs ?? []),
          ]);
          const config = {
            modelId,
            modelDir: dir,
            dtype,
            execution: device,
            language: request.language ?? null,
            task: request.task ?? 'transcribe',
            initialPrompt: request.prompt?.trim() ?? '',
            speakerModelPath,
          };
          const opened = await openChildTranscription(config, emit, options.childLauncher);
          return opened.ok ? ok({ ...opened.value, modelId }) : opened;
        },
    recover: async () => {
      const result = await recoverInterruptedRecordings(recordingsDir);
      for (const report of result.recordings) {
        if (report.status === 'failed' && report.error) emit({ type: 'error', error: report.error, fatal: false });
      }
      return result.recordings
        .filter((report) => report.status === 'recovered')
        .map((report) => ({
          paths: report.paths,
          seconds: report.seconds,
          detail: report.fixes.join('; ') || 'files were already consistent',
        }));
    },
    emit,
  });

  async function runTranscription(
    request: EngineTranscribeRequest,
    onProgress: (progress: TranscribeProgress) => void,
    signal?: AbortSignal,
  ): Promise<Result<Transcript>> {
    if (!decoder.ok || speechFinder === null)
      return decoder.ok ? fail('VAD_UNAVAILABLE', 'Voice activity detection could not start.') : decoder;
    const path = resolve(request.path);
    onProgress({ path, stage: 'probe', percent: 0 });
    // Bad input fails here, in well under 5 s, before any model is loaded.
    const probe = await decoder.value.probe(path);
    if (!probe.ok) return probe;
    const { channel } = request;
    if (channel !== undefined && !(Number.isInteger(channel) && channel >= 0 && channel < probe.value.channels)) {
      return fail('CHANNEL_NOT_FOUND', `${path} has ${probe.value.channels} channel(s); channel ${channel + 1} was asked for.`, path);
    }
    const pipeline = pipelineFor(channel)!;
    onProgress({ path, stage: 'load-model', percent: 0 });
    const model = await resolveWhisper(request, (percent) => onProgress({ path, stage: 'load-model', percent }), signal);
    if (!model.ok) return model;
    const { dir, dtype } = model.value;
    const recognizer = await recognizers.acquire(`${dir}|${dtype}|${device}`, () =>
      loadWhisperRecognizer({ modelId: model.value.modelId, modelDir: dir, dtype, execution: device }),
    );
    if (!recognizer.ok) return recognizer;
    return transcribeFile(
      probe.value,
      { decoder: pipeline.decoder, recognizer: recognizer.value, findSpeech: pipeline.speech.findSpeech },
      {
        language: request.language ?? null,
        task: request.task ?? 'transcribe',
        initialPrompt: request.prompt?.trim() || undefined,
        decoding: request.beamSize !== undefined ? { beamSize: request.beamSize } : undefined,
        signal,
        onProgress: (stage, percent, segments) => onProgress({ path, stage, percent, segments }),
      },
    );
  }

  return {
    info() {
      const loaded = recognizers.loaded;
      const plan = planExecution(device);
      return Promise.resolve(
        ok({
          version: ENGINE_VERSION,
          ffmpeg: decoder.ok ? { path: decoder.value.binaries.ffmpeg.path, source: decoder.value.binaries.ffmpeg.source } : null,
          executionProvider: loaded
            ? loaded.execution
            : { requested: device, active: plan.attempts[0] ?? 'cpu', fallbackReason: plan.skippedGpuReason },
          modelsDir,
          platform: process.platform,
        }),
      );
    },
    probe(path) {
      return decoder.ok ? decoder.value.probe(resolve(path)) : Promise.resolve(decoder);
    },
    transcribeFile(request, onProgress = () => undefined, signal) {
      // One transcription at a time: they share one warm model, and two would only halve each other's speed.
      const run = queue.then(() => runTranscription(request, onProgress, signal));
      queue = run.catch(() => undefined);
      return run;
    },
    recorder,
    onRecordingEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async dispose() {
      if (recorder.active) await recorder.stop();
      await queue;
      await recognizers.release();
      await speechFinder?.dispose();
      for (const pipeline of channelPipelines.values()) await pipeline.speech.dispose();
      channelPipelines.clear();
    },
  };
}

/** `recording-2026-11-22T10-40-30-1a2b3c4d`: sorts by time, readable, unique per session. */
function recordingName(sessionId: string, now = new Date()): string {
  return `recording-${now.toISOString().slice(0, 19).replace(/:/g, '-')}-${sessionId.slice(0, 8)}`;
}
