import { readFile } from 'node:fs/promises';
import { decodeOnnxModel, encodeOnnxModel, hasExternalData } from '../../../onnx/onnx-model';
import { selectLogitRows } from './logit-rows';
import { shareDecoderPrompt } from './shared-prompt';

/** A merged decoder rewritten for this engine's decoding loop, and which rewrites took. */
export interface RewrittenDecoder {
  bytes: Uint8Array;
  /** Rows share one copy of the prompt's self-attention (`shared_prompt.*` inputs). */
  sharesPrompt: boolean;
  /** Logits only for the positions `logit_rows` names. */
  selectsLogitRows: boolean;
}

/**
 * The merged decoder at `path` with the rewrites its graph allows, as bytes for onnxruntime; null when none
 * applies or the weights live in external files (the file is then loaded as it is).
 */
export async function readRewrittenDecoder(path: string, layers: number, maxPositions: number): Promise<RewrittenDecoder | null> {
  try {
    const model = decodeOnnxModel(await readFile(path));
    if (hasExternalData(model)) return null;
    const sharesPrompt = shareDecoderPrompt(model, layers, maxPositions);
    const selectsLogitRows = selectLogitRows(model);
    return sharesPrompt || selectsLogitRows ? { bytes: encodeOnnxModel(model), sharesPrompt, selectsLogitRows } : null;
  } catch {
    // Not a model these rewrites understand; onnxruntime reports a broken file when it loads it.
    return null;
  }
}
