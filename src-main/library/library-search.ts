/**
 * Full-text search over every transcript. Two FTS5 indexes answer together: the word index (unicode61,
 * accent-folding, terms matched as word prefixes, which also covers Korean particles and endings after a
 * stem) ranked first, then the substring index (trigram) for text inside words, such as part of a Korean
 * compound. Within each, bm25 ranks.
 */
import type { Database } from 'better-sqlite3';
import type { SearchHit, SnippetPart } from '../../src-shared/library';
import { parseSearchQuery, substringIndexQuery, wordIndexQuery } from './fts-query';
import { SUBSTRING_INDEX, WORD_INDEX } from './schema';

export const DEFAULT_SEARCH_LIMIT = 50;
export const MAX_SEARCH_LIMIT = 500;
/** Private-use characters mark the hit inside snippets; stored text never contains them (see normalizeText). */
export const HIT_OPEN = '\uE000';
export const HIT_CLOSE = '\uE001';
const ELLIPSIS = '…';
/** Tokens of context in a snippet (FTS5 allows up to 64). */
const SNIPPET_TOKENS = 24;

interface HitRow {
  segmentRowId: number;
  meetingId: string;
  meetingTitle: string;
  segmentId: number;
  start: number;
  end: number;
  speaker: string | null;
  snippet: string;
}

export interface SearchRequest {
  query: string;
  limit: number;
  meetingId: string | null;
}

export function searchSegments(db: Database, request: SearchRequest): SearchHit[] {
  const terms = parseSearchQuery(request.query);
  const byRowId = new Map<number, HitRow>();
  const wordQuery = wordIndexQuery(terms);
  if (wordQuery !== null) collect(byRowId, queryIndex(db, WORD_INDEX, wordQuery, request));
  const substringQuery = substringIndexQuery(terms);
  if (substringQuery !== null && byRowId.size < request.limit) collect(byRowId, queryIndex(db, SUBSTRING_INDEX, substringQuery, request));
  return [...byRowId.values()].slice(0, request.limit).map(toSearchHit);
}

function collect(into: Map<number, HitRow>, rows: HitRow[]): void {
  for (const row of rows) if (!into.has(row.segmentRowId)) into.set(row.segmentRowId, row);
}

function queryIndex(db: Database, index: string, match: string, request: SearchRequest): HitRow[] {
  // The index name is one of two constants, never user input; the query text is a bound parameter.
  const statement = db.prepare<unknown[], HitRow>(`
    SELECT s.id AS segmentRowId, s.meeting_id AS meetingId, m.title AS meetingTitle, s.segment_index AS segmentId,
           s.start AS start, s."end" AS "end", s.speaker_label AS speaker,
           snippet(${index}, 0, @open, @close, @ellipsis, @tokens) AS snippet
    FROM ${index}
    JOIN segments s ON s.id = ${index}.rowid
    JOIN meetings m ON m.id = s.meeting_id
    WHERE ${index} MATCH @match AND (@meetingId IS NULL OR s.meeting_id = @meetingId)
    ORDER BY bm25(${index}), m.created_at DESC, s.segment_index
    LIMIT @limit
  `);
  return statement.all({
    open: HIT_OPEN,
    close: HIT_CLOSE,
    ellipsis: ELLIPSIS,
    tokens: SNIPPET_TOKENS,
    match,
    meetingId: request.meetingId,
    limit: request.limit,
  });
}

function toSearchHit(row: HitRow): SearchHit {
  return {
    meetingId: row.meetingId,
    meetingTitle: row.meetingTitle,
    segmentId: row.segmentId,
    start: row.start,
    end: row.end,
    speaker: row.speaker,
    snippet: splitSnippet(row.snippet),
  };
}

export function splitSnippet(marked: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  let rest = marked;
  while (rest.length > 0) {
    const open = rest.indexOf(HIT_OPEN);
    if (open === -1) {
      parts.push({ text: rest, hit: false });
      break;
    }
    if (open > 0) parts.push({ text: rest.slice(0, open), hit: false });
    const close = rest.indexOf(HIT_CLOSE, open + 1);
    const end = close === -1 ? rest.length : close;
    parts.push({ text: rest.slice(open + 1, end), hit: true });
    rest = rest.slice(end + 1);
  }
  return mergeAdjacent(parts.filter((part) => part.text.length > 0));
}

/** Marks that touch (adjacent hits) read better as one highlighted span. */
function mergeAdjacent(parts: SnippetPart[]): SnippetPart[] {
  const merged: SnippetPart[] = [];
  for (const part of parts) {
    const last = merged.at(-1);
    if (last !== undefined && last.hit === part.hit) last.text += part.text;
    else merged.push({ ...part });
  }
  return merged;
}
