/**
 * "You" and "others" from the channels of a recording: a mic + system-audio monitor recording has the user
 * alone on the first channel and everybody else on the second. Each channel is transcribed on its own (the
 * mix of overlapping voices is what hurts Whisper most), the first channel's segments are the user's
 * (label YOU_LABEL, named with the user's name), only the second channel is diarized, and both are merged
 * into one transcript in time order. A stereo file whose channels are different people can be treated the
 * same way when the user asks (`channels: 'separate'`).
 */
import { closeSync, openSync, readSync } from 'node:fs';
import type { CodedError, Result } from '../../src-shared/result';
import { ok } from '../../src-shared/result';
import type { SpeakerTurn, Transcript, TranscriptSegment } from '../../src-shared/transcript';
import { assignSpeakers } from '../diarization/assign-speakers';
import type { SpeakerCountHint } from '../diarization/diarize-audio';
import type { FileDiarizer } from '../diarization/file-diarizer';
import type { MeetingSummary } from '../../src-shared/library';
import type { LibraryStore, MeetingUpdate } from '../library/library-store';
import type { FileTranscribeRequest, FileTranscriber } from './file-transcriber';
import { jobCancelled, transcribeForJob } from './transcription-steps';
import type { JobContext } from './types';

/** The speaker label of the user's own channel; the user's name is given to it as the speaker's name. */
export const YOU_LABEL = 'YOU';
/** The name the user's channel gets until the user sets one in Settings. */
export const DEFAULT_USER_NAME = 'Me';

export interface SeparatedTranscription {
  transcript: Transcript;
  /** The user's turns (the first channel's segments) and the others' turns (diarization of the second). */
  turns: SpeakerTurn[];
  /** Why the others could not be told apart (no diarizer, models missing), when they could not. */
  diarizationError: CodedError | null;
}

/** Whether speaker turns stored for a meeting came from separated channels. */
export function isChannelSeparated(turns: readonly SpeakerTurn[]): boolean {
  return turns.some((turn) => turn.speaker === YOU_LABEL);
}

/**
 * Channels of a WAV file from its header (our recordings are WAV), or null when it is not a readable WAV.
 * Synchronous and cheap: 4 KB at most.
 */
