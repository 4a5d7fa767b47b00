/** The meeting library on SQLite (better-sqlite3): one connection, every write one transaction. */
import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { LibraryErrorCode, MeetingSummary, SearchHit, Speaker } from '../../src-shared/library';
import { fail, ok, type CodedError, type Result } from '../../src-shared/result';
import type { SpeakerTurn, Transcript, TranscriptSegment } from '../../src-shared/transcript';
import type {
  LibraryResult,
  LibraryStore,
  ListMeetingsOptions,
  MeetingUpdate,
  NewMeeting,
  PreviousTranscript,
  ReplaceTranscriptOptions,
  SearchOptions,
} from './library-store';
import { carryEdits } from './carry-edits';
import {
  previousTranscriptInfo,
  readPreviousTranscript,
  restoreSpeakerNames,
  snapshotOf,
  writePreviousTranscript,
} from './previous-transcript-rows';
import { DEFAULT_SEARCH_LIMIT, MAX_SEARCH_LIMIT, searchSegments } from './library-search';
import {
  checkDuration,
  checkNewMeeting,
  checkOptionalText,
  checkSpeakerTurns,
  checkStatus,
  checkTitle,
  checkTranscript,
  normalizeText,
} from './library-validation';
import { readSpeakerTurns, writeSpeakerTurns } from './speaker-turn-rows';
import {
  insertMeeting,
  selectMeeting,
  selectMeetings,
  selectSpeakerByLabel,
  selectSpeakers,
  setSpeakerName,
  toSummary,
  updateMeetingColumns,
  type UpdatableField,
} from './meeting-rows';
import { openLibraryDatabase, reasonOf, type OpenLibraryOptions } from './open-library-database';
import {
  nextSpeakerLabel,
  readSegments,
  relabelSpeaker,
  updateSegmentSpeaker,
  updateSegmentText,
  writeTranscriptRows,
} from './transcript-rows';

const DEFAULT_LIST_LIMIT = 200;

/** Opens the library in `dir` (the app's user-data folder), creating and migrating it as needed. */
export function openLibrary(dir: string, options?: OpenLibraryOptions): LibraryResult<SqliteLibraryStore> {
  const opened = openLibraryDatabase(dir, options);
  return opened.ok ? ok(new SqliteLibraryStore(opened.value)) : opened;
}

/** A failure found inside a transaction: thrown to roll it back, turned back into a value outside. */
class Abort extends Error {
  constructor(readonly failure: { ok: false; error: CodedError<LibraryErrorCode> }) {
    super(failure.error.message);
  }
}

export class SqliteLibraryStore implements LibraryStore {
  /** Takes a configured, migrated connection (see openLibraryDatabase) and owns it from then on. */
  constructor(private readonly db: Database) {}

  createMeeting(meeting: NewMeeting): LibraryResult<MeetingSummary> {
    const checked = checkNewMeeting(meeting, randomUUID);
    if (!checked.ok) return checked;
    const row = checked.value;
    return this.write(() => {
      if (selectMeeting(this.db, row.id) !== null) throw new Abort(fail('MEETING_EXISTS', `a meeting with id ${row.id} exists`, row.id));
      insertMeeting(this.db, row);
      return this.summaryOf(row.id);
    });
  }

  listMeetings(options: ListMeetingsOptions = {}): LibraryResult<MeetingSummary[]> {
    const limit = clampCount(options.limit, DEFAULT_LIST_LIMIT, Number.MAX_SAFE_INTEGER);
    const offset = clampCount(options.offset, 0, Number.MAX_SAFE_INTEGER);
    return this.read(() => selectMeetings(this.db, limit, offset).map(toSummary));
  }

  getMeeting(meetingId: string): LibraryResult<MeetingSummary> {
    return this.read(() => this.summaryOf(meetingId));
  }

  updateMeeting(meetingId: string, update: MeetingUpdate): LibraryResult<MeetingSummary> {
    const values = checkUpdate(update);
    if (!values.ok) return values;
    return this.write(() => {
      if (!updateMeetingColumns(this.db, meetingId, values.value, new Date().toISOString())) throw new Abort(meetingNotFound(meetingId));
      return this.summaryOf(meetingId);
    });
  }

  deleteMeeting(meetingId: string): LibraryResult<void> {
    return this.write(() => {
      const { changes } = this.db.prepare('DELETE FROM meetings WHERE id = ?').run(meetingId);
      if (changes === 0) throw new Abort(meetingNotFound(meetingId));
    });
  }

