/**
 * The library's schema, as an ordered list of migrations. Never edit a shipped migration: add the next one.
 *
 * Segments have their own INTEGER PRIMARY KEY because the full-text indexes point at it (external
 * content): an implicit rowid may be renumbered by VACUUM, an explicit one never is. The transcript key
 * `(meeting_id, segment_index)` is UNIQUE, so a rerun cannot double a segment.
 */
import type { Migration } from './migrations';

const CORE_TABLES = `
  CREATE TABLE meetings (
    id             TEXT PRIMARY KEY,
    title          TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    duration       REAL CHECK (duration IS NULL OR duration >= 0),
    source_file    TEXT,
    recording_path TEXT,
    language       TEXT,
    model_id       TEXT,
    task           TEXT NOT NULL DEFAULT 'transcribe' CHECK (task IN ('transcribe', 'translate')),
    status         TEXT NOT NULL CHECK (status IN ('recording', 'queued', 'transcribing', 'ready', 'failed')),
    transcribed_at TEXT
  );
  CREATE INDEX meetings_by_created ON meetings (created_at DESC, id);

  CREATE TABLE speakers (
    id         INTEGER PRIMARY KEY,
    meeting_id TEXT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    label      TEXT NOT NULL,
    name       TEXT,
    UNIQUE (meeting_id, label)
  );

  CREATE TABLE segments (
    id            INTEGER PRIMARY KEY,
    meeting_id    TEXT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    segment_index INTEGER NOT NULL CHECK (segment_index >= 0),
    start         REAL NOT NULL,
    "end"         REAL NOT NULL CHECK ("end" >= start),
    text          TEXT NOT NULL,
    speaker_label TEXT,
    UNIQUE (meeting_id, segment_index),
    FOREIGN KEY (meeting_id, speaker_label) REFERENCES speakers (meeting_id, label)
  );

  CREATE TABLE words (
    segment_id  INTEGER NOT NULL REFERENCES segments (id) ON DELETE CASCADE,
    word_index  INTEGER NOT NULL,
    start       REAL NOT NULL,
    "end"       REAL NOT NULL,
    text        TEXT NOT NULL,
    probability REAL,
    PRIMARY KEY (segment_id, word_index)
  ) WITHOUT ROWID;
`;

/** Keeps an external-content FTS5 table in step with `segments`, inside the writing transaction. */
function ftsTriggers(table: string): string {
  return `
    CREATE TRIGGER ${table}_after_insert AFTER INSERT ON segments BEGIN
      INSERT INTO ${table} (rowid, text) VALUES (new.id, new.text);
    END;
    CREATE TRIGGER ${table}_after_delete AFTER DELETE ON segments BEGIN
      INSERT INTO ${table} (${table}, rowid, text) VALUES ('delete', old.id, old.text);
    END;
    CREATE TRIGGER ${table}_after_update AFTER UPDATE OF text ON segments BEGIN
      INSERT INTO ${table} (${table}, rowid, text) VALUES ('delete', old.id, old.text);
      INSERT INTO ${table} (rowid, text) VALUES (new.id, new.text);
    END;
  `;
}

/**
 * Durable background jobs, in the library's database so a job and the meeting it writes share one file.
 * `seq` orders claims by creation (ISO times tie within a millisecond); times the queue compares
 * (`run_after`, `lease_expires_at`) are epoch milliseconds, the rest ISO strings like the meetings'.
 * No foreign key to meetings: an import names its meeting before the meeting row exists.
 */
const JOBS_TABLE = `
  CREATE TABLE jobs (
    seq              INTEGER PRIMARY KEY,
    id               TEXT NOT NULL UNIQUE,
    kind             TEXT NOT NULL CHECK (kind IN ('import', 'retranscribe', 'export', 'diarize')),
    state            TEXT NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
    payload          TEXT NOT NULL CHECK (json_valid(payload)),
    meeting_id       TEXT,
    title            TEXT NOT NULL,
    progress         REAL NOT NULL DEFAULT 0 CHECK (progress >= 0 AND progress <= 100),
    stage            TEXT,
    attempts         INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    max_attempts     INTEGER NOT NULL CHECK (max_attempts >= 1),
    last_error       TEXT CHECK (last_error IS NULL OR json_valid(last_error)),
    result           TEXT CHECK (result IS NULL OR json_valid(result)),
    cancel_requested INTEGER NOT NULL DEFAULT 0 CHECK (cancel_requested IN (0, 1)),
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    started_at       TEXT,
    finished_at      TEXT,
    next_run_at      TEXT,
    run_after        INTEGER NOT NULL,
    lease_owner      TEXT,
    lease_expires_at INTEGER,
    CHECK ((state = 'running') = (lease_owner IS NOT NULL AND lease_expires_at IS NOT NULL))
  );
  CREATE INDEX jobs_claim ON jobs (state, run_after, seq);
  CREATE INDEX jobs_lease ON jobs (state, lease_expires_at);
`;

