/**
 * The transcript a re-transcription replaced, one per meeting, as a JSON snapshot (segments with their
 * edit flags and words, the speakers' names, the model and language), so the user can go back to it.
 * Writers run inside the caller's transaction.
 */
import type { Database } from 'better-sqlite3';
import type { AsrTask, Transcript } from '../../src-shared/transcript';
import type { PreviousTranscript } from './library-store';
import { selectSpeakers } from './meeting-rows';
import { readSegments } from './transcript-rows';

export interface TranscriptSnapshot {
  transcript: Transcript;
  /** Speaker names the user gave, by label. */
  names: Record<string, string>;
}

interface MeetingFacts {
  title: string;
  language: string | null;
  modelId: string | null;
  task: AsrTask;
  duration: number | null;
}

/** The meeting's stored transcript and speaker names as they are now. */
export function snapshotOf(db: Database, meetingId: string, meeting: MeetingFacts): TranscriptSnapshot {
  const names: Record<string, string> = {};
  for (const speaker of selectSpeakers(db, meetingId)) if (speaker.name !== null) names[speaker.label] = speaker.name;
  return {
    transcript: {
      source: meeting.title,
      language: meeting.language ?? '',
      modelId: meeting.modelId ?? '',
      task: meeting.task,
      duration: meeting.duration ?? 0,
      segments: readSegments(db, meetingId),
    },
    names,
  };
}

export function writePreviousTranscript(db: Database, meetingId: string, snapshot: TranscriptSnapshot, replacedAt: string): void {
  db.prepare(
    `INSERT INTO previous_transcripts (meeting_id, replaced_at, snapshot) VALUES (?, ?, ?)
     ON CONFLICT (meeting_id) DO UPDATE SET replaced_at = excluded.replaced_at, snapshot = excluded.snapshot`,
  ).run(meetingId, replacedAt, JSON.stringify(snapshot));
}

export function readPreviousTranscript(db: Database, meetingId: string): { replacedAt: string; snapshot: TranscriptSnapshot } | null {
  const row = db
    .prepare<[string], { replacedAt: string; snapshot: string }>(
      'SELECT replaced_at AS replacedAt, snapshot FROM previous_transcripts WHERE meeting_id = ?',
    )
    .get(meetingId);
  if (row === undefined) return null;
  return { replacedAt: row.replacedAt, snapshot: JSON.parse(row.snapshot) as TranscriptSnapshot };
}

export function previousTranscriptInfo(db: Database, meetingId: string): PreviousTranscript | null {
  const row = db
    .prepare<[string], { replacedAt: string; modelId: string | null; segmentCount: number }>(
      `SELECT replaced_at AS replacedAt, json_extract(snapshot, '$.transcript.modelId') AS modelId,
              json_array_length(snapshot, '$.transcript.segments') AS segmentCount
       FROM previous_transcripts WHERE meeting_id = ?`,
    )
    .get(meetingId);
  return row === undefined ? null : { replacedAt: row.replacedAt, modelId: row.modelId ?? '', segmentCount: row.segmentCount };
}

/** Gives back the names a snapshot held to the speakers whose labels are in use again. */
export function restoreSpeakerNames(db: Database, meetingId: string, names: Record<string, string>): void {
  const setName = db.prepare('UPDATE speakers SET name = ? WHERE meeting_id = ? AND label = ?');
  for (const [label, name] of Object.entries(names)) setName.run(name, meetingId, label);
}
