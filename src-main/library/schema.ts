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
];
