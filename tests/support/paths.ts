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
/** Handcrafted DSP stand-ins for pyannote segmentation-3.0 and the embedding models (tools/models/gen_tiny_diarization.py). */
export const TINY_DIARIZATION = path.join(GENERATED_MODELS, 'tiny-diarization');
export const TINY_SEGMENTATION_MODEL = path.join(TINY_DIARIZATION, 'pyannote-segmentation-3.0/onnx/model.onnx');
export const TINY_EMBEDDING_MODEL = path.join(TINY_DIARIZATION, 'wespeaker-voxceleb-resnet34-LM/onnx/model.onnx');

/**
 * CI sets VERBATIM_REQUIRE_MODELS=1: the real-weight tests then fail when a model is missing instead of
 * skipping, so a CI machine without ../shared/models cannot pass by testing nothing real.
 */
export const REQUIRE_MODELS = process.env.VERBATIM_REQUIRE_MODELS === '1';

/** Real Whisper models CI provides under ../shared/models (see its README). */
export const REQUIRED_WHISPER_MODELS = ['whisper-base', 'whisper-tiny.en'] as const;

/** A real model folder under ../shared/models, when one has been provided. */
export function realModelDir(modelId: string): string | null {
  const dir = path.join(SHARED_MODELS, modelId);
  return existsSync(path.join(dir, 'config.json')) ? dir : null;
}

/** The real Whisper models present; with REQUIRE_MODELS a missing one throws (the test file then fails). */
export function realWhisperModels(): { modelId: string; dir: string }[] {
  const present = REQUIRED_WHISPER_MODELS.flatMap((modelId) => {
    const dir = realModelDir(modelId);
    return dir ? [{ modelId, dir }] : [];
  });
  const missing = REQUIRED_WHISPER_MODELS.filter((modelId) => !present.some((model) => model.modelId === modelId));
  if (REQUIRE_MODELS && missing.length > 0) {
    throw new Error(`VERBATIM_REQUIRE_MODELS=1 but ${missing.join(', ')} is missing from ${SHARED_MODELS}`);
  }
  return present;
}

/** The first real Whisper model present (multilingual base first); with REQUIRE_MODELS, one must be. */
export function anyRealWhisper(): { modelId: string; dir: string } | null {
  realWhisperModels();
  for (const modelId of [
    'whisper-base',
    'whisper-base.en',
    'whisper-tiny',
    'whisper-tiny.en',
    'whisper-small',
    'whisper-small.en',
    'whisper-large-v3-turbo',
  ]) {
    const dir = realModelDir(modelId);
    if (dir) return { modelId, dir };
  }
  return null;
}

/** Where ../shared/models keeps the real diarization models (segmentation-3.0 and CAM++, see its README). */
export const REAL_SEGMENTATION_MODEL = path.join(SHARED_MODELS, 'pyannote-segmentation-3.0/onnx/model.onnx');
export const REAL_EMBEDDING_MODEL = path.join(SHARED_MODELS, 'campplus-3dspeaker-zh_en-common/onnx/model.onnx');

/** The real diarization models, when both are present; with REQUIRE_MODELS a missing one throws. */
export function realDiarizationModels(): { segmentation: string; embedding: string } | null {
  const missing = [REAL_SEGMENTATION_MODEL, REAL_EMBEDDING_MODEL].filter((file) => !existsSync(file));
  if (REQUIRE_MODELS && missing.length > 0) throw new Error(`VERBATIM_REQUIRE_MODELS=1 but ${missing.join(', ')} is missing`);
  return missing.length === 0 ? { segmentation: REAL_SEGMENTATION_MODEL, embedding: REAL_EMBEDDING_MODEL } : null;
}
