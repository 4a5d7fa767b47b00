/**
 * The one place where real adapters are chosen and joined: ffmpeg decoder, Silero VAD, Whisper on
 * onnxruntime-node, the model store. The CLI and the Electron main process both start here.
 */
import { basename, join, resolve } from 'node:path';
import type { EngineInfo, TranscribeFileRequest, TranscribeProgress } from '../src-shared/ipc-contract';
import { fail, ok, type Result } from '../src-shared/result';
import type { Transcript } from '../src-shared/transcript';
import { planExecution, type ExecutionPreference } from './asr/execution-provider';
import { WarmRecognizer } from './asr/warm-recognizer';
import { loadWhisperRecognizer } from './asr/whisper-recognizer';
import { FfmpegAudioDecoder } from './audio/decoder';
import { DEFAULT_MODEL_ID, type ModelDtype } from './models/catalog';
import { defaultUserModelsDir, resolveModel } from './models/model-store';
import { createSpeechFinder } from './pipeline/find-speech';
import { transcribeFile } from './pipeline/transcribe-file';

export const ENGINE_VERSION = '0.1.0';

export interface EngineOptions {
  /** Electron's userData folder; models go to `<userDataDir>/models` when given. */
  userDataDir?: string;
  modelsDir?: string;
  /** Extra folders searched for `<modelId>/` before downloading (e.g. a shared team folder). */
  extraModelDirs?: string[];
  device?: ExecutionPreference;
  ffmpegPath?: string;
  ffprobePath?: string;
  /** Hub root for model downloads (a mirror); the Hugging Face hub by default. */
  hubUrl?: string;
}

export interface EngineTranscribeRequest extends TranscribeFileRequest {
  /** A local model folder used instead of the catalog. */
  modelDir?: string;
  dtype?: ModelDtype;
}

export interface Engine {
  info(): Promise<Result<EngineInfo>>;
  transcribeFile(request: EngineTranscribeRequest, onProgress?: (progress: TranscribeProgress) => void, signal?: AbortSignal): Promise<Result<Transcript>>;
  /** Disposes the warm model's ORT sessions and the VAD session. */
  dispose(): Promise<void>;
}

export function createEngine(options: EngineOptions = {}): Engine {
  const modelsDir = options.modelsDir ?? (options.userDataDir ? join(options.userDataDir, 'models') : defaultUserModelsDir());
  const device = options.device ?? 'auto';
  const decoder = FfmpegAudioDecoder.create({
    ...(options.ffmpegPath ? { ffmpegPath: options.ffmpegPath } : {}),
    ...(options.ffprobePath ? { ffprobePath: options.ffprobePath } : {}),
  });
  const recognizers = new WarmRecognizer();
  const speechFinder = decoder.ok ? createSpeechFinder(decoder.value) : null;
  let queue: Promise<unknown> = Promise.resolve();

  async function runTranscription(
    request: EngineTranscribeRequest,
    onProgress: (progress: TranscribeProgress) => void,
    signal?: AbortSignal,
  ): Promise<Result<Transcript>> {
    if (!decoder.ok || speechFinder === null) return decoder.ok ? fail('VAD_UNAVAILABLE', 'Voice activity detection could not start.') : decoder;
    const path = resolve(request.path);
    onProgress({ path, stage: 'probe', percent: 0 });
    // Bad input fails here, in well under 5 s, before any model is loaded.
    const probe = await decoder.value.probe(path);
    if (!probe.ok) return probe;
    const modelId = request.modelId ?? (request.modelDir ? basename(request.modelDir) : DEFAULT_MODEL_ID);
    onProgress({ path, stage: 'load-model', percent: 0 });
    const model = await resolveModel({
      modelId,
      dtype: request.dtype ?? null,
      explicitDir: request.modelDir ?? null,
      searchDirs: [modelsDir, ...(options.extraModelDirs ?? [])],
      downloadDir: modelsDir,
      ...(options.hubUrl ? { baseUrl: options.hubUrl } : {}),
      ...(signal ? { signal } : {}),
      onProgress: (download) =>
        onProgress({ path, stage: 'load-model', percent: download.totalBytes ? (100 * download.receivedBytes) / download.totalBytes : 0 }),
    });
    if (!model.ok) return model;
    const { dir, dtype } = model.value;
    const recognizer = await recognizers.acquire(`${dir}|${dtype}|${device}`, () =>
      loadWhisperRecognizer({ modelId: model.value.modelId, modelDir: dir, dtype, execution: device }),
    );
    if (!recognizer.ok) return recognizer;
    return transcribeFile(
      probe.value,
      { decoder: decoder.value, recognizer: recognizer.value, findSpeech: speechFinder.findSpeech },
      {
        language: request.language ?? null,
        task: request.task ?? 'transcribe',
        ...(signal ? { signal } : {}),
        onProgress: (stage, percent) => onProgress({ path, stage, percent }),
      },
    );
  }

  return {
    async info() {
      const loaded = recognizers.loaded;
      const plan = planExecution(device);
      return ok({
        version: ENGINE_VERSION,
        ffmpeg: decoder.ok ? { path: decoder.value.binaries.ffmpeg.path, source: decoder.value.binaries.ffmpeg.source } : null,
        executionProvider: loaded
          ? loaded.execution
          : { requested: device, active: plan.attempts[0] ?? 'cpu', fallbackReason: plan.skippedGpuReason },
        modelsDir,
      });
    },
    transcribeFile(request, onProgress = () => undefined, signal) {
      // One transcription at a time: they share one warm model, and two would only halve each other's speed.
      const run = queue.then(() => runTranscription(request, onProgress, signal));
      queue = run.catch(() => undefined);
      return run;
    },
    async dispose() {
      await queue;
      await recognizers.release();
      await speechFinder?.dispose();
    },
  };
}
