import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { parseTranscriptJson, renderJson } from '../../src-main/export/json';
import { FIXTURE } from './fixtures';

const schemaPath = fileURLToPath(new URL('../../src-main/export/transcript.schema.json', import.meta.url));
const validate = new Ajv({ allErrors: true, strict: true }).compile(JSON.parse(readFileSync(schemaPath, 'utf8')));

describe('renderJson / parseTranscriptJson', () => {
  const output = renderJson(FIXTURE);

  it('writes a versioned document that JSON.parse reads back to the same transcript', () => {
    const document = JSON.parse(output) as Record<string, unknown>;
    expect(document.format).toBe('verbatim-transcript');
    expect(document.version).toBe(1);
    const transcript = { ...document };
    delete transcript.format;
    delete transcript.version;
    expect(transcript).toEqual(FIXTURE);
  });

  it('is valid against transcript.schema.json (ajv)', () => {
    expect(validate(JSON.parse(output)), JSON.stringify(validate.errors)).toBe(true);
  });

  it('re-imports through parseTranscriptJson unchanged', () => {
    expect(parseTranscriptJson(output)).toEqual({ ok: true, value: FIXTURE });
    expect(parseTranscriptJson(`\uFEFF${output}`)).toEqual({ ok: true, value: FIXTURE });
  });

  it('carries each segment’s language and inaudible mark through the schema and back', () => {
    const marked = {
      ...FIXTURE,
      segments: [
        { ...(FIXTURE.segments[0] as (typeof FIXTURE.segments)[number]), language: 'ko' },
        { ...(FIXTURE.segments[1] as (typeof FIXTURE.segments)[number]), text: '[inaudible]', inaudible: true, words: [] },
      ],
    };
    const text = renderJson(marked);
    expect(validate(JSON.parse(text))).toBe(true);
    const back = parseTranscriptJson(text);
    expect(back.ok && back.value.segments.map((segment) => [segment.language ?? null, segment.inaudible ?? false])).toEqual([
      ['ko', false],
      [null, true],
    ]);
  });

  it('keeps Hangul and emoji as UTF-8 characters, not \\u escapes, with no BOM', () => {
    expect(output).toContain('"text": "안녕하세요, 회의를 시작하겠습니다."');
    expect(output).toContain('👩‍💻');
    expect(output.charCodeAt(0)).toBe(0x7b);
  });

  it('drops properties that are not part of the model', () => {
    const withExtra = { ...FIXTURE, secret: 'x', segments: [{ ...FIXTURE.segments[0], debug: true }] };
    const parsed = JSON.parse(renderJson(withExtra as typeof FIXTURE)) as Record<string, unknown>;
    expect(parsed.secret).toBeUndefined();
    expect((parsed.segments as Array<Record<string, unknown>>)[0]?.debug).toBeUndefined();
  });

  const base = JSON.parse(output) as Record<string, unknown>;
  const segment0 = (base.segments as unknown[])[0] as Record<string, unknown>;
  const invalid: Array<[string, unknown, string]> = [
    ['wrong format', { ...base, format: 'other' }, 'TRANSCRIPT_JSON_NOT_VERBATIM'],
    ['future version', { ...base, version: 2 }, 'TRANSCRIPT_JSON_VERSION_UNSUPPORTED'],
    ['missing language', { ...base, language: undefined }, 'TRANSCRIPT_JSON_INVALID'],
    ['bad task', { ...base, task: 'summarize' }, 'TRANSCRIPT_JSON_INVALID'],
    ['negative duration', { ...base, duration: -1 }, 'TRANSCRIPT_JSON_INVALID'],
    ['segments not an array', { ...base, segments: {} }, 'TRANSCRIPT_JSON_INVALID'],
    ['fractional id', { ...base, segments: [{ ...segment0, id: 1.5 }] }, 'TRANSCRIPT_JSON_INVALID'],
    ['missing speaker', { ...base, segments: [{ ...segment0, speaker: undefined }] }, 'TRANSCRIPT_JSON_INVALID'],
    ['numeric text', { ...base, segments: [{ ...segment0, text: 5 }] }, 'TRANSCRIPT_JSON_INVALID'],
    [
      'probability above 1',
      { ...base, segments: [{ ...segment0, words: [{ start: 0, end: 1, text: 'a', probability: 1.5 }] }] },
      'TRANSCRIPT_JSON_INVALID',
    ],
    ['words not an array', { ...base, segments: [{ ...segment0, words: 'a' }] }, 'TRANSCRIPT_JSON_INVALID'],
  ];

  it.each(invalid)('rejects %s, and so does the schema', (_name, document, code) => {
    const result = parseTranscriptJson(JSON.stringify(document));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe(code);
    expect(validate(JSON.parse(JSON.stringify(document)))).toBe(false);
  });

  it('reports malformed JSON as a syntax error value, never a throw', () => {
    const result = parseTranscriptJson('{"format": "verbatim-transcript",');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('TRANSCRIPT_JSON_SYNTAX');
    expect(parseTranscriptJson('null').ok).toBe(false);
    expect(parseTranscriptJson('[]').ok).toBe(false);
  });

  it('rejects times that overflow to Infinity', () => {
    const overflow = output.replace('"duration": 360012.5', '"duration": 1e400');
    expect(overflow).not.toBe(output);
    const result = parseTranscriptJson(overflow);
    expect(result.ok).toBe(false);
  });
});
