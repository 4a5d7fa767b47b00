/**
 * Choosing tokens from the decoder: greedy, sampling at a temperature (best of N) and beam search, following
 * openai-whisper's GreedyDecoder / BeamSearchDecoder (patience 1) and MaximumLikelihoodRanker (score divided by
 * length). Every row of a batch shares one window's cross-attention cache.
 */
import { applyLogitRules, logNormalizer, logNormalizerWithMax, type LogitRules } from './logit-rules';
import type { CrossAttentionCache, SelfAttentionCache, WhisperSessions } from './sessions';

export interface SearchOptions {
  /** 0: greedy or beam search; above 0: sampling. */
  temperature: number;
  /** Beams at temperature 0 (1 = greedy). */
  beamSize: number;
  /** Independent samples at a temperature above 0; the best is kept. */
  bestOf: number;
  /** Most tokens to sample after the prompt. */
  maxTokens: number;
  /** Uniform [0, 1) source for sampling (seeded by the caller, so runs repeat). */
  random: () => number;
  signal?: AbortSignal | undefined;
}

export interface SearchResult {
  /** Sampled tokens after the prompt, without <|endoftext|>. */
  tokens: number[];
  sumLogprob: number;
}

export interface SearchOutcome {
  best: SearchResult;
  /** Softmax probability of <|nospeech|> at <|startoftranscript|> (null when the model has no such token). */
  noSpeechProb: number | null;
  cancelled: boolean;
}

/** The decoder's pass over a window's prompt: the same for every temperature tried, so it is run once. */
export interface PromptPass {
  /** Logits of the prompt's last position (the first sampled token's). */
  lastRow: Float32Array;
  cache: SelfAttentionCache;
  noSpeechProb: number | null;
}

export interface SearchContext {
  sessions: WhisperSessions;
  cross: CrossAttentionCache;
  rules: LogitRules;
  prompt: readonly number[];
  /** Index of <|startoftranscript|> in the prompt, where the no-speech probability is read. */
  sotIndex: number;
  noSpeechToken: number | null;
}

interface Row {
  tokens: number[];
  sumLogprob: number;
  finished: boolean;
}

/** A view, not a copy: each step's logits are fresh, and the rules write into their own row only. */
function rowOf(logits: Float32Array, index: number, vocab: number): Float32Array {
  return logits.subarray(index * vocab, (index + 1) * vocab);
}

function softmaxAt(row: Float32Array, token: number): number {
  return Math.exp((row[token] as number) - logNormalizer(row));
}

/** openai's ranker with length_penalty None: the sum of log-probabilities over the number of tokens. */
export function rankScore(result: SearchResult): number {
  return result.sumLogprob / Math.max(1, result.tokens.length);
}

function argmax(row: Float32Array): number {
  let best = 0;
  for (let i = 1; i < row.length; i += 1) if ((row[i] as number) > (row[best] as number)) best = i;
  return best;
}

function sample(row: Float32Array, temperature: number, random: () => number): number {
  let max = -Infinity;
  for (const value of row) if (value > max) max = value;
  let total = 0;
  const weights = new Float64Array(row.length);
  for (let i = 0; i < row.length; i += 1) {
    const weight = Math.exp(((row[i] as number) - max) / temperature);
    weights[i] = weight;
    total += weight;
  }
  let threshold = random() * total;
  for (let i = 0; i < row.length; i += 1) {
    threshold -= weights[i] as number;
    if (threshold <= 0 && (weights[i] as number) > 0) return i;
  }
  return argmax(row);
}

/** The k largest entries of a row, best first (of equal values, the lower token first). */
export function topK(row: Float32Array, k: number): { token: number; value: number }[] {
  // Kept sorted in typed arrays by insertion; the value a new entry must beat (the k-th best so far) is the
  // loop's only test. Sorting an array of objects on every entry took four times as long (≈ 380 µs a row).
  const tokens = new Int32Array(k);
  const values = new Float64Array(k);
  let count = 0;
  let threshold = -Infinity;
  for (let token = 0; token < row.length; token += 1) {
    const value = row[token] as number;
    if (value <= threshold) continue;
    let at = count < k ? count++ : k - 1;
    while (at > 0 && (values[at - 1] as number) < value) {
      values[at] = values[at - 1] as number;
      tokens[at] = tokens[at - 1] as number;
      at -= 1;
    }
    values[at] = value;
    tokens[at] = token;
    if (count === k) threshold = values[k - 1] as number;
  }
  return Array.from({ length: count }, (_, index) => ({ token: tokens[index] as number, value: values[index] as number }));
}

/** Runs the decoder over the window's prompt (its self-attention cache, the first token's logits, no-speech). */
export async function passPrompt(context: SearchContext): Promise<PromptPass> {
  const { sessions, prompt } = context;
  const vocab = sessions.vocabSize;
  // Only two rows are read: <|startoftranscript|>'s (no-speech) and the last (the first token).
  const first = await sessions.step([prompt], context.cross, null, [context.sotIndex, prompt.length - 1]);
  return {
    lastRow: rowOf(first.logits, 1, vocab).slice(),
    cache: first.cache,
    noSpeechProb: context.noSpeechToken === null ? null : softmaxAt(rowOf(first.logits, 0, vocab), context.noSpeechToken),
  };
}

