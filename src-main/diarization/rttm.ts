import { fail, ok, type Result } from '../../src-shared/result';
import type { SpeakerTurn } from './types';

export type RttmErrorCode = 'RTTM_MALFORMED_LINE' | 'RTTM_NEGATIVE_DURATION' | 'RTTM_MULTIPLE_FILES';

/**
 * NIST RTTM types other than SPEAKER. They carry no speaker turns, but files scored with md-eval
 * may contain them (SPKR-INFO above all), so they are skipped rather than rejected.
 */
const OTHER_RTTM_TYPES = new Set([
  'SEGMENT',
  'NOSCORE',
  'NO_RT_METADATA',
  'LEXEME',
  'NON-LEX',
  'NON-SPEECH',
  'FILLER',
  'EDIT',
  'IP',
  'CB',
  'A/P',
  'SU',
  'SPKR-INFO',
]);

// type, file, channel, onset, duration, orthography, subtype, name, confidence, signal lookahead.
// The last two are often left out by tools, so 8 to 10 fields are accepted.
const MIN_FIELDS = 8;
const MAX_FIELDS = 10;

/**
 * Reads the SPEAKER lines of an RTTM document. With `fileId`, only that file's turns are returned;
 * without it, the document must describe a single file. Turns come back in document order.
 */
export function parseRttm(text: string, fileId?: string): Result<SpeakerTurn[], RttmErrorCode> {
  const turns: SpeakerTurn[] = [];
  const fileIds = new Set<string>();
  for (const [index, rawLine] of text.split(/\r?\n/).entries()) {
    const lineNumber = index + 1;
    const line = rawLine.trim();
    if (line === '' || line.startsWith(';;')) continue;
    const fields = line.split(/\s+/);
    if (fields.length < MIN_FIELDS || fields.length > MAX_FIELDS) {
      return malformed(lineNumber, line, `has ${fields.length} fields, expected ${MIN_FIELDS} to ${MAX_FIELDS}`);
    }
    const [type = '', file = '', , onsetField = '', durationField = '', , , speaker = ''] = fields;
    if (OTHER_RTTM_TYPES.has(type)) continue;
    if (type !== 'SPEAKER') return malformed(lineNumber, line, `has unknown type "${type}"`);
    if (fileId !== undefined && file !== fileId) continue;
    const onset = parseSeconds(onsetField);
    const duration = parseSeconds(durationField);
    if (onset === undefined || onset < 0) return malformed(lineNumber, line, `has invalid onset "${onsetField}"`);
    if (duration === undefined) return malformed(lineNumber, line, `has invalid duration "${durationField}"`);
    if (duration < 0) {
      return fail('RTTM_NEGATIVE_DURATION', `RTTM line ${lineNumber} has negative duration ${durationField}`, line);
    }
    fileIds.add(file);
    turns.push({ start: onset, end: onset + duration, speaker });
  }
  if (fileIds.size > 1) {
    const names = [...fileIds].join(', ');
    return fail('RTTM_MULTIPLE_FILES', `RTTM describes several files (${names}); name the one to read`);
  }
  return ok(turns);
}

/**
 * Writes turns as RTTM SPEAKER lines sorted by onset, times to the millisecond. RTTM fields cannot
 * contain whitespace, so whitespace in the file id or a speaker name becomes "_".
 */
export function formatRttm(fileId: string, turns: readonly SpeakerTurn[]): string {
  const file = rttmField(fileId);
  const sorted = [...turns].sort((a, b) => a.start - b.start || a.end - b.end || a.speaker.localeCompare(b.speaker));
  return sorted
    .map((turn) => {
      // Rounding both ends first keeps onset + duration equal to the rounded end when read back.
      const startMs = Math.round(turn.start * 1000);
      const durationMs = Math.max(0, Math.round(turn.end * 1000) - startMs);
      const onset = (startMs / 1000).toFixed(3);
      const duration = (durationMs / 1000).toFixed(3);
      return `SPEAKER ${file} 1 ${onset} ${duration} <NA> <NA> ${rttmField(turn.speaker)} <NA> <NA>\n`;
    })
    .join('');
}

function parseSeconds(field: string): number | undefined {
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(field)) return undefined;
  const value = Number(field);
  return Number.isFinite(value) ? value : undefined;
}

function rttmField(value: string): string {
  const field = value.trim().replace(/\s+/g, '_');
  return field === '' ? '<NA>' : field;
}

function malformed(lineNumber: number, line: string, problem: string): Result<never, RttmErrorCode> {
  return fail('RTTM_MALFORMED_LINE', `RTTM line ${lineNumber} ${problem}`, line);
}
