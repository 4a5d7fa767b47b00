import { readRewrittenModel, type OnnxModel } from '../../../onnx/onnx-model';
import { signInt8Weights } from '../../../onnx/signed-weights';
import type { WhisperArchitecture } from '../model-files';
import { fuseEncoderAttention } from './fused-attention';
import { acceptShorterContext } from './shorter-context';

export interface EncoderRewrites {
  architecture: Pick<WhisperArchitecture, 'encoder_layers' | 'encoder_attention_heads' | 'max_source_positions'>;
  /** Store 8-bit weights signed (only where the CPU multiplies u8·s8 exactly). */
  signWeights: boolean;
}

/** The rewrites that leave the encoder's context as it is: signed weights, fused attention. Whether any took. */
function rewriteKeepingContext(model: OnnxModel, { architecture, signWeights }: EncoderRewrites): boolean {
  const signed = signWeights && signInt8Weights(model);
  const { encoder_layers: layers, encoder_attention_heads: heads } = architecture;
  const fused = layers !== undefined && heads !== undefined && fuseEncoderAttention(model, layers, heads);
  return signed || fused;
}

/** The encoder at `path` with the rewrites its graph allows, as bytes for onnxruntime; null when none applies. */
export async function readRewrittenEncoder(path: string, rewrites: EncoderRewrites): Promise<Uint8Array | null> {
  return readRewrittenModel(path, (model) => rewriteKeepingContext(model, rewrites));
}

/** The encoder at `path` rewritten to accept a shorter context (and the rest as above); null when it cannot be. */
export async function readShorterContextEncoder(path: string, rewrites: EncoderRewrites): Promise<Uint8Array | null> {
  return readRewrittenModel(path, (model) => {
    if (!acceptShorterContext(model, rewrites.architecture.max_source_positions)) return false;
    rewriteKeepingContext(model, rewrites);
    return true;
  });
}
