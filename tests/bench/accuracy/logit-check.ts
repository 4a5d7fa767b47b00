/**
 * Checks that dequantised fp32 weights are the same network as the q8 ones: both models' logits on one real
 * input (jfk.wav, its reference text teacher-forced), through the first-step branch of the merged decoder
 * (the lone <|startoftranscript|>) and its cached branch (the whole prompt and text).
 */
import { Tokenizer } from '@huggingface/tokenizers';
import type { ModelDtype } from '../../../src-main/models/catalog';
import { WhisperFeatures } from '../../../src-main/asr/whisper/fast-features';
import { readWhisperModelFiles } from '../../../src-main/asr/whisper/model-files';
import { WhisperSessions } from '../../../src-main/asr/whisper/sessions';
import { WhisperVocabulary } from '../../../src-main/asr/whisper/vocabulary';

export interface LogitCheck {
  /** Positions compared (the start step plus every teacher-forced position). */
  positions: number;
  /** Share of positions whose most likely token is the same in both. */
  top1Agreement: number;
  maxAbsDiff: number;
  meanAbsDiff: number;
  /** Spread of the fp32 logits, for scale. */
  fp32LogitStd: number;
  /** Pearson correlation of all logits compared (the whole vocabulary: the unlikely tail dominates it). */
  correlation: number;
  /** Mean and largest KL(fp32 ‖ q8) of the next-token distributions, in nats: what decoding sees. */
  meanKl: number;
  maxKl: number;
  /** Mean log-probability of the reference tokens under each (teacher forcing). */
  referenceLogprob: { q8: number; fp32: number };
  ok: boolean;
}

async function logits(
  dir: string,
  dtype: ModelDtype,
  audio: Float32Array,
  text: string,
  threads: number,
): Promise<{ rows: Float32Array[]; targets: number[] }> {
  const files = await readWhisperModelFiles(dir, dtype);
  const vocabulary = new WhisperVocabulary(files.tokenizerJson, files.architecture.vocab_size);
  const tokenizer = new Tokenizer(files.tokenizerJson, {});
  const features = new WhisperFeatures(files.preprocessor);
  const sessions = await WhisperSessions.load(files.encoderPath, files.decoderPath, files.architecture, { execution: 'cpu', threads });
  try {
    const special = vocabulary.special;
    const prompt = [special.sot];
    if (files.multilingual) prompt.push(special.languages.get('en') as number, special.transcribe as number);
    prompt.push(special.noTimestamps);
    const textTokens = tokenizer.encode(` ${text}`, { add_special_tokens: false }).ids;
    const tokens = [...prompt, ...textTokens, special.eot];
    const encoded = await sessions.encode(await features.logMel(audio), features.mels, features.frames);
    const cross = await sessions.crossAttention(encoded, special.sot);
    const pass = await sessions.step([tokens.slice(0, -1)], cross, null);
    const vocab = sessions.vocabSize;
    const rows = [cross.startLogits.slice(0, vocab)];
    for (let index = prompt.length - 1; index < tokens.length - 1; index += 1)
      rows.push(pass.logits.slice(index * vocab, (index + 1) * vocab));
    return { rows, targets: tokens.slice(prompt.length) };
  } finally {
    await sessions.release();
  }
}

function argmax(row: Float32Array): number {
  let best = 0;
  for (let i = 1; i < row.length; i += 1) if ((row[i] as number) > (row[best] as number)) best = i;
  return best;
}

function logNormalizer(row: Float32Array): number {
  let max = -Infinity;
  for (const value of row) max = Math.max(max, value);
  let total = 0;
  for (const value of row) total += Math.exp(value - max);
  return max + Math.log(total);
}

function logprob(row: Float32Array, token: number): number {
  return (row[token] as number) - logNormalizer(row);
}

/** KL(p ‖ q) of the softmax distributions of two logit rows. */
function klDivergence(p: Float32Array, q: Float32Array): number {
  const zp = logNormalizer(p);
  const zq = logNormalizer(q);
  let kl = 0;
  for (let i = 0; i < p.length; i += 1) {
    const logP = (p[i] as number) - zp;
    kl += Math.exp(logP) * (logP - ((q[i] as number) - zq));
  }
  return kl;
}

export async function compareLogits(
  q8Dir: string,
  fp32Dir: string,
  audio: Float32Array,
  text: string,
  threads: number,
): Promise<LogitCheck> {
  const q8 = await logits(q8Dir, 'q8', audio, text, threads);
  const fp32 = await logits(fp32Dir, 'fp32', audio, text, threads);
  let agree = 0;
  let maxAbs = 0;
  let sumAbs = 0;
  let count = 0;
  let sumA = 0;
  let sumB = 0;
  let sumAA = 0;
  let sumBB = 0;
  let sumAB = 0;
  const kls: number[] = [];
  q8.rows.forEach((row, index) => {
    const other = fp32.rows[index] as Float32Array;
    if (argmax(row) === argmax(other)) agree += 1;
    kls.push(klDivergence(other, row));
    for (let i = 0; i < row.length; i += 1) {
      const a = row[i] as number;
      const b = other[i] as number;
      const diff = Math.abs(a - b);
      maxAbs = Math.max(maxAbs, diff);
      sumAbs += diff;
      sumA += a;
      sumB += b;
      sumAA += a * a;
      sumBB += b * b;
      sumAB += a * b;
      count += 1;
    }
  });
  const covariance = sumAB / count - (sumA / count) * (sumB / count);
  const stdA = Math.sqrt(sumAA / count - (sumA / count) ** 2);
  const stdB = Math.sqrt(sumBB / count - (sumB / count) ** 2);
  const meanLogprob = (set: typeof q8): number =>
    set.targets.reduce((total, token, index) => total + logprob(set.rows[index + 1] as Float32Array, token), 0) / set.targets.length;
  const top1Agreement = agree / q8.rows.length;
  const correlation = covariance / (stdA * stdB);
  const meanKl = kls.reduce((sum, kl) => sum + kl, 0) / kls.length;
  return {
    positions: q8.rows.length,
    top1Agreement,
    maxAbsDiff: maxAbs,
    meanAbsDiff: sumAbs / count,
    fp32LogitStd: stdB,
    correlation,
    meanKl,
    maxKl: Math.max(...kls),
    referenceLogprob: { q8: meanLogprob(q8), fp32: meanLogprob(fp32) },
    // The same network up to 8-bit rounding: the same choice at (almost) every step and next-token
    // distributions a small fraction of a nat apart. Raw logits differ by more (the per-tensor rounding of the
    // tied 51k-row output projection moves the unlikely tail), which decoding never sees.
    ok: top1Agreement >= 0.9 && meanKl <= 0.1,
  };
}