  replaceTranscript(meetingId: string, transcript: Transcript, options: ReplaceTranscriptOptions = {}): LibraryResult<MeetingSummary> {
    const valid = checkTranscript(transcript);
    if (!valid.ok) return fail(valid.error.code, valid.error.message, meetingId);
    const status = checkStatus(options.status ?? 'ready');
    if (!status.ok) return status;
    const turns = options.speakerTurns;
    if (turns !== undefined) {
      const validTurns = checkSpeakerTurns(turns);
      if (!validTurns.ok) return fail(validTurns.error.code, validTurns.error.message, meetingId);
    }
    return this.write(() => {
      const meeting = selectMeeting(this.db, meetingId);
      if (meeting === null) throw new Abort(meetingNotFound(meetingId));
      const now = new Date().toISOString();
      const before = options.keepEdits === false && options.keepPrevious !== true ? [] : readSegments(this.db, meetingId);
      if (options.keepPrevious === true && before.length > 0)
        writePreviousTranscript(this.db, meetingId, snapshotOf(this.db, meetingId, meeting), now);
      const segments = options.keepEdits === false ? transcript.segments : carryEdits(before, transcript.segments);
      writeTranscriptRows(this.db, meetingId, { ...transcript, segments });
      if (turns !== undefined) writeSpeakerTurns(this.db, meetingId, turns);
      this.db
        .prepare(
          `UPDATE meetings SET language = ?, model_id = ?, task = ?, duration = ?, status = ?, transcribed_at = ?, updated_at = ?, failure = NULL
           WHERE id = ?`,
        )
        .run(transcript.language, transcript.modelId, transcript.task, transcript.duration, status.value, now, now, meetingId);
      return this.summaryOf(meetingId);
    });
  }

  getPreviousTranscript(meetingId: string): LibraryResult<PreviousTranscript | null> {
    return this.read(() => {
      if (selectMeeting(this.db, meetingId) === null) throw new Abort(meetingNotFound(meetingId));
      return previousTranscriptInfo(this.db, meetingId);
    });
  }

  restorePreviousTranscript(meetingId: string): LibraryResult<MeetingSummary> {
    return this.write(() => {
      const meeting = selectMeeting(this.db, meetingId);
      if (meeting === null) throw new Abort(meetingNotFound(meetingId));
      const previous = readPreviousTranscript(this.db, meetingId);
      if (previous === null)
        throw new Abort(fail('PREVIOUS_TRANSCRIPT_NOT_FOUND', `meeting ${meetingId} has no earlier transcript to go back to`, meetingId));
      const now = new Date().toISOString();
      // The current transcript becomes the previous one, so restoring twice is an undo of the undo.
      writePreviousTranscript(this.db, meetingId, snapshotOf(this.db, meetingId, meeting), now);
      const { transcript, names } = previous.snapshot;
      writeTranscriptRows(this.db, meetingId, transcript);
      restoreSpeakerNames(this.db, meetingId, names);
      this.db
        .prepare(
          `UPDATE meetings SET language = ?, model_id = ?, task = ?, duration = ?, status = 'ready', transcribed_at = ?, updated_at = ?, failure = NULL WHERE id = ?`,
        )
        .run(transcript.language || null, transcript.modelId || null, transcript.task, transcript.duration, now, now, meetingId);
      return this.summaryOf(meetingId);
    });
  }

  getTranscript(meetingId: string): LibraryResult<Transcript> {
    // One read transaction: the segments always belong to the meeting row read with them.
    return this.read(() => {
      const meeting = selectMeeting(this.db, meetingId);
      if (meeting === null) throw new Abort(meetingNotFound(meetingId));
      return {
        source: meeting.title,
        language: meeting.language ?? '',
        modelId: meeting.modelId ?? '',
        task: meeting.task,
        duration: meeting.duration ?? 0,
        segments: readSegments(this.db, meetingId),
      };
    });
  }

  getSpeakerTurns(meetingId: string): LibraryResult<SpeakerTurn[]> {
    return this.read(() => {
      if (selectMeeting(this.db, meetingId) === null) throw new Abort(meetingNotFound(meetingId));
      return readSpeakerTurns(this.db, meetingId);
    });
  }

  replaceSpeakerTurns(meetingId: string, turns: readonly SpeakerTurn[]): LibraryResult<void> {
    const valid = checkSpeakerTurns(turns);
    if (!valid.ok) return fail(valid.error.code, valid.error.message, meetingId);
    return this.write(() => {
      if (selectMeeting(this.db, meetingId) === null) throw new Abort(meetingNotFound(meetingId));
      writeSpeakerTurns(this.db, meetingId, turns);
      this.touch(meetingId);
    });
  }

