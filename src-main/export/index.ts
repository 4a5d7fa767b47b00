/**
 * Export stage: Transcript → txt | srt | vtt | json | md | rttm (who spoke when) as pure string renderers,
 * docx (Word minutes) as bytes, plus an atomic writer.
 *
 * Decisions (details next to the code):
 * - Encoding: UTF-8 without BOM for every format. Current players (VLC, mpv, MPC-HC, PotPlayer, browsers,
 *   ffmpeg) detect UTF-8; a BOM breaks naive SRT readers that expect a digit on line 1. Legacy players that
 *   guess the ANSI code page (mojibake for Hangul) can get one with `srtByteOrderMark: true`.
 * - Subtitle layout: ≤ maxLineWidth display columns (42; Hangul/CJK count 2, so ~21 syllables) and
 *   ≤ maxLinesPerCue lines (2). Longer segments become several balanced cues, timed at word starts when
 *   `words` match the text, otherwise in proportion to text width.
 * - Subtitle timing: whole ms (half-up); cues never overlap (an earlier cue is cut at the next start) and
 *   last ≥ 1 ms; a zero-length segment shows for up to 1 s. Empty segments are skipped in all text formats;
 *   JSON is lossless and keeps everything.
 */
import type { Result } from '../../src-shared/result';
import type { Transcript } from '../../src-shared/transcript';
import { renderDocx } from './docx';
import { renderJson } from './json';
import { renderMd } from './md';
import { renderRttm } from './rttm';
import type { ExportOptions } from './options';
import { renderSrt } from './srt';
import { renderTxt } from './txt';
import { renderVtt } from './vtt';
import { writeFileAtomic, type WriteFileErrorCode, type WrittenFile } from './write-file';

/** Formats rendered as UTF-8 text. */
export type TextExportFormat = 'txt' | 'srt' | 'vtt' | 'json' | 'md' | 'rttm';
export type ExportFormat = TextExportFormat | 'docx';

export const EXPORT_FORMATS: readonly ExportFormat[] = ['txt', 'srt', 'vtt', 'json', 'md', 'rttm', 'docx'];

export type { ExportOptions } from './options';
export { DEFAULT_EXPORT_OPTIONS } from './options';
export { parseTranscriptJson, TRANSCRIPT_JSON_FORMAT, TRANSCRIPT_JSON_VERSION, type TranscriptJsonErrorCode } from './json';
export type { WriteFileErrorCode, WrittenFile } from './write-file';
export { renderDocx, renderJson, renderMd, renderRttm, renderSrt, renderTxt, renderVtt };

const RENDERERS: Record<TextExportFormat, (transcript: Transcript, options?: ExportOptions) => string> = {
  txt: renderTxt,
  srt: renderSrt,
  vtt: renderVtt,
  json: renderJson,
  md: renderMd,
  rttm: renderRttm,
};

export function isExportFormat(value: string): value is ExportFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(value);
}

export function isTextExportFormat(format: ExportFormat): format is TextExportFormat {
  return format !== 'docx';
}

export function renderTranscript(transcript: Transcript, format: TextExportFormat, options: ExportOptions = {}): string {
  return RENDERERS[format](transcript, options);
}

/** The file's bytes in any format (text formats as UTF-8). */
export async function renderTranscriptBytes(
  transcript: Transcript,
  format: ExportFormat,
  options: ExportOptions = {},
): Promise<Uint8Array> {
  if (!isTextExportFormat(format)) return renderDocx(transcript, options);
  return Buffer.from(renderTranscript(transcript, format, options), 'utf8');
}

/** File name extension for a format, without the dot ("srt"), as save dialogs' filters expect. */
export function fileExtension(format: ExportFormat): string {
  return format;
}

/** Renders and writes atomically (see writeFileAtomic); text is UTF-8, BOM only if srtByteOrderMark asks. */
export async function writeTranscriptFile(
  transcript: Transcript,
  format: ExportFormat,
  outPath: string,
  options: ExportOptions = {},
): Promise<Result<WrittenFile, WriteFileErrorCode>> {
  return writeFileAtomic(
    outPath,
    isTextExportFormat(format) ? renderTranscript(transcript, format, options) : await renderDocx(transcript, options),
  );
}
