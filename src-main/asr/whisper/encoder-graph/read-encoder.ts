import { readRewrittenModel, type OnnxModel } from '../../../onnx/onnx-model';
import { signInt8Weights } from '../../../onnx/signed-weights';
import type { WhisperArchitecture } from '../model-files';
import { chunkEncoderAttention } from './chunked-attention';
import { fuseGelu } from './fused-gelu';
import { acceptShorterContext } from './shorter-context';

type EncoderShape = Pick<WhisperArchitecture, 'encoder_attention_heads' | 'max_source_positions'>;

/** Attention in blocks of query rows, GELU in one operator, signed 8-bit weights when `signWeights`: whether any applied. */
function lighten(model: OnnxModel, shape: EncoderShape, signWeights: boolean): boolean {
  const chunked = chunkEncoderAttention(model, shape.encoder_attention_heads, shape.max_source_positions);
  const fused = fuseGelu(model);
  const signed = signWeights && signInt8Weights(model);
  return chunked || fused || signed;
}

/**
 * The encoder at `path` with its attention computed in blocks of query rows (a lower memory peak), its GELUs
 * fused and signed 8-bit weights when `signWeights` (the same outputs, bit for bit), as bytes for onnxruntime;
 * null when none applies.
 */
export async function readFullContextEncoder(path: string, shape: EncoderShape, signWeights: boolean): Promise<Uint8Array | null> {
  return readRewrittenModel(path, (model) => lighten(model, shape, signWeights));
}

/**
 * The encoder at `path` rewritten to accept a shorter context (attention in blocks, GELUs fused, signed 8-bit
 * weights when `signWeights`), as bytes for onnxruntime; null when it cannot take a shorter context.
 */
export async function readShorterContextEncoder(path: string, shape: EncoderShape, signWeights: boolean): Promise<Uint8Array | null> {
  return readRewrittenModel(path, (model) => {
    if (!acceptShorterContext(model, shape.max_source_positions)) return false;
    lighten(model, shape, signWeights);
    return true;
  });
}
