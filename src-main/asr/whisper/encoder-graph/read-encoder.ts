import { readRewrittenModel } from '../../../onnx/onnx-model';
import { signInt8Weights } from '../../../onnx/signed-weights';
import { acceptShorterContext } from './shorter-context';

/** The encoder at `path` with signed 8-bit weights, as bytes for onnxruntime; null when it has none to sign. */
export async function readSignedEncoder(path: string): Promise<Uint8Array | null> {
  return readRewrittenModel(path, signInt8Weights);
}

/**
 * The encoder at `path` rewritten to accept a shorter context (with signed 8-bit weights when `signWeights`), as
 * bytes for onnxruntime; null when it cannot take a shorter context.
 */
export async function readShorterContextEncoder(path: string, sourcePositions: number, signWeights: boolean): Promise<Uint8Array | null> {
  return readRewrittenModel(path, (model) => {
    if (!acceptShorterContext(model, sourcePositions)) return false;
    if (signWeights) signInt8Weights(model);
    return true;
  });
}