/** Who spoke when, as the diarizer found it (RTTM export, re-attribution after a re-transcription). */
const SPEAKER_TURNS_TABLE = `
  CREATE TABLE speaker_turns (
    meeting_id TEXT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    start      REAL NOT NULL,
    end        REAL NOT NULL CHECK (end >= start),
    speaker    TEXT NOT NULL,
    PRIMARY KEY (meeting_id, seq)
  ) WITHOUT ROWID;
`;

/**
 * Hand edits and what a re-transcription replaced: a corrected line or a chosen speaker is flagged on its
 * segment (carried across the next re-transcription); the transcript a re-transcription replaced is kept,
 * one per meeting, for an undo; a failed transcription's reason stays on the meeting.
 */
const EDITS_AND_PREVIOUS = `
  ALTER TABLE segments ADD COLUMN text_edited INTEGER NOT NULL DEFAULT 0 CHECK (text_edited IN (0, 1));
  ALTER TABLE segments ADD COLUMN speaker_edited INTEGER NOT NULL DEFAULT 0 CHECK (speaker_edited IN (0, 1));
  ALTER TABLE meetings ADD COLUMN failure TEXT CHECK (failure IS NULL OR json_valid(failure));
  CREATE TABLE previous_transcripts (
    meeting_id  TEXT PRIMARY KEY REFERENCES meetings (id) ON DELETE CASCADE,
    replaced_at TEXT NOT NULL,
    snapshot    TEXT NOT NULL CHECK (json_valid(snapshot))
  );
`;

/** Word index: whole words, case- and accent-insensitive; queried with prefixes, so "회의" finds "회의를". */
export const WORD_INDEX = 'segments_fts';
/** Substring index: finds text inside words ("정기회의" for "기회의"), for query terms of 3 or more characters. */
export const SUBSTRING_INDEX = 'segments_trigram';

export const LIBRARY_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'meetings, speakers, segments, words, word index',
    up(db) {
      db.exec(CORE_TABLES);
      db.exec(`
        CREATE VIRTUAL TABLE ${WORD_INDEX} USING fts5 (
          text, content = 'segments', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2'
        );
        ${ftsTriggers(WORD_INDEX)}
      `);
    },
  },
  {
    version: 2,
    description: 'substring (trigram) index over existing transcripts',
    up(db) {
      db.exec(`
        CREATE VIRTUAL TABLE ${SUBSTRING_INDEX} USING fts5 (
          text, content = 'segments', content_rowid = 'id', tokenize = 'trigram remove_diacritics 1'
        );
        INSERT INTO ${SUBSTRING_INDEX} (${SUBSTRING_INDEX}) VALUES ('rebuild');
        ${ftsTriggers(SUBSTRING_INDEX)}
      `);
    },
  },
  {
    version: 3,
    description: 'durable job queue',
    up(db) {
      db.exec(JOBS_TABLE);
    },
  },
  {
    version: 4,
    description: 'speaker turns from diarization',
    up(db) {
      db.exec(SPEAKER_TURNS_TABLE);
    },
  },
  {
    version: 5,
    description: "a meeting's vocabulary prompt; each segment's language and inaudible mark",
    up(db) {
      db.exec(`
        ALTER TABLE meetings ADD COLUMN prompt TEXT;
        ALTER TABLE segments ADD COLUMN language TEXT;
        ALTER TABLE segments ADD COLUMN inaudible INTEGER NOT NULL DEFAULT 0 CHECK (inaudible IN (0, 1));
      `);
    },
  },
  {
    version: 6,
    description: 'hand-edit flags on segments, failure reason on meetings, the transcript a re-transcription replaced',
    up(db) {
      db.exec(EDITS_AND_PREVIOUS);
    },
  },
];