/** Decodes one window from its prompt's pass with the strategy the options pick. */
export async function searchTokens(context: SearchContext, promptPass: PromptPass, options: SearchOptions): Promise<SearchOutcome> {
  const outcome =
    options.temperature === 0 && options.beamSize > 1
      ? await beamSearch(context, options, promptPass.lastRow.slice(), promptPass.cache)
      : await sampleRows(context, options, promptPass.lastRow.slice(), promptPass.cache);
  return { ...outcome, noSpeechProb: promptPass.noSpeechProb };
}

async function sampleRows(
  context: SearchContext,
  options: SearchOptions,
  firstRow: Float32Array,
  promptCache: SelfAttentionCache,
): Promise<{ best: SearchResult; cancelled: boolean }> {
  const count = options.temperature === 0 ? 1 : Math.max(1, options.bestOf);
  const vocab = context.sessions.vocabSize;
  const rows: Row[] = Array.from({ length: count }, () => ({ tokens: [], sumLogprob: 0, finished: false }));
  let cache =
    count === 1
      ? promptCache
      : context.sessions.selectRows(
          promptCache,
          rows.map(() => 0),
        );
  let logits: Float32Array[] = rows.map(() => firstRow.slice());
  let cancelled = false;
  for (let step = 0; step < options.maxTokens; step += 1) {
    const next: number[] = [];
    rows.forEach((row, index) => {
      if (row.finished) {
        next.push(context.rules.eot);
        return;
      }
      const scores = logits[index] as Float32Array;
      applyLogitRules(scores, row.tokens, context.rules);
      const token = options.temperature === 0 ? argmax(scores) : sample(scores, options.temperature, options.random);
      // The argmax is the row's largest value: the normaliser need not look for it again.
      const normalizer = options.temperature === 0 ? logNormalizerWithMax(scores, scores[token] as number) : logNormalizer(scores);
      row.sumLogprob += (scores[token] as number) - normalizer;
      if (token === context.rules.eot) row.finished = true;
      else row.tokens.push(token);
      next.push(token);
    });
    if (rows.every((row) => row.finished) || step + 1 === options.maxTokens) break;
    if (options.signal?.aborted) {
      cancelled = true;
      break;
    }
    const pass = await context.sessions.step(
      next.map((token) => [token]),
      context.cross,
      cache,
    );
    cache = pass.cache;
    logits = rows.map((_, index) => rowOf(pass.logits, index, vocab));
  }
  const best = rows.reduce((a, b) => (rankScore(b) > rankScore(a) ? b : a));
  return { best: { tokens: best.tokens, sumLogprob: best.sumLogprob }, cancelled };
}

async function beamSearch(
  context: SearchContext,
  options: SearchOptions,
  firstRow: Float32Array,
  promptCache: SelfAttentionCache,
): Promise<{ best: SearchResult; cancelled: boolean }> {
  const beams = options.beamSize;
  const vocab = context.sessions.vocabSize;
  const eot = context.rules.eot;
  let alive: Row[] = [{ tokens: [], sumLogprob: 0, finished: false }];
  let cache = promptCache;
  let logits: Float32Array[] = [firstRow.slice()];
  const finished: SearchResult[] = [];
  let cancelled = false;
  for (let step = 0; step < options.maxTokens; step += 1) {
    const candidates: { source: number; token: number; score: number }[] = [];
    alive.forEach((row, index) => {
      const scores = logits[index] as Float32Array;
      applyLogitRules(scores, row.tokens, context.rules);
      const best = topK(scores, beams + 1);
      // The best candidate is the row's largest value: the normaliser need not look for it again.
      const normalizer = logNormalizerWithMax(scores, best[0]?.value ?? -Infinity);
      for (const { token, value } of best) candidates.push({ source: index, token, score: row.sumLogprob + value - normalizer });
    });
    candidates.sort((a, b) => b.score - a.score);
    const next: { source: number; token: number; score: number }[] = [];
    const newlyFinished: SearchResult[] = [];
    for (const candidate of candidates) {
      if (candidate.token === eot)
        newlyFinished.push({ tokens: (alive[candidate.source] as Row).tokens.slice(), sumLogprob: candidate.score });
      else next.push(candidate);
      if (next.length === beams) break;
    }
    for (const result of newlyFinished) if (finished.length < beams) finished.push(result);
    if (finished.length >= beams || next.length === 0) break;
    alive = next.map((candidate) => ({
      tokens: [...(alive[candidate.source] as Row).tokens, candidate.token],
      sumLogprob: candidate.score,
      finished: false,
    }));
    if (step + 1 === options.maxTokens) break;
    if (options.signal?.aborted) {
      cancelled = true;
      break;
    }
    const sources = next.map((candidate) => candidate.source);
    // The prompt's cache is shared by every temperature: copied, never reordered in place.
    const reordered =
      cache === promptCache ? context.sessions.selectRows(cache, sources) : context.sessions.reorderRowsInPlace(cache, sources);
    const pass = await context.sessions.step(
      next.map((candidate) => [candidate.token]),
      context.cross,
      reordered,
    );
    cache = pass.cache;
    logits = alive.map((_, index) => rowOf(pass.logits, index, vocab));
  }
  if (finished.length < beams) {
    // Not enough beams ended: the unfinished ones compete as they are (openai's finalize).
    for (const row of [...alive].sort((a, b) => b.sumLogprob - a.sumLogprob)) {
      if (finished.length >= beams) break;
      finished.push({ tokens: row.tokens, sumLogprob: row.sumLogprob });
    }
  }
  const best = finished.reduce((a, b) => (rankScore(b) > rankScore(a) ? b : a));
  return { best, cancelled };
}