export function wavChannelCount(path: string): number | null {
  let fd: number | null = null;
  try {
    fd = openSync(path, 'r');
    const header = Buffer.alloc(4096);
    const read = readSync(fd, header, 0, header.length, 0);
    if (read < 12 || header.toString('ascii', 0, 4) !== 'RIFF' || header.toString('ascii', 8, 12) !== 'WAVE') return null;
    for (let offset = 12; offset + 8 <= read;) {
      const size = header.readUInt32LE(offset + 4);
      if (header.toString('ascii', offset, offset + 4) === 'fmt ' && offset + 12 <= read) return header.readUInt16LE(offset + 10);
      offset += 8 + size + (size % 2);
    }
    return null;
  } catch {
    return null;
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/** The user's segments as turns: one per segment, touching ones joined. */
function turnsOf(segments: readonly TranscriptSegment[], speaker: string): SpeakerTurn[] {
  const turns: SpeakerTurn[] = [];
  for (const segment of [...segments].sort((a, b) => a.start - b.start)) {
    const last = turns[turns.length - 1];
    if (last !== undefined && segment.start <= last.end) last.end = Math.max(last.end, segment.end);
    else if (segment.end > segment.start) turns.push({ start: segment.start, end: segment.end, speaker });
  }
  return turns;
}

/** Both channels' segments in time order (the user first on a tie), numbered again. */
export function mergeInTimeOrder(you: readonly TranscriptSegment[], others: readonly TranscriptSegment[]): TranscriptSegment[] {
  const tagged = [...you.map((segment) => ({ segment, channel: 0 })), ...others.map((segment) => ({ segment, channel: 1 }))];
  tagged.sort((a, b) => a.segment.start - b.segment.start || a.channel - b.channel || a.segment.end - b.segment.end);
  return tagged.map(({ segment }, id) => ({ ...segment, id }));
}

/** The others' segments labelled from a diarization of their channel alone; the user's stay YOU_LABEL. */
export function labelSeparated(segments: readonly TranscriptSegment[], othersTurns: readonly SpeakerTurn[]): TranscriptSegment[] {
  const you = segments.filter((segment) => segment.speaker === YOU_LABEL);
  const others = segments.filter((segment) => segment.speaker !== YOU_LABEL).map((segment) => ({ ...segment, speaker: null }));
  return mergeInTimeOrder(you, othersTurns.length > 0 ? assignSpeakers(others, othersTurns) : others);
}

export interface SeparatedDeps {
  transcriber: FileTranscriber;
  diarizer: FileDiarizer | null;
}

/**
 * Transcribes the first two channels of `request.path` one at a time and diarizes the second, with the
 * job's progress over [from, to] and its cancel. A diarization that cannot run leaves the others unlabelled
 * (the transcript matters more); a cancel ends it all.
 */
export async function transcribeChannelsForJob(
  context: JobContext,
  deps: SeparatedDeps,
  request: FileTranscribeRequest,
  range: { from: number; to: number },
  speakers?: SpeakerCountHint,
): Promise<Result<SeparatedTranscription>> {
  const span = range.to - range.from;
  const at = (fraction: number): number => range.from + span * fraction;
  const you = await transcribeForJob(context, deps.transcriber, { ...request, channel: 0 }, { from: at(0), to: at(0.4) });
  if (!you.ok) return you;
  const others = await transcribeForJob(context, deps.transcriber, { ...request, channel: 1 }, { from: at(0.4), to: at(0.8) });
  if (!others.ok) return others;

  let othersTurns: SpeakerTurn[] = [];
  let diarizationError: CodedError | null = null;
  if (deps.diarizer === null) {
    diarizationError = { code: 'DIARIZATION_UNAVAILABLE', message: 'Speaker diarization is not set up in this build.' };
  } else {
    context.reportProgress(at(0.8), 'diarize');
    const diarized = await deps.diarizer.diarize(
      { path: request.path, channel: 1, speakers },
      ({ stage, percent }) => context.reportProgress(stage === 'load-models' ? at(0.8) : at(0.8 + (0.2 * percent) / 100), 'diarize'),
      context.signal,
    );
    if (context.signal.aborted || (!diarized.ok && diarized.error.code === 'CANCELLED'))
      return jobCancelled(`Diarizing ${request.path}`, request.path);
    if (diarized.ok) othersTurns = diarized.value.turns;
    else diarizationError = diarized.error;
  }

  const youSegments = you.value.segments.map((segment) => ({ ...segment, speaker: YOU_LABEL }));
  const othersSegments = others.value.segments.map((segment) => ({ ...segment, speaker: null }));
  const segments = mergeInTimeOrder(youSegments, othersTurns.length > 0 ? assignSpeakers(othersSegments, othersTurns) : othersSegments);
  // The language of the side that said more (each channel detected its own).
  const language = you.value.segments.length >= others.value.segments.length ? you.value.language : others.value.language;
  const turns = [...turnsOf(youSegments, YOU_LABEL), ...othersTurns].sort((a, b) => a.start - b.start || a.end - b.end);
  return ok({
    transcript: { ...you.value, language, duration: Math.max(you.value.duration, others.value.duration), segments },
    turns,
    diarizationError,
  });
}

/** The user's speaker gets the user's name, unless the user already named it. */
export function nameUserSpeaker(library: LibraryStore, meetingId: string, userName: string): void {
  const speakers = library.listSpeakers(meetingId);
  if (!speakers.ok) return;
  const you = speakers.value.find((speaker) => speaker.label === YOU_LABEL);
  const name = userName.trim() || DEFAULT_USER_NAME;
  if (you !== undefined && you.name === null) library.renameSpeaker(you.id, name);
}

/** Stores a separated transcription with its turns in one transaction, then names the user's speaker. */
export function storeSeparated(
  library: LibraryStore,
  meetingId: string,
  separated: SeparatedTranscription,
  update: MeetingUpdate,
  userName: string,
): Result<MeetingSummary> {
  if (Object.keys(update).length > 0) {
    const updated = library.updateMeeting(meetingId, update);
    if (!updated.ok) return updated;
  }
  const stored = library.replaceTranscript(meetingId, separated.transcript, { status: 'ready', speakerTurns: separated.turns });
  if (stored.ok) nameUserSpeaker(library, meetingId, userName);
  return stored;
}
