import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SHARED_AUDIO = process.env.VERBATIM_SHARED_AUDIO ?? path.resolve(REPO_ROOT, '../shared/audio');
export const SHARED_MODELS = process.env.VERBATIM_SHARED_MODELS ?? path.resolve(REPO_ROOT, '../shared/models');
/** Generated tiny random-weight models (tests/setup/global-setup.ts writes them). */
export const GENERATED_MODELS = path.resolve(REPO_ROOT, '.cache/models');
export const TINY_MULTILINGUAL = path.join(GENERATED_MODELS, 'tiny-random-whisper');
export const TINY_ENGLISH = path.join(GENERATED_MODELS, 'tiny-random-whisper.en');
/** Random weights with whisper-tiny's shapes (39 M parameters, 154 MB): big enough to see memory come and go. */
export const TINY_SIZED = path.join(GENERATED_MODELS, 'random-whisper-tiny-shape');
/** Handcrafted DSP stand-ins for pyannote segmentation-3.0 and WeSpeaker ResNet34 (tools/models/gen_tiny_diarization.py). */
export const TINY_DIARIZATION = path.join(GENERATED_MODELS, 'tiny-diarization');
export const TINY_SEGMENTATION_MODEL = path.join(TINY_DIARIZATION, 'pyannote-segmentation-3.0/onnx/model.onnx');
export const TINY_EMBEDDING_MODEL = path.join(TINY_DIARIZATION, 'wespeaker-voxceleb-resnet34-LM/onnx/model.onnx');

/** A real model folder under ../shared/models, when one has been provided. */
export function realModelDir(modelId: string): string | null {
  const dir = path.join(SHARED_MODELS, modelId);
  return existsSync(path.join(dir, 'config.json')) ? dir : null;
}

/** The first real Whisper model present, smallest first. */
export function anyRealWhisper(): { modelId: string; dir: string } | null {
  for (const modelId of ['whisper-base', 'whisper-base.en', 'whisper-tiny', 'whisper-tiny.en', 'whisper-small', 'whisper-small.en', 'whisper-large-v3-turbo']) {
    const dir = realModelDir(modelId);
    if (dir) return { modelId, dir };
  }
  return null;
}

/** The real diarization models under ../shared/models, when both have been provided. */
export function realDiarizationModels(): { segmentation: string; embedding: string } | null {
  const segmentation = path.join(SHARED_MODELS, 'pyannote-segmentation-3.0/onnx/model.onnx');
  const embedding = path.join(SHARED_MODELS, 'wespeaker-voxceleb-resnet34-LM/onnx/model.onnx');
  return existsSync(segmentation) && existsSync(embedding) ? { segmentation, embedding } : null;
}