  editSegmentText(meetingId: string, segmentId: number, text: string): LibraryResult<TranscriptSegment> {
    if (typeof text !== 'string') return fail('INVALID_INPUT', 'segment text must be a string');
    return this.write(() => {
      if (selectMeeting(this.db, meetingId) === null) throw new Abort(meetingNotFound(meetingId));
      const segment = updateSegmentText(this.db, meetingId, segmentId, text);
      if (segment === null) throw new Abort(fail('SEGMENT_NOT_FOUND', `meeting ${meetingId} has no segment ${segmentId}`, meetingId));
      this.touch(meetingId);
      return segment;
    });
  }

  setSegmentSpeaker(meetingId: string, segmentId: number, label: string | null): LibraryResult<TranscriptSegment> {
    const cleanLabel = label === null ? null : typeof label === 'string' ? label.trim() : undefined;
    if (cleanLabel === undefined || cleanLabel === '' || (cleanLabel !== null && cleanLabel.length > 200)) {
      return fail('INVALID_INPUT', 'a speaker label is a non-empty string of at most 200 characters, or null');
    }
    return this.write(() => {
      if (selectMeeting(this.db, meetingId) === null) throw new Abort(meetingNotFound(meetingId));
      const segment = updateSegmentSpeaker(this.db, meetingId, segmentId, cleanLabel);
      if (segment === null) throw new Abort(fail('SEGMENT_NOT_FOUND', `meeting ${meetingId} has no segment ${segmentId}`, meetingId));
      this.touch(meetingId);
      return segment;
    });
  }

  setSegmentSpeakerName(meetingId: string, segmentId: number, name: string): LibraryResult<TranscriptSegment> {
    const cleanName = typeof name === 'string' ? normalizeText(name.trim()) : '';
    if (cleanName === '' || cleanName.length > 200)
      return fail('INVALID_INPUT', 'a speaker name is a non-empty string of at most 200 characters');
    return this.write(() => {
      if (selectMeeting(this.db, meetingId) === null) throw new Abort(meetingNotFound(meetingId));
      const wanted = cleanName.toLocaleLowerCase();
      const speakers = selectSpeakers(this.db, meetingId);
      // An unnamed speaker answers to its label and to the name the app shows for it ("Speaker 1" for SPEAKER_00).
      const existing =
        speakers.find((speaker) => speaker.name !== null && speaker.name.toLocaleLowerCase() === wanted) ??
        speakers.find(
          (speaker) =>
            speaker.name === null &&
            (speaker.label.toLocaleLowerCase() === wanted || shownName(speaker.label).toLocaleLowerCase() === wanted),
        );
      // A label typed as such ("SPEAKER_03") is that label, not a name.
      const typedLabel = /^SPEAKER_\d+$/.test(cleanName) ? cleanName : null;
      const label = existing?.label ?? typedLabel ?? nextSpeakerLabel(this.db, meetingId);
      const segment = updateSegmentSpeaker(this.db, meetingId, segmentId, label);
      if (segment === null) throw new Abort(fail('SEGMENT_NOT_FOUND', `meeting ${meetingId} has no segment ${segmentId}`, meetingId));
      if (existing === undefined && typedLabel === null) {
        const created = selectSpeakerByLabel(this.db, meetingId, label);
        if (created !== null) setSpeakerName(this.db, created.id, cleanName);
      }
      this.touch(meetingId);
      return segment;
    });
  }

  mergeSpeakers(meetingId: string, fromLabel: string, intoLabel: string): LibraryResult<Speaker[]> {
    if (typeof fromLabel !== 'string' || typeof intoLabel !== 'string' || fromLabel === intoLabel) {
      return fail('INVALID_INPUT', 'merging needs two different speaker labels');
    }
    return this.write(() => {
      if (selectMeeting(this.db, meetingId) === null) throw new Abort(meetingNotFound(meetingId));
      const from = selectSpeakerByLabel(this.db, meetingId, fromLabel);
      const into = selectSpeakerByLabel(this.db, meetingId, intoLabel);
      if (from === null || into === null)
        throw new Abort(
          fail('SPEAKER_NOT_FOUND', `meeting ${meetingId} has no speaker ${from === null ? fromLabel : intoLabel}`, meetingId),
        );
      relabelSpeaker(this.db, meetingId, fromLabel, intoLabel);
      // The merged speaker keeps a name: its own, or the one the other had.
      if (into.name === null && from.name !== null) setSpeakerName(this.db, into.id, from.name);
      this.touch(meetingId);
      return selectSpeakers(this.db, meetingId);
    });
  }

