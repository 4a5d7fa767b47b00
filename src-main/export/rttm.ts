import type { Transcript } from '../../src-shared/transcript';
import { formatRttm } from '../diarization/rttm';
import type { ExportOptions } from './options';

/**
 * Who spoke when, as NIST RTTM (what diarization scorers read): the diarizer's turns when given, otherwise
 * one turn per segment that has a speaker. The file id is the transcript's source without its extension.
 */
export function renderRttm(transcript: Transcript, options: ExportOptions = {}): string {
  const turns =
    options.speakerTurns ??
    transcript.segments.flatMap((segment) =>
      segment.speaker !== null && segment.end > segment.start ? [{ start: segment.start, end: segment.end, speaker: segment.speaker }] : [],
    );
  const fileId = transcript.source.replace(/\.[^./\\]+$/, '') || 'recording';
  return formatRttm(fileId, turns);
}
