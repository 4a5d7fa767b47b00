/** Adapters over the independent parsers the export tests check our output with. */
import webvtt, { type WebVttNode } from 'webvtt-parser';
import { parseSync } from 'subtitle';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { createRequire } from 'node:module';

// The parser's built-in entity list is a subset without the `;` forms (`&amp;` would decode to "&;");
// its README asks for this full HTML table for spec-compliant parsing.
const HTML_ENTITIES = createRequire(import.meta.url)('webvtt-parser/html-entities.json') as Record<string, string>;

export interface ParsedCue {
  startMs: number;
  endMs: number;
  lines: string[];
  /** VTT `<v>` annotation, when present. */
  voice: string | null;
}

/** SubRip via `subtitle` (gsantiago/subtitle.js). Times come back in ms. */
export function parseSrtCues(text: string): ParsedCue[] {
  return parseSync(text).flatMap((node) =>
    node.type === 'cue' ? [{ startMs: node.data.start, endMs: node.data.end, lines: node.data.text.split('\n'), voice: null }] : [],
  );
}

/** WebVTT via W3C's webvtt.js; also returns its conformance errors (we expect none). */
export function parseVttCues(text: string): { cues: ParsedCue[]; errors: string[] } {
  const result = new webvtt.WebVTTParser(HTML_ENTITIES).parse(text);
  const cues = result.cues.map((cue) => ({
    startMs: cue.startTime * 1000,
    endMs: cue.endTime * 1000,
    lines: nodeText(cue.tree).split('\n'),
    voice: findVoice(cue.tree),
  }));
  return { cues, errors: result.errors.map((error) => `line ${error.line}: ${error.message}`) };
}

function nodeText(node: WebVttNode): string {
  if (node.type === 'text') return String(node.value ?? '');
  return (node.children ?? []).map(nodeText).join('');
}

function findVoice(node: WebVttNode): string | null {
  if (node.type === 'object' && node.name === 'v') return String(node.value ?? '');
  for (const child of node.children ?? []) {
    const voice = findVoice(child);
    if (voice !== null) return voice;
  }
  return null;
}

export const parseMarkdown = fromMarkdown;
