import { readFileSync } from 'node:fs';
import { Tokenizer } from '@huggingface/tokenizers';

/**
 * Text → token ids for a transcription's initial prompt, the only text the engine encodes. The tokenizer is built
 * from tokenizer.json on first use: held from load, it and the parsed file kept ≈ 26 MB of small objects that every
 * full garbage collection of a decode had to visit, for a prompt most transcriptions never set.
 */
export class PromptTokenizer {
  private tokenizer: Tokenizer | null = null;

  constructor(private readonly tokenizerPath: string) {}

  encode(text: string): number[] {
    this.tokenizer ??= new Tokenizer(JSON.parse(readFileSync(this.tokenizerPath, 'utf8')) as object, {});
    return this.tokenizer.encode(text, { add_special_tokens: false }).ids;
  }
}
