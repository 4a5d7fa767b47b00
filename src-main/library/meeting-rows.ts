/** Meetings and speakers as rows: the SELECTs, and the mapping to the shared types. */
import type { Database } from 'better-sqlite3';
import { readStoredError } from '../../src-shared/errors';
import type { MeetingStatus, MeetingSummary, Speaker } from '../../src-shared/library';
import type { CodedError } from '../../src-shared/result';
import type { AsrTask } from '../../src-shared/transcript';

export interface MeetingRow extends Omit<MeetingSummary, 'failure'> {
  task: AsrTask;
  /** JSON of a CodedError, or null. */
  failure: string | null;
}

const MEETING_SELECT = `
  SELECT m.id, m.title, m.created_at AS createdAt, m.updated_at AS updatedAt, m.duration,
         m.source_file AS sourceFile, m.recording_path AS recordingPath, m.language, m.model_id AS modelId, m.prompt,
         m.task, m.status, m.transcribed_at AS transcribedAt, m.failure,
         (SELECT count(*) FROM segments s WHERE s.meeting_id = m.id) AS segmentCount
  FROM meetings m`;

/** Columns a MeetingUpdate may set, keyed by its field names. */
export const UPDATABLE_COLUMNS = {
  title: 'title',
  duration: 'duration',
  sourceFile: 'source_file',
  recordingPath: 'recording_path',
  language: 'language',
  modelId: 'model_id',
  prompt: 'prompt',
  status: 'status',
  failure: 'failure',
} as const;

export type UpdatableField = keyof typeof UPDATABLE_COLUMNS;

export function selectMeeting(db: Database, meetingId: string): MeetingRow | null {
  return db.prepare<[string], MeetingRow>(`${MEETING_SELECT} WHERE m.id = ?`).get(meetingId) ?? null;
}

export function selectMeetings(db: Database, limit: number, offset: number): MeetingRow[] {
  return db.prepare<[number, number], MeetingRow>(`${MEETING_SELECT} ORDER BY m.created_at DESC, m.id LIMIT ? OFFSET ?`).all(limit, offset);
}

export function toSummary(row: MeetingRow): MeetingSummary {
  return {
    id: row.id,
    title: row.title,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    duration: row.duration,
    sourceFile: row.sourceFile,
    recordingPath: row.recordingPath,
    language: row.language,
    modelId: row.modelId,
    prompt: row.prompt,
    status: row.status,
    transcribedAt: row.transcribedAt,
    segmentCount: row.segmentCount,
    failure: parseFailure(row.failure),
  };
}

function parseFailure(json: string | null): CodedError | null {
  if (json === null) return null;
  try {
    // An older version's code reads in today's vocabulary (its cancellation codes as CANCELLED).
    return readStoredError(JSON.parse(json));
  } catch {
    // A damaged value reads as no reason: the status still says the meeting failed.
  }
  return null;
}

export interface InsertMeetingRow {
  id: string;
  title: string;
  createdAt: string;
  duration: number | null;
  sourceFile: string | null;
  recordingPath: string | null;
  language: string | null;
  modelId: string | null;
  status: MeetingStatus;
}

export function insertMeeting(db: Database, row: InsertMeetingRow): void {
  db.prepare(
    `INSERT INTO meetings (id, title, created_at, updated_at, duration, source_file, recording_path, language, model_id, status)
     VALUES (@id, @title, @createdAt, @createdAt, @duration, @sourceFile, @recordingPath, @language, @modelId, @status)`,
  ).run(row);
}

/** Sets the given columns (names from UPDATABLE_COLUMNS only) and updated_at; false when there is no such meeting. */
export function updateMeetingColumns(
  db: Database,
  meetingId: string,
  values: Partial<Record<UpdatableField, unknown>>,
  now: string,
): boolean {
  const fields = Object.keys(values) as UpdatableField[];
  const assignments = [...fields.map((field) => `${UPDATABLE_COLUMNS[field]} = @${field}`), 'updated_at = @now'];
  const result = db.prepare(`UPDATE meetings SET ${assignments.join(', ')} WHERE id = @meetingId`).run({ ...values, now, meetingId });
  return result.changes > 0;
}

const SPEAKER_SELECT = 'SELECT id, meeting_id AS meetingId, label, name FROM speakers';

export function selectSpeakerByLabel(db: Database, meetingId: string, label: string): Speaker | null {
  return db.prepare<[string, string], Speaker>(`${SPEAKER_SELECT} WHERE meeting_id = ? AND label = ?`).get(meetingId, label) ?? null;
}

export function selectSpeakers(db: Database, meetingId: string): Speaker[] {
  return db.prepare<[string], Speaker>(`${SPEAKER_SELECT} WHERE meeting_id = ? ORDER BY label`).all(meetingId);
}

export function setSpeakerName(db: Database, speakerId: number, name: string | null): Speaker | null {
  return (
    db
      .prepare<[string | null, number], Speaker>(
        `UPDATE speakers SET name = ? WHERE id = ? RETURNING id, meeting_id AS meetingId, label, name`,
      )
      .get(name, speakerId) ?? null
  );
}
