import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { segmentsFromTokens } from '../../../src-main/asr/whisper/timestamp-segments';
import { WhisperVocabulary } from '../../../src-main/asr/whisper/vocabulary';
import { TINY_MULTILINGUAL } from '../../support/paths';

const tokenizer = JSON.parse(readFileSync(path.join(TINY_MULTILINGUAL, 'tokenizer.json'), 'utf8')) as ConstructorParameters<
  typeof WhisperVocabulary
>[0];
const vocabulary = new WhisperVocabulary(tokenizer, 51865);
const ts = (seconds: number): number => vocabulary.special.timestampBegin + Math.round(seconds / 0.02);
const word = (text: string): number => tokenizer.model.vocab[text] as number;

describe('segments from timestamp tokens (openai transcribe.py)', () => {
  it('reads the special tokens of a multilingual model by their text', () => {
    expect(vocabulary.special).toMatchObject({
      eot: 50257,
      sot: 50258,
      sotPrev: 50361,
      noSpeech: 50362,
      noTimestamps: 50363,
      timestampBegin: 50364,
      transcribe: 50359,
      translate: 50358,
    });
    expect(vocabulary.special.languages.get('ko')).toBe(50264);
  });

  it('splits closed segments and resumes after the window when the model closed the last one', () => {
    const tokens = [ts(0), word('ĠHello'), ts(1.2), ts(1.6), word('Ġworld'), ts(2.4)];
    const parsed = segmentsFromTokens(tokens, vocabulary, 10);
    expect(parsed.segments.map((segment) => [segment.start, segment.end, segment.text])).toEqual([
      [0, 1.2, 'Hello'],
      [1.6, 2.4, 'world'],
    ]);
    expect(parsed.closed).toBe(true);
    expect(parsed.resumeAt).toBe(10);
  });

  it('drops an unfinished last segment and resumes where the last finished one ended, so the rest is heard whole', () => {
    const tokens = [ts(0), word('ĠHello'), ts(1.2), ts(28.4), word('Ġwor')];
    const parsed = segmentsFromTokens(tokens, vocabulary, 30);
    expect(parsed.segments.map((segment) => segment.text)).toEqual(['Hello']);
    expect(parsed.closed).toBe(false);
    expect(parsed.resumeAt).toBeCloseTo(1.2, 6);
  });

  it('makes one segment of a window without a timestamp pair, ended by its last timestamp', () => {
    const parsed = segmentsFromTokens([ts(0), word('ĠHello'), word('Ġworld'), ts(3)], vocabulary, 12);
    expect(parsed.segments).toHaveLength(1);
    expect(parsed.segments[0]).toMatchObject({ start: 0, end: 3, text: 'Hello world' });
    expect(parsed.resumeAt).toBe(12);
  });
});
