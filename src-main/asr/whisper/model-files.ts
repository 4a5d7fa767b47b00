import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelDtype } from '../../models/catalog';

/** The parts of config.json the decoding loop reads. */
export interface WhisperArchitecture {
  d_model: number;
  decoder_layers: number;
  decoder_attention_heads: number;
  encoder_attention_heads: number;
  max_target_positions: number;
  max_source_positions: number;
  vocab_size: number;
  num_mel_bins: number;
  median_filter_width?: number;
}

/** The parts of generation_config.json the decoding loop reads. */
export interface WhisperGenerationConfig {
  alignment_heads?: [number, number][];
  suppress_tokens?: number[];
  begin_suppress_tokens?: number[];
  max_initial_timestamp_index?: number;
  is_multilingual?: boolean;
  lang_to_id?: Record<string, number>;
}

export interface WhisperModelFiles {
  architecture: WhisperArchitecture;
  generation: WhisperGenerationConfig;
  tokenizerJson: { model: { vocab: Record<string, number> }; added_tokens: { id: number; content: string }[] };
  preprocessor: Record<string, unknown>;
  tokenizerPath: string;
  encoderPath: string;
  decoderPath: string;
  multilingual: boolean;
}

const TOKENIZER_FILE = 'tokenizer.json';
const DTYPE_SUFFIX: Record<ModelDtype, string> = { fp32: '', fp16: '_fp16', q8: '_quantized', q4: '_q4' };

async function readJson<T>(path: string): Promise<T> {
  return JSON.parse(await readFile(path, 'utf8')) as T;
}

/** Reads a transformers.js-layout Whisper folder (configs, tokenizer) and names its ONNX files for `dtype`. */
export async function readWhisperModelFiles(dir: string, dtype: ModelDtype): Promise<WhisperModelFiles> {
  const [architecture, generation, tokenizerJson, preprocessor] = await Promise.all([
    readJson<WhisperArchitecture>(join(dir, 'config.json')),
    readJson<WhisperGenerationConfig>(join(dir, 'generation_config.json')),
    readJson<WhisperModelFiles['tokenizerJson']>(join(dir, TOKENIZER_FILE)),
    readJson<Record<string, unknown>>(join(dir, 'preprocessor_config.json')),
  ]);
  const suffix = DTYPE_SUFFIX[dtype];
  return {
    architecture,
    generation,
    tokenizerJson,
    preprocessor,
    tokenizerPath: join(dir, TOKENIZER_FILE),
    encoderPath: join(dir, 'onnx', `encoder_model${suffix}.onnx`),
    decoderPath: join(dir, 'onnx', `decoder_model_merged${suffix}.onnx`),
    multilingual: generation.is_multilingual ?? generation.lang_to_id !== undefined,
  };
}
