import { encodeOnnxModel, readRewrittenModel } from '../../../onnx/onnx-model';
import { signInt8Weights } from '../../../onnx/signed-weights';
import type { WhisperArchitecture } from '../model-files';
import { selectLogitRows } from './logit-rows';
import { promoteCachedBranch } from './promoted-branch';
import { shareDecoderPrompt } from './shared-prompt';
import { stackCrossAttentionRows } from './stacked-cross-attention';
import { transposeCrossKeys } from './transposed-cross-keys';

/** A merged decoder rewritten for this engine's decoding loop, and which rewrites took. */
export interface RewrittenDecoder {
  bytes: Uint8Array;
  /** Rows share one copy of the prompt's self-attention (`shared_prompt.*` inputs). */
  sharesPrompt: boolean;
  /** Logits only for the positions `logit_rows` names. */
  selectsLogitRows: boolean;
  /** Rows read the window's cross-attention keys and values once per step (the cross-attention must have batch 1). */
  stacksCrossAttention: boolean;
  /**
   * The projector hands over each layer's cross-attention keys transposed and scaled ([1, heads, headDim,
   * frames]), which the decoder multiplies by the queries as they are.
   */
  transposesCrossKeys: boolean;
  /** 8-bit weights stored signed (the same products, on the CPU's u8·s8 instructions). */
  signsWeights: boolean;
  /**
   * The cross-attention projection split off as a model of its own (`encoder_hidden_states` → every
   * `present.N.encoder.*`), and the decoder reduced to its cached branch; null when the graph did not allow it.
   */
  projector: Uint8Array | null;
}

/**
 * The merged decoder at `path` with the rewrites its graph allows, as bytes for onnxruntime; null when none
 * applies, the weights live in external files or the file is no model these rewrites understand (it is then
 * loaded as it is).
 */
export async function readRewrittenDecoder(
  path: string,
  architecture: Pick<WhisperArchitecture, 'decoder_layers' | 'decoder_attention_heads' | 'd_model' | 'max_target_positions'>,
  signWeights: boolean,
): Promise<RewrittenDecoder | null> {
  const layers = architecture.decoder_layers;
  const heads = architecture.decoder_attention_heads;
  const taken = {
    sharesPrompt: false,
    selectsLogitRows: false,
    stacksCrossAttention: false,
    signsWeights: false,
    transposesCrossKeys: false,
  };
  let projector: Uint8Array | null = null;
  const bytes = await readRewrittenModel(path, (model) => {
    taken.sharesPrompt = shareDecoderPrompt(model, layers, architecture.max_target_positions);
    taken.selectsLogitRows = selectLogitRows(model);
    taken.stacksCrossAttention = stackCrossAttentionRows(model, layers, heads, architecture.d_model / heads);
    taken.signsWeights = signWeights && signInt8Weights(model);
    const projection = promoteCachedBranch(model);
    taken.transposesCrossKeys = projection !== null && transposeCrossKeys(model, projection, layers);
    projector = projection && encodeOnnxModel(projection);
    return projector !== null || Object.values(taken).some(Boolean);
  });
  return bytes === null ? null : { bytes, ...taken, projector };
}
