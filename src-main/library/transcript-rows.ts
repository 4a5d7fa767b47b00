/** Transcript segments, words and speakers as rows. Writers must run inside the caller's transaction. */
import type { Database } from 'better-sqlite3';
import type { Transcript, TranscriptSegment, TranscriptWord } from '../../src-shared/transcript';
import { normalizeText } from './library-validation';

interface SegmentRow {
  rowId: number;
  segmentId: number;
  start: number;
  end: number;
  text: string;
  speaker: string | null;
  language: string | null;
  inaudible: number;
  textEdited: 0 | 1;
  speakerEdited: 0 | 1;
}

interface WordRow {
  segmentRowId: number;
  start: number;
  end: number;
  text: string;
  probability: number | null;
}

const SEGMENT_COLUMNS = `id AS rowId, segment_index AS segmentId, start, "end", text, speaker_label AS speaker,
  text_edited AS textEdited, speaker_edited AS speakerEdited, language, inaudible`;

/** Replaces the meeting's segments, words and speakers with the transcript's. */
export function writeTranscriptRows(db: Database, meetingId: string, transcript: Transcript): void {
  // Words go with their segments (ON DELETE CASCADE); the triggers take the text out of the indexes.
  db.prepare('DELETE FROM segments WHERE meeting_id = ?').run(meetingId);

  const labels = [...new Set(transcript.segments.flatMap((segment) => (segment.speaker === null ? [] : [segment.speaker])))];
  const addSpeaker = db.prepare('INSERT INTO speakers (meeting_id, label) VALUES (?, ?) ON CONFLICT (meeting_id, label) DO NOTHING');
  for (const label of labels) addSpeaker.run(meetingId, label);

  const addSegment = db.prepare<
    [string, number, number, number, string, string | null, number, number, string | null, number],
    { id: number }
  >(
    `INSERT INTO segments (meeting_id, segment_index, start, "end", text, speaker_label, text_edited, speaker_edited, language, inaudible)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
  );
  const addWord = db.prepare('INSERT INTO words (segment_id, word_index, start, "end", text, probability) VALUES (?, ?, ?, ?, ?, ?)');
  for (const segment of transcript.segments) {
    const edited = segment.edited;
    const row = addSegment.get(
      meetingId,
      segment.id,
      segment.start,
      segment.end,
      normalizeText(segment.text),
      segment.speaker,
      edited?.text ? 1 : 0,
      edited?.speaker ? 1 : 0,
      segment.language ?? null,
      segment.inaudible ? 1 : 0,
    );
    if (row === undefined) throw new Error('INSERT … RETURNING gave no row');
    (segment.words ?? []).forEach((word, index) => {
      addWord.run(row.id, index, word.start, word.end, normalizeText(word.text), word.probability ?? null);
    });
  }

  // Names stay with labels the new transcript still uses; the others go.
  db.prepare('DELETE FROM speakers WHERE meeting_id = ? AND label NOT IN (SELECT value FROM json_each(?))').run(
    meetingId,
    JSON.stringify(labels),
  );
}

/** The meeting's segments in order, with their words when stored. */
export function readSegments(db: Database, meetingId: string): TranscriptSegment[] {
  const rows = db
    .prepare<[string], SegmentRow>(`SELECT ${SEGMENT_COLUMNS} FROM segments WHERE meeting_id = ? ORDER BY segment_index`)
    .all(meetingId);
  const wordRows = db
    .prepare<[string], WordRow>(
      `SELECT w.segment_id AS segmentRowId, w.start, w."end", w.text, w.probability
       FROM words w JOIN segments s ON s.id = w.segment_id
       WHERE s.meeting_id = ? ORDER BY w.segment_id, w.word_index`,
    )
    .all(meetingId);
  const wordsBySegment = new Map<number, TranscriptWord[]>();
  for (const word of wordRows) {
    const list = wordsBySegment.get(word.segmentRowId) ?? [];
    list.push(toWord(word));
    wordsBySegment.set(word.segmentRowId, list);
  }
  return rows.map((row) => toSegment(row, wordsBySegment.get(row.rowId)));
}

/** Sets one segment's text and drops its words; null when the segment does not exist. */
export function updateSegmentText(db: Database, meetingId: string, segmentId: number, text: string): TranscriptSegment | null {
  const row = db
    .prepare<[string, string, number], SegmentRow>(
      `UPDATE segments SET text = ?, text_edited = 1 WHERE meeting_id = ? AND segment_index = ? RETURNING ${SEGMENT_COLUMNS}`,
    )
    .get(normalizeText(text), meetingId, segmentId);
  if (row === undefined) return null;
  db.prepare('DELETE FROM words WHERE segment_id = ?').run(row.rowId);
  return toSegment(row, undefined);
}

/** Sets one segment's speaker label, keeping the speakers table equal to the labels in use; null when the segment does not exist. */
export function updateSegmentSpeaker(db: Database, meetingId: string, segmentId: number, label: string | null): TranscriptSegment | null {
  // The segment's label references its speaker row, so the row comes first (the caller's transaction undoes it if the segment is missing).
  if (label !== null)
    db.prepare('INSERT INTO speakers (meeting_id, label) VALUES (?, ?) ON CONFLICT (meeting_id, label) DO NOTHING').run(meetingId, label);
  const row = db
    .prepare<[string | null, string, number], SegmentRow>(
      `UPDATE segments SET speaker_label = ?, speaker_edited = 1 WHERE meeting_id = ? AND segment_index = ? RETURNING ${SEGMENT_COLUMNS}`,
    )
    .get(label, meetingId, segmentId);
  if (row === undefined) return null;
  db.prepare(
    'DELETE FROM speakers WHERE meeting_id = ? AND label NOT IN (SELECT speaker_label FROM segments WHERE meeting_id = ? AND speaker_label IS NOT NULL)',
  ).run(meetingId, meetingId);
  const words = db
    .prepare<[number], WordRow>(
      'SELECT segment_id AS segmentRowId, start, "end", text, probability FROM words WHERE segment_id = ? ORDER BY word_index',
    )
    .all(row.rowId);
  return toSegment(row, words.length > 0 ? words.map(toWord) : undefined);
}

function toSegment(row: SegmentRow, words: TranscriptWord[] | undefined): TranscriptSegment {
  const segment: TranscriptSegment = { id: row.segmentId, start: row.start, end: row.end, text: row.text, speaker: row.speaker };
  if (words !== undefined) segment.words = words;
  if (row.language !== null) segment.language = row.language;
  if (row.inaudible === 1) segment.inaudible = true;
  if (row.textEdited === 1 || row.speakerEdited === 1) {
    segment.edited = { ...(row.textEdited === 1 ? { text: true } : {}), ...(row.speakerEdited === 1 ? { speaker: true } : {}) };
  }
  return segment;
}

/** A speaker label not used in the meeting yet: SPEAKER_nn after the highest number in use. */
export function nextSpeakerLabel(db: Database, meetingId: string): string {
  const labels = db
    .prepare<[string, string], { label: string }>(
      `SELECT label FROM speakers WHERE meeting_id = ? UNION SELECT speaker FROM speaker_turns WHERE meeting_id = ?`,
    )
    .all(meetingId, meetingId)
    .map((row) => row.label);
  const numbers = labels.flatMap((label) => {
    const match = /^SPEAKER_(\d+)$/.exec(label);
    return match?.[1] !== undefined ? [Number(match[1])] : [];
  });
  const next = numbers.length === 0 ? 0 : Math.max(...numbers) + 1;
  return `SPEAKER_${String(next).padStart(2, '0')}`;
}

/** Moves every segment and turn of one label to another and removes the first label's speaker row. */
export function relabelSpeaker(db: Database, meetingId: string, fromLabel: string, intoLabel: string): void {
  db.prepare('INSERT INTO speakers (meeting_id, label) VALUES (?, ?) ON CONFLICT (meeting_id, label) DO NOTHING').run(meetingId, intoLabel);
  db.prepare('UPDATE segments SET speaker_label = ? WHERE meeting_id = ? AND speaker_label = ?').run(intoLabel, meetingId, fromLabel);
  db.prepare('UPDATE speaker_turns SET speaker = ? WHERE meeting_id = ? AND speaker = ?').run(intoLabel, meetingId, fromLabel);
  db.prepare('DELETE FROM speakers WHERE meeting_id = ? AND label = ?').run(meetingId, fromLabel);
}

function toWord(row: WordRow): TranscriptWord {
  const word: TranscriptWord = { start: row.start, end: row.end, text: row.text };
  if (row.probability !== null) word.probability = row.probability;
  return word;
}
