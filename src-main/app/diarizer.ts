/**
 * Who spoke when in a whole file, as the transcriber child and `verbatim diarize` run it: ffmpeg decodes,
 * the catalog's segmentation and embedding models are found in the models folders (or downloaded and
 * verified) on each run, and run on the chosen device.
 */
import { ok, type Result } from '../../src-shared/result';
import { FfmpegAudioDecoder } from '../audio/decoder';
import type { AudioDecoder } from '../audio/types';
import { resolveDiarizationModels } from '../diarization/diarization-models';
import { OnnxFileDiarizer } from '../diarization/file-diarizer';
import type { DownloadProgress } from '../models/downloader';
import { defaultUserModelsDir } from '../models/model-store';
import type { ExecutionPreference } from '../onnx/execution-provider';

export interface FileDiarizerOptions {
  device: ExecutionPreference;
  /** Where models are searched first and downloaded to (default: the CLI's models folder). */
  modelsDir?: string | undefined;
  /** More folders searched for `<model id>/<file>`. */
  extraModelDirs?: string[] | undefined;
  /** Hub root for model downloads (a mirror); the Hugging Face hub by default. */
  hubUrl?: string | undefined;
  embeddingModelId?: string | undefined;
  ffmpegPath?: string | undefined;
  ffprobePath?: string | undefined;
  onDownload?: (progress: DownloadProgress & { modelId: string }) => void;
}

/** The decoder (for probing inputs first) and the diarizer built on it; the decoder's coded error when ffmpeg cannot be found. */
export function createFileDiarizer(options: FileDiarizerOptions): Result<{ decoder: AudioDecoder; diarizer: OnnxFileDiarizer }> {
  const decoder = FfmpegAudioDecoder.create({
    ffmpegPath: options.ffmpegPath || undefined,
    ffprobePath: options.ffprobePath || undefined,
  });
  if (!decoder.ok) return decoder;
  const modelsDir = options.modelsDir ?? defaultUserModelsDir();
  const diarizer = new OnnxFileDiarizer({
    decoder: decoder.value,
    device: options.device,
    models: (signal) =>
      resolveDiarizationModels({
        searchDirs: [modelsDir, ...(options.extraModelDirs ?? [])],
        downloadDir: modelsDir,
        embeddingModelId: options.embeddingModelId || undefined,
        baseUrl: options.hubUrl || undefined,
        signal,
        onProgress: options.onDownload,
      }),
  });
  return ok({ decoder: decoder.value, diarizer });
}
