/**
 * Whisper's vocabulary as the decoding loop needs it: the special token ids (read from tokenizer.json by
 * their text, so English-only and multilingual models both work) and token → UTF-8 bytes for byte-level
 * BPE, which word splitting needs (a Hangul or Han character is often split across two tokens).
 */

export interface SpecialTokens {
  eot: number;
  sot: number;
  sotPrev: number;
  sotLm: number | null;
  noSpeech: number | null;
  noTimestamps: number;
  timestampBegin: number;
  transcribe: number | null;
  translate: number | null;
  /** Language code ("en", "ko", …) → its token, in the model's order. */
  languages: ReadonlyMap<string, number>;
}

interface TokenizerJson {
  model: { vocab: Record<string, number> };
  added_tokens: { id: number; content: string }[];
}

/** GPT-2's reversible map between bytes and printable characters (byte-level BPE). */
function byteDecoder(): Map<string, number> {
  const printable: number[] = [];
  for (let b = '!'.charCodeAt(0); b <= '~'.charCodeAt(0); b += 1) printable.push(b);
  for (let b = '¡'.charCodeAt(0); b <= '¬'.charCodeAt(0); b += 1) printable.push(b);
  for (let b = '®'.charCodeAt(0); b <= 'ÿ'.charCodeAt(0); b += 1) printable.push(b);
  const map = new Map<string, number>();
  let extra = 0;
  for (let byte = 0; byte < 256; byte += 1) {
    if (printable.includes(byte)) map.set(String.fromCharCode(byte), byte);
    else {
      map.set(String.fromCharCode(256 + extra), byte);
      extra += 1;
    }
  }
  return map;
}

const LANGUAGE_TOKEN = /^<\|([a-z]{2,3}|haw|yue)\|>$/;

export class WhisperVocabulary {
  readonly special: SpecialTokens;
  /** Ids below this are text tokens (byte-level BPE); eot and everything after it is special or a timestamp. */
  readonly textTokenLimit: number;
  /**
   * Every token's bytes in one array, token t's at [byteOffsets[t], byteOffsets[t + 1]): two objects, where an
   * array per token made 100,000 (their buffers included) that every full garbage collection had to visit.
   */
  private readonly packedBytes: Uint8Array;
  private readonly byteOffsets: Int32Array;
  private readonly utf8 = new TextDecoder('utf-8', { fatal: false });

  constructor(json: TokenizerJson, vocabSize: number) {
    const bytesOf = byteDecoder();
    const texts = new Array<string>(vocabSize).fill('');
    for (const [text, id] of Object.entries(json.model.vocab)) if (id >= 0 && id < vocabSize) texts[id] = text;
    this.byteOffsets = new Int32Array(vocabSize + 1);
    // Byte-level BPE spells each byte as one character.
    texts.forEach((text, id) => (this.byteOffsets[id + 1] = (this.byteOffsets[id] as number) + [...text].length));
    this.packedBytes = new Uint8Array(this.byteOffsets[vocabSize] as number);
    texts.forEach((text, id) => {
      let at = this.byteOffsets[id] as number;
      for (const char of text) this.packedBytes[at++] = bytesOf.get(char) ?? 0x3f;
    });
    const byContent = new Map(json.added_tokens.map((token) => [token.content, token.id]));
    const required = (content: string): number => {
      const id = byContent.get(content);
      if (id === undefined) throw new Error(`tokenizer.json has no ${content} token`);
      return id;
    };
    const eot = required('<|endoftext|>');
    const noTimestamps = required('<|notimestamps|>');
    const languages = new Map<string, number>();
    for (const token of json.added_tokens) {
      const match = LANGUAGE_TOKEN.exec(token.content);
      if (match?.[1] !== undefined && token.id < noTimestamps) languages.set(match[1], token.id);
    }
    this.special = {
      eot,
      sot: required('<|startoftranscript|>'),
      sotPrev: required('<|startofprev|>'),
      sotLm: byContent.get('<|startoflm|>') ?? null,
      noSpeech: byContent.get('<|nospeech|>') ?? byContent.get('<|nocaptions|>') ?? null,
      noTimestamps,
      timestampBegin: byContent.get('<|0.00|>') ?? noTimestamps + 1,
      transcribe: byContent.get('<|transcribe|>') ?? null,
      translate: byContent.get('<|translate|>') ?? null,
      languages,
    };
    this.textTokenLimit = eot;
  }

  isTimestamp(token: number): boolean {
    return token >= this.special.timestampBegin;
  }

  /** Seconds a timestamp token stands for (Whisper's 20 ms grid). */
  timestampSeconds(token: number): number {
    return (token - this.special.timestampBegin) * 0.02;
  }

  /** The UTF-8 bytes of text tokens (special and timestamp tokens add nothing). */
  bytesOf(tokens: readonly number[]): Uint8Array {
    const isText = (token: number): boolean => token >= 0 && token < this.textTokenLimit && token < this.byteOffsets.length - 1;
    let length = 0;
    for (const token of tokens) if (isText(token)) length += (this.byteOffsets[token + 1] as number) - (this.byteOffsets[token] as number);
    const out = new Uint8Array(length);
    let at = 0;
    for (const token of tokens) {
      if (!isText(token)) continue;
      const end = this.byteOffsets[token + 1] as number;
      for (let from = this.byteOffsets[token] as number; from < end; from += 1) out[at++] = this.packedBytes[from] as number;
    }
    return out;
  }

  /** Text of the text tokens among `tokens` (special and timestamp tokens are skipped). */
  decode(tokens: readonly number[]): string {
    return this.utf8.decode(this.bytesOf(tokens));
  }
}
