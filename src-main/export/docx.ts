/**
 * Word (.docx) minutes, with the `docx` library: the meeting's title as a heading, a line of facts (language,
 * length, model), then one paragraph per segment, `[HH:MM:SS]` in grey, the speaker in bold, the text.
 * Consecutive segments of one speaker keep their own paragraphs (each keeps its time) but name the speaker
 * once, as minutes read. Text goes through the same clean-up as the text formats (no control characters,
 * which XML forbids).
 */
import { AlignmentType, Document, HeadingLevel, Packer, Paragraph, TextRun } from 'docx';
import type { Transcript } from '../../src-shared/transcript';
import { resolveExportOptions, type ExportOptions } from './options';
import { toSingleLine } from './text';
import { formatClockSeconds } from './timecode';

const TIME_COLOR = '6B7280';

export async function renderDocx(transcript: Transcript, options: ExportOptions = {}): Promise<Uint8Array> {
  const resolved = resolveExportOptions(options);
  const title = toSingleLine(transcript.source) || 'Transcript';
  const facts = [
    transcript.language ? `Language: ${toSingleLine(transcript.language)}` : null,
    `Length: ${formatClockSeconds(transcript.duration)}`,
    transcript.modelId ? `Transcribed with ${toSingleLine(transcript.modelId)}` : null,
  ].filter((fact): fact is string => fact !== null);

  const paragraphs: Paragraph[] = [
    new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun(title)] }),
    new Paragraph({
      alignment: AlignmentType.LEFT,
      spacing: { after: 240 },
      children: [new TextRun({ text: facts.join(' · '), color: TIME_COLOR })],
    }),
  ];
  let previousSpeaker: string | null = null;
  for (const segment of transcript.segments) {
    const text = toSingleLine(segment.text);
    if (text === '') continue;
    const speaker = resolved.includeSpeakers && segment.speaker !== null ? toSingleLine(segment.speaker) : '';
    const runs: TextRun[] = [];
    if (resolved.includeTimestamps) runs.push(new TextRun({ text: `[${formatClockSeconds(segment.start)}] `, color: TIME_COLOR }));
    if (speaker !== '' && speaker !== previousSpeaker) runs.push(new TextRun({ text: `${speaker}: `, bold: true }));
    runs.push(new TextRun(text));
    paragraphs.push(new Paragraph({ spacing: { after: 120 }, children: runs }));
    previousSpeaker = speaker === '' ? null : speaker;
  }

  const document = new Document({
    title,
    creator: 'Verbatim',
    description: 'Meeting transcript',
    styles: { default: { document: { run: { font: 'Calibri', size: 22 } } } },
    sections: [{ children: paragraphs }],
  });
  return new Uint8Array(await Packer.toBuffer(document));
}
