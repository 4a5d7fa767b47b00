/** Checks of what callers hand the library (it will arrive over IPC too, so types are checked at run time). */
import { MEETING_STATUSES, type MeetingStatus } from '../../src-shared/library';
import { fail, ok, type Result } from '../../src-shared/result';
import type { SpeakerTurn, Transcript, TranscriptSegment, TranscriptWord } from '../../src-shared/transcript';
import { HIT_CLOSE, HIT_OPEN } from './library-search';
import type { NewMeeting } from './library-store';
import type { InsertMeetingRow } from './meeting-rows';

const MAX_TITLE_CHARS = 500;
const SNIPPET_MARKERS = new RegExp(`[${HIT_OPEN}${HIT_CLOSE}]`, 'gu');

/** NFC (so searches match however the text was composed), without the characters that mark search hits. */
export function normalizeText(text: string): string {
  return text.normalize('NFC').replace(SNIPPET_MARKERS, '');
}

export function checkTitle(title: unknown): Result<string, 'INVALID_INPUT'> {
  if (typeof title !== 'string' || title.trim().length === 0) return fail('INVALID_INPUT', 'a meeting needs a non-blank title');
  if (title.length > MAX_TITLE_CHARS) return fail('INVALID_INPUT', `a title has at most ${MAX_TITLE_CHARS} characters`);
  return ok(normalizeText(title.trim()));
}

export function checkStatus(status: unknown): Result<MeetingStatus, 'INVALID_INPUT'> {
  const known = MEETING_STATUSES.find((candidate) => candidate === status);
  return known === undefined ? fail('INVALID_INPUT', `unknown meeting status "${String(status)}"`) : ok(known);
}

export function checkDuration(duration: unknown): Result<number | null, 'INVALID_INPUT'> {
  if (duration === null) return ok(null);
  if (typeof duration !== 'number' || !Number.isFinite(duration) || duration < 0) {
    const shown = typeof duration === 'number' ? String(duration) : (JSON.stringify(duration) ?? 'undefined');
    return fail('INVALID_INPUT', `a duration is a finite number of seconds ≥ 0, not ${shown}`);
  }
  return ok(duration);
}

export function checkOptionalText(field: string, value: unknown): Result<string | null, 'INVALID_INPUT'> {
  if (value === null) return ok(null);
  if (typeof value !== 'string') return fail('INVALID_INPUT', `${field} must be a string or null`);
  return ok(value);
}

export function checkDate(value: unknown): Result<string, 'INVALID_INPUT'> {
  const date = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : null;
  if (date === null || Number.isNaN(date.getTime())) return fail('INVALID_INPUT', `not a date: ${String(value)}`);
  return ok(date.toISOString());
}

export function checkMeetingId(id: unknown): Result<string, 'INVALID_INPUT'> {
  if (typeof id !== 'string' || id.length === 0 || id.length > 200)
    return fail('INVALID_INPUT', 'a meeting id is a string of 1 to 200 characters');
  return ok(id);
}

export function checkNewMeeting(meeting: NewMeeting, newId: () => string): Result<InsertMeetingRow, 'INVALID_INPUT'> {
  const id = checkMeetingId(meeting.id ?? newId());
  if (!id.ok) return id;
  const title = checkTitle(meeting.title);
  if (!title.ok) return title;
  const createdAt = checkDate(meeting.createdAt ?? new Date());
  if (!createdAt.ok) return createdAt;
  const duration = checkDuration(meeting.duration ?? null);
  if (!duration.ok) return duration;
  const status = checkStatus(meeting.status ?? 'queued');
  if (!status.ok) return status;
  const texts: Record<'sourceFile' | 'recordingPath' | 'language' | 'modelId', string | null> = {
    sourceFile: null,
    recordingPath: null,
    language: null,
    modelId: null,
  };
  for (const field of ['sourceFile', 'recordingPath', 'language', 'modelId'] as const) {
    const checked = checkOptionalText(field, meeting[field] ?? null);
    if (!checked.ok) return checked;
    texts[field] = checked.value;
  }
  return ok({ id: id.value, title: title.value, createdAt: createdAt.value, duration: duration.value, status: status.value, ...texts });
}

/** Rejects a transcript the store could only half-write (duplicate keys, times out of order), before writing anything. */
export function checkTranscript(transcript: Transcript): Result<void, 'INVALID_TRANSCRIPT'> {
  if (!Array.isArray(transcript.segments)) return fail('INVALID_TRANSCRIPT', 'a transcript has a segments array');
  if (!Number.isFinite(transcript.duration) || transcript.duration < 0)
    return fail('INVALID_TRANSCRIPT', 'the transcript duration is not a finite number ≥ 0');
  if (transcript.task !== 'transcribe' && transcript.task !== 'translate')
    return fail('INVALID_TRANSCRIPT', `unknown task "${String(transcript.task)}"`);
  if (typeof transcript.language !== 'string' || typeof transcript.modelId !== 'string')
    return fail('INVALID_TRANSCRIPT', 'a transcript names its language and model');
  const seen = new Set<number>();
  for (const segment of transcript.segments) {
    const problem = segmentProblem(segment) ?? (seen.has(segment.id) ? 'appears twice' : null);
    if (problem !== null) return fail('INVALID_TRANSCRIPT', `segment ${String(segment.id)} ${problem}`);
    seen.add(segment.id);
  }
  return ok(undefined);
}

export function checkSpeakerTurns(turns: readonly SpeakerTurn[]): Result<void, 'INVALID_TRANSCRIPT'> {
  // Checked as unknown: the turns come from outside (a child process), whatever their declared type.
  const candidate: unknown = turns;
  if (!Array.isArray(candidate)) return fail('INVALID_TRANSCRIPT', 'speaker turns are an array');
  for (const [index, turn] of turns.entries()) {
    if (!validSpan(turn.start, turn.end) || typeof turn.speaker !== 'string' || turn.speaker.trim() === '') {
      return fail('INVALID_TRANSCRIPT', `speaker turn ${index} needs finite times with end ≥ start ≥ 0 and a speaker label`);
    }
  }
  return ok(undefined);
}

function segmentProblem(segment: TranscriptSegment): string | null {
  if (!Number.isSafeInteger(segment.id) || segment.id < 0) return 'has an id that is not an integer ≥ 0';
  if (!validSpan(segment.start, segment.end)) return 'has times that are not finite with end ≥ start ≥ 0';
  if (typeof segment.text !== 'string') return 'has no text';
  if (segment.speaker !== null && typeof segment.speaker !== 'string') return 'has a speaker that is not a string or null';
  if (segment.words !== undefined && !segment.words.every(validWord)) return 'has a word with bad times or text';
  return null;
}

function validWord(word: TranscriptWord): boolean {
  const probability = word.probability;
  return validSpan(word.start, word.end) && typeof word.text === 'string' && (probability === undefined || Number.isFinite(probability));
}

function validSpan(start: number, end: number): boolean {
  return Number.isFinite(start) && Number.isFinite(end) && start >= 0 && end >= start;
}
