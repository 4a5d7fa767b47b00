/** Rows of `speaker_turns`: the diarizer's output for one meeting, replaced as a whole. */
import type { Database } from 'better-sqlite3';
import type { SpeakerTurn } from '../../src-shared/transcript';

export function writeSpeakerTurns(db: Database, meetingId: string, turns: readonly SpeakerTurn[]): void {
  db.prepare('DELETE FROM speaker_turns WHERE meeting_id = ?').run(meetingId);
  const insert = db.prepare('INSERT INTO speaker_turns (meeting_id, seq, start, end, speaker) VALUES (?, ?, ?, ?, ?)');
  const sorted = [...turns].sort((a, b) => a.start - b.start || a.end - b.end);
  sorted.forEach((turn, seq) => insert.run(meetingId, seq, turn.start, turn.end, turn.speaker.trim()));
}

export function readSpeakerTurns(db: Database, meetingId: string): SpeakerTurn[] {
  return db.prepare('SELECT start, end, speaker FROM speaker_turns WHERE meeting_id = ? ORDER BY seq').all(meetingId) as SpeakerTurn[];
}