  listSpeakers(meetingId: string): LibraryResult<Speaker[]> {
    return this.read(() => {
      if (selectMeeting(this.db, meetingId) === null) throw new Abort(meetingNotFound(meetingId));
      return selectSpeakers(this.db, meetingId);
    });
  }

  renameSpeaker(speakerId: number, name: string | null): LibraryResult<Speaker> {
    if (name !== null && typeof name !== 'string') return fail('INVALID_INPUT', 'a speaker name is a string or null');
    const cleanName = name === null || name.trim().length === 0 ? null : normalizeText(name.trim());
    return this.write(() => {
      const speaker = setSpeakerName(this.db, speakerId, cleanName);
      if (speaker === null) throw new Abort(fail('SPEAKER_NOT_FOUND', `there is no speaker ${speakerId}`, String(speakerId)));
      this.touch(speaker.meetingId);
      return speaker;
    });
  }

  search(query: string, options: SearchOptions = {}): LibraryResult<SearchHit[]> {
    if (typeof query !== 'string') return fail('INVALID_INPUT', 'a search query is a string');
    const limit = clampCount(options.limit, DEFAULT_SEARCH_LIMIT, MAX_SEARCH_LIMIT);
    return this.read(() => searchSegments(this.db, { query, limit, meetingId: options.meetingId ?? null }));
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private summaryOf(meetingId: string): MeetingSummary {
    const row = selectMeeting(this.db, meetingId);
    if (row === null) throw new Abort(meetingNotFound(meetingId));
    return toSummary(row);
  }

  private touch(meetingId: string): void {
    this.db.prepare('UPDATE meetings SET updated_at = ? WHERE id = ?').run(new Date().toISOString(), meetingId);
  }

  /** IMMEDIATE takes the write lock up front, so a busy database waits (busy_timeout) instead of failing midway. */
  private write<T>(body: () => T): LibraryResult<T> {
    return this.run('LIBRARY_WRITE_FAILED', () => this.db.transaction(body).immediate());
  }

  private read<T>(body: () => T): LibraryResult<T> {
    return this.run('LIBRARY_READ_FAILED', () => this.db.transaction(body).deferred());
  }

  private run<T>(code: LibraryErrorCode, body: () => T): LibraryResult<T> {
    if (!this.db.open) return fail('LIBRARY_CLOSED', 'the library is closed');
    try {
      return ok(body());
    } catch (error) {
      if (error instanceof Abort) return error.failure;
      return fail(code, reasonOf(error));
    }
  }
}

function meetingNotFound(meetingId: string) {
  return fail('MEETING_NOT_FOUND', `there is no meeting ${meetingId}`, meetingId);
}

/** The name the app shows for an unnamed speaker: "SPEAKER_00" → "Speaker 1". */
function shownName(label: string): string {
  const numbered = /^SPEAKER_(\d+)$/.exec(label);
  return numbered?.[1] !== undefined ? `Speaker ${Number(numbered[1]) + 1}` : label;
}

function checkFailure(failure: MeetingUpdate['failure']): Result<string | null, LibraryErrorCode> {
  if (failure === null || failure === undefined) return ok(null);
  if (typeof failure.code !== 'string' || typeof failure.message !== 'string') return fail('INVALID_INPUT', 'a failure is a coded error');
  return ok(JSON.stringify({ code: failure.code, message: failure.message, subject: failure.subject }));
}

function clampCount(value: number | undefined, fallback: number, max: number): number {
  if (value === undefined || !Number.isFinite(value)) return fallback;
  return Math.min(Math.max(0, Math.floor(value)), max);
}

function checkUpdate(update: MeetingUpdate): Result<Partial<Record<UpdatableField, unknown>>, LibraryErrorCode> {
  // MeetingStatus values are strings.
  const values: Partial<Record<UpdatableField, string | number | null>> = {};
  const checks: Array<[UpdatableField, () => Result<string | number | null, LibraryErrorCode>]> = [
    ['title', () => checkTitle(update.title)],
    ['duration', () => checkDuration(update.duration)],
    ['sourceFile', () => checkOptionalText('sourceFile', update.sourceFile)],
    ['recordingPath', () => checkOptionalText('recordingPath', update.recordingPath)],
    ['language', () => checkOptionalText('language', update.language)],
    ['modelId', () => checkOptionalText('modelId', update.modelId)],
    ['prompt', () => checkOptionalText('prompt', update.prompt)],
    ['status', () => checkStatus(update.status)],
    ['failure', () => checkFailure(update.failure)],
  ];
  for (const [field, check] of checks) {
    if (update[field] === undefined) continue;
    const checked = check();
    if (!checked.ok) return checked;
    values[field] = checked.value;
  }
  return ok(values);
}
