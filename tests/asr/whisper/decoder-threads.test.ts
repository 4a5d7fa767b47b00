/**
 * The decoder on one intra-op thread (how files are transcribed, `workload: 'files'`) gives the logits it gives on
 * two, bit for bit, step after step: greedy and five rows as beam search runs them. The thread count is a CPU-time
 * setting only; it must never change a transcript.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { WhisperFeatures } from '../../../src-main/asr/whisper/fast-features';
import { readWhisperModelFiles } from '../../../src-main/asr/whisper/model-files';
import { WhisperSessions, type DecoderPass } from '../../../src-main/asr/whisper/sessions';
import { WhisperVocabulary } from '../../../src-main/asr/whisper/vocabulary';
import { decodeAll, realDecoder } from '../../audio/helpers';
import { realWhisperModels, SHARED_AUDIO, TINY_MULTILINGUAL } from '../../support/paths';

const STEPS = 24;

function argmax(logits: Float32Array, from: number, vocab: number): number {
  let best = from;
  for (let at = from + 1; at < from + vocab; at += 1) if ((logits[at] as number) > (logits[best] as number)) best = at;
  return best - from;
}

/** Steps `STEPS` tokens on one and on two decoder threads from the same window; how many steps' logits differed. */
async function differingSteps(dir: string, audio: Float32Array, rows: number): Promise<number> {
  const files = await readWhisperModelFiles(dir, 'q8');
  const load = (decoderThreads: number): Promise<WhisperSessions> =>
    WhisperSessions.load(files.encoderPath, files.decoderPath, files.architecture, { execution: 'cpu', threads: 2, decoderThreads });
  const [one, two] = await Promise.all([load(1), load(2)]);
  try {
    const features = new WhisperFeatures(files.preprocessor);
    const encoded = await two.encode(await features.logMel(audio), features.mels, features.frames);
    const sot = new WhisperVocabulary(files.tokenizerJson, files.architecture.vocab_size).special.sot;
    const [crossOne, crossTwo] = [await one.crossAttention(encoded, sot), await two.crossAttention(encoded, sot)];
    const prompt = [sot];
    const expand = (sessions: WhisperSessions, pass: DecoderPass): DecoderPass =>
      rows === 1 ? pass : { logits: pass.logits, cache: sessions.selectRows(pass.cache, Array<number>(rows).fill(0)) };
    let passOne = expand(one, await one.step([prompt], crossOne, null, [0]));
    let passTwo = expand(two, await two.step([prompt], crossTwo, null, [0]));
    let differing = Buffer.from(passOne.logits).equals(Buffer.from(passTwo.logits)) ? 0 : 1;
    for (let step = 0; step < STEPS; step += 1) {
      // Each row takes its own likeliest token (the rows start alike; what matters is a batch of five as beam search runs).
      const tokens = Array.from({ length: rows }, (_, row) => [argmax(passTwo.logits, row * two.vocabSize, two.vocabSize)]);
      passOne = await one.step(tokens, crossOne, passOne.cache, [0]);
      passTwo = await two.step(tokens, crossTwo, passTwo.cache, [0]);
      if (!Buffer.from(passOne.logits).equals(Buffer.from(passTwo.logits))) differing += 1;
    }
    return differing;
  } finally {
    await Promise.all([one.release(), two.release()]);
  }
}

describe('decoder threads', () => {
  it('one thread and two give the same logits (generated tiny model)', async () => {
    const noise = Float32Array.from({ length: 16_000 * 5 }, (_, at) => Math.sin(at * 0.05) * 0.3);
    expect(await differingSteps(TINY_MULTILINGUAL, noise, 1)).toBe(0);
  }, 60_000);

  for (const { modelId, dir } of realWhisperModels()) {
    it(`one thread and two give the same logits, greedy and five rows (real ${modelId}, jfk.wav)`, async () => {
      const jfk = await decodeAll(realDecoder(), path.join(SHARED_AUDIO, 'jfk.wav'));
      expect(await differingSteps(dir, jfk, 1)).toBe(0);
      expect(await differingSteps(dir, jfk, 5)).toBe(0);
    }, 180_000);
  }
});
