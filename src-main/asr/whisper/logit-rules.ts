/**
 * The logit filters of openai-whisper's decoding (decoding.py), applied in place to one row of logits before a
 * token is chosen: suppressed tokens, suppress_blank at the first position, and the timestamp rules.
 */

export interface TimestampRules {
  begin: number;
  /** Largest timestamp index allowed as the first token (openai: max_initial_timestamp 1.0 s = 50). */
  maxInitialIndex: number | null;
}

export interface LogitRules {
  eot: number;
  noTimestamps: number;
  /** Always impossible: the model's suppress list and the special tokens that are never sampled. */
  suppressed: Int32Array;
  /** Impossible as the first sampled token (" " and <|endoftext|>). */
  suppressedAtStart: Int32Array;
  /** null: decoding without timestamps (every timestamp token is suppressed). */
  timestamps: TimestampRules | null;
}

export interface LogitRulesConfig {
  vocabSize: number;
  eot: number;
  noTimestamps: number;
  timestampBegin: number;
  /** generation_config.suppress_tokens (openai's non-speech symbols, "-1"). */
  suppressTokens: readonly number[];
  /** generation_config.begin_suppress_tokens. */
  beginSuppressTokens: readonly number[];
  /** Special tokens between <|endoftext|> and the timestamps that must never be sampled. */
  specialTokens: readonly number[];
  withTimestamps: boolean;
  maxInitialTimestampIndex: number | null;
}

export function buildLogitRules(config: LogitRulesConfig): LogitRules {
  const suppressed = new Set<number>(config.suppressTokens.filter((token) => token >= 0 && token < config.vocabSize));
  for (const token of config.specialTokens) suppressed.add(token);
  suppressed.add(config.noTimestamps);
  suppressed.delete(config.eot);
  if (!config.withTimestamps) for (let token = config.timestampBegin; token < config.vocabSize; token += 1) suppressed.add(token);
  return {
    eot: config.eot,
    noTimestamps: config.noTimestamps,
    suppressed: Int32Array.from([...suppressed].sort((a, b) => a - b)),
    suppressedAtStart: Int32Array.from(config.beginSuppressTokens),
    timestamps: config.withTimestamps ? { begin: config.timestampBegin, maxInitialIndex: config.maxInitialTimestampIndex } : null,
  };
}

/** log Σ exp(row[from..to)) */
function logSumExp(row: Float32Array, from: number, to: number): number {
  let max = -Infinity;
  for (let i = from; i < to; i += 1) if ((row[i] as number) > max) max = row[i] as number;
  if (max === -Infinity) return -Infinity;
  let sum = 0;
  for (let i = from; i < to; i += 1) sum += Math.exp((row[i] as number) - max);
  return max + Math.log(sum);
}

function maxOf(row: Float32Array, from: number, to: number): number {
  let max = -Infinity;
  for (let i = from; i < to; i += 1) if ((row[i] as number) > max) max = row[i] as number;
  return max;
}

/**
 * Applies the rules to `row` (one decoder row's logits for the next token). `sampled` holds the tokens this row
 * has chosen so far in the window (after the prompt).
 */
export function applyLogitRules(row: Float32Array, sampled: readonly number[], rules: LogitRules): void {
  const vocab = row.length;
  if (sampled.length === 0) for (const token of rules.suppressedAtStart) row[token] = -Infinity;
  for (const token of rules.suppressed) row[token] = -Infinity;
  const timestamps = rules.timestamps;
  if (timestamps === null) return;
  const begin = timestamps.begin;

  const last = sampled.at(-1);
  const lastWasTimestamp = last !== undefined && last >= begin;
  const penultimate = sampled.at(-2);
  const penultimateWasTimestamp = sampled.length < 2 || (penultimate as number) >= begin;
  if (lastWasTimestamp) {
    // Timestamps come in pairs: after a pair, text; after a lone one, its partner or the end.
    if (penultimateWasTimestamp) row.fill(-Infinity, begin, vocab);
    else row.fill(-Infinity, 0, rules.eot);
  }
  // Timestamps never decrease, and a segment has a non-zero length.
  let lastTimestamp = -1;
  for (let i = sampled.length - 1; i >= 0; i -= 1) {
    if ((sampled[i] as number) >= begin) {
      lastTimestamp = sampled[i] as number;
      break;
    }
  }
  if (lastTimestamp >= 0) {
    const floor = lastWasTimestamp && !penultimateWasTimestamp ? lastTimestamp : lastTimestamp + 1;
    row.fill(-Infinity, begin, Math.min(floor, vocab));
  }
  if (sampled.length === 0) {
    // The window starts with a timestamp, no later than the initial limit.
    row.fill(-Infinity, 0, begin);
    if (timestamps.maxInitialIndex !== null) row.fill(-Infinity, Math.min(vocab, begin + timestamps.maxInitialIndex + 1), vocab);
  }
  // When the timestamps together are likelier than any text token, a timestamp it is.
  if (logSumExp(row, begin, vocab) > maxOf(row, 0, begin)) row.fill(-Infinity, 0, begin);
}

/** Terms more than this far below the maximum add less than e^-30 each: below float32 precision, skipped. */
const NEGLIGIBLE = 30;
const EXP_STEPS_PER_UNIT = 64;
/** e^-x at x = k / 64 for 0 ≤ x ≤ 30: interpolated, within 3.1e-5 of e^-x relative (h² / 8). */
const EXP_TABLE = Float64Array.from({ length: NEGLIGIBLE * EXP_STEPS_PER_UNIT + 2 }, (_, step) => Math.exp(-step / EXP_STEPS_PER_UNIT));

/**
 * log_softmax normaliser of a row: log Σ exp(row), summing only the terms that can matter. Each decoder row
 * (51,865 values) needs one; Math.exp on every value was the largest JS cost of a decoding step, so the
 * exponentials come from a table (the normaliser moves by at most 3.1e-5, far below what ranks beams).
 */
export function logNormalizer(row: Float32Array): number {
  let max = -Infinity;
  for (let i = 0; i < row.length; i += 1) if ((row[i] as number) > max) max = row[i] as number;
  return logNormalizerWithMax(row, max);
}

/** `logNormalizer` of a row whose largest value the caller already knows (its argmax or best beam candidate). */
export function logNormalizerWithMax(row: Float32Array, max: number): number {
  if (max === -Infinity) return -Infinity;
  let sum = 0;
  for (let i = 0; i < row.length; i += 1) {
    const below = (max - (row[i] as number)) * EXP_STEPS_PER_UNIT;
    if (below < NEGLIGIBLE * EXP_STEPS_PER_UNIT) {
      const step = below | 0;
      const low = EXP_TABLE[step] as number;
      sum += low + ((EXP_TABLE[step + 1] as number) - low) * (below - step);
    }
  }
  return max + Math.log(sum);
}
