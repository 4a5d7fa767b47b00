import { errorMessage } from '../../src-shared/errors';
import { fail, ok, type Result } from '../../src-shared/result';
import type { AsrTask, Transcript, TranscriptSegment, TranscriptWord } from '../../src-shared/transcript';

export const TRANSCRIPT_JSON_FORMAT = 'verbatim-transcript';
export const TRANSCRIPT_JSON_VERSION = 1;

export type TranscriptJsonErrorCode =
  'TRANSCRIPT_JSON_SYNTAX' | 'TRANSCRIPT_JSON_NOT_VERBATIM' | 'TRANSCRIPT_JSON_VERSION_UNSUPPORTED' | 'TRANSCRIPT_JSON_INVALID';

/**
 * The lossless format: `{ format, version, ...Transcript }`, pretty-printed UTF-8. Takes no export
 * options: re-importing must give back the whole transcript, speakers and all.
 */
export function renderJson(transcript: Transcript): string {
  const document = {
    format: TRANSCRIPT_JSON_FORMAT,
    version: TRANSCRIPT_JSON_VERSION,
    ...copyTranscript(transcript),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/**
 * Validates a JSON export (the same rules as transcript.schema.json) and returns the transcript in it.
 * Unknown extra properties are ignored so that later additive changes stay readable as version 1.
 */
export function parseTranscriptJson(text: string): Result<Transcript, TranscriptJsonErrorCode> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.startsWith('\uFEFF') ? text.slice(1) : text);
  } catch (error) {
    return fail('TRANSCRIPT_JSON_SYNTAX', `Not valid JSON: ${errorMessage(error)}`);
  }
  if (!isRecord(parsed) || parsed.format !== TRANSCRIPT_JSON_FORMAT) {
    return fail('TRANSCRIPT_JSON_NOT_VERBATIM', `Not a transcript export: "format" must be "${TRANSCRIPT_JSON_FORMAT}".`);
  }
  if (parsed.version !== TRANSCRIPT_JSON_VERSION) {
    return fail(
      'TRANSCRIPT_JSON_VERSION_UNSUPPORTED',
      `Transcript version ${JSON.stringify(parsed.version)} is not supported (expected ${TRANSCRIPT_JSON_VERSION}).`,
    );
  }
  const problems: string[] = [];
  const transcript = readTranscript(parsed, problems);
  if (problems.length > 0 || transcript === null) {
    return fail('TRANSCRIPT_JSON_INVALID', `Invalid transcript: ${problems.slice(0, 5).join('; ')}`);
  }
  return ok(transcript);
}

function readTranscript(value: Record<string, unknown>, problems: string[]): Transcript | null {
  const source = readString(value, 'source', '', problems);
  const language = readString(value, 'language', '', problems);
  const modelId = readString(value, 'modelId', '', problems);
  const task = value.task;
  if (task !== 'transcribe' && task !== 'translate') problems.push('/task must be "transcribe" or "translate"');
  const duration = readTime(value, 'duration', '', problems);
  if (!Array.isArray(value.segments)) {
    problems.push('/segments must be an array');
    return null;
  }
  const segments = value.segments.map((segment, index) => readSegment(segment, `/segments/${index}`, problems));
  if (problems.length > 0) return null;
  return { source, language, modelId, task: task as AsrTask, duration, segments: segments as TranscriptSegment[] };
}

function readSegment(value: unknown, path: string, problems: string[]): TranscriptSegment | null {
  if (!isRecord(value)) {
    problems.push(`${path} must be an object`);
    return null;
  }
  const id = value.id;
  if (typeof id !== 'number' || !Number.isInteger(id)) problems.push(`${path}/id must be an integer`);
  const start = readTime(value, 'start', path, problems);
  const end = readTime(value, 'end', path, problems);
  const text = readString(value, 'text', path, problems);
  const speaker = value.speaker;
  if (speaker !== null && typeof speaker !== 'string') problems.push(`${path}/speaker must be a string or null`);
  const segment: TranscriptSegment = { id: id as number, start, end, text, speaker: speaker as string | null };
  if (value.language !== undefined) {
    if (typeof value.language === 'string') segment.language = value.language;
    else problems.push(`${path}/language must be a string`);
  }
  if (value.inaudible !== undefined) {
    if (typeof value.inaudible === 'boolean') segment.inaudible = value.inaudible;
    else problems.push(`${path}/inaudible must be a boolean`);
  }
  if (value.words !== undefined) {
    if (!Array.isArray(value.words)) problems.push(`${path}/words must be an array`);
    else segment.words = value.words.map((word, index) => readWord(word, `${path}/words/${index}`, problems));
  }
  return segment;
}

function readWord(value: unknown, path: string, problems: string[]): TranscriptWord {
  if (!isRecord(value)) {
    problems.push(`${path} must be an object`);
    return { start: 0, end: 0, text: '' };
  }
  const word: TranscriptWord = {
    start: readTime(value, 'start', path, problems),
    end: readTime(value, 'end', path, problems),
    text: readString(value, 'text', path, problems),
  };
  if (value.probability !== undefined) {
    const probability = value.probability;
    if (typeof probability !== 'number' || !(probability >= 0 && probability <= 1)) {
      problems.push(`${path}/probability must be a number in [0, 1]`);
    } else {
      word.probability = probability;
    }
  }
  return word;
}

function readString(value: Record<string, unknown>, key: string, path: string, problems: string[]): string {
  const field = value[key];
  if (typeof field === 'string') return field;
  problems.push(`${path}/${key} must be a string`);
  return '';
}

/** Times are finite seconds ≥ 0 (JSON.parse turns an overflowing literal like 1e400 into Infinity). */
function readTime(value: Record<string, unknown>, key: string, path: string, problems: string[]): number {
  const field = value[key];
  if (typeof field === 'number' && Number.isFinite(field) && field >= 0) return field;
  problems.push(`${path}/${key} must be a number ≥ 0`);
  return 0;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Known fields only, in a stable order, so stray runtime properties never leak into files. */
function copyTranscript(transcript: Transcript): Transcript {
  return {
    source: transcript.source,
    language: transcript.language,
    modelId: transcript.modelId,
    task: transcript.task,
    duration: transcript.duration,
    segments: transcript.segments.map((segment) => {
      const copy: TranscriptSegment = {
        id: segment.id,
        start: segment.start,
        end: segment.end,
        text: segment.text,
        speaker: segment.speaker,
      };
      if (segment.language !== undefined) copy.language = segment.language;
      if (segment.inaudible !== undefined) copy.inaudible = segment.inaudible;
      if (segment.words !== undefined) {
        copy.words = segment.words.map((word) => {
          const wordCopy: TranscriptWord = { start: word.start, end: word.end, text: word.text };
          if (word.probability !== undefined) wordCopy.probability = word.probability;
          return wordCopy;
        });
      }
      return copy;
    }),
  };
}
