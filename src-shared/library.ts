/** Rows of the meeting library that cross to the renderer. Times are seconds; dates are ISO 8601 UTC strings. */
import type { ErrorCodeOf } from './errors';
import type { CodedError } from './result';

/**
 * `recording`: live capture still going; `queued`: waiting for transcription; `transcribing`: a job is on it;
 * `ready`: a transcript is stored; `failed`: the last transcription failed (the job says why).
 */
export type MeetingStatus = 'recording' | 'queued' | 'transcribing' | 'ready' | 'failed';

export const MEETING_STATUSES: readonly MeetingStatus[] = ['recording', 'queued', 'transcribing', 'ready', 'failed'];

export interface MeetingSummary {
  id: string;
  title: string;
  createdAt: string;
  updatedAt: string;
  /** Seconds of audio, once known. */
  duration: number | null;
  /** The imported file, for imported meetings. */
  sourceFile: string | null;
  /** The recorded WAV (its first segment file), for recorded meetings. */
  recordingPath: string | null;
  /** ISO 639-1 code, requested or detected. */
  language: string | null;
  /** Catalog id of the model that transcribed (or will transcribe) it. */
  modelId: string | null;
  /** The vocabulary prompt (names, jargon) the transcript was made with; null when none. */
  prompt: string | null;
  status: MeetingStatus;
  /** When the current transcript was stored; null before the first one. */
  transcribedAt: string | null;
  segmentCount: number;
  /** Why the last transcription failed (status `failed`); null otherwise. */
  failure: CodedError | null;
}

export interface Speaker {
  id: number;
  meetingId: string;
  /** The diarizer's label, as in `TranscriptSegment.speaker` ("SPEAKER_00"). */
  label: string;
  /** The name the user gave; null shows the label. */
  name: string | null;
}

/** A piece of a search snippet; `hit` pieces are the matched text to highlight. */
export interface SnippetPart {
  text: string;
  hit: boolean;
}

export interface SearchHit {
  meetingId: string;
  meetingTitle: string;
  /** `TranscriptSegment.id` within the meeting. */
  segmentId: number;
  start: number;
  end: number;
  speaker: string | null;
  /** The segment's text around the hit (ellipsis where cut), split into plain and highlighted parts. */
  snippet: SnippetPart[];
}

/** The library's codes (see ERROR_CODES.library), and INVALID_INPUT for a value it refuses. */
export type LibraryErrorCode = ErrorCodeOf<'library'> | 'INVALID_INPUT';
