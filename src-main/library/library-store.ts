/**
 * The meeting library: meetings (recorded or imported), their transcripts, speakers, and full-text search.
 * Every method returns a Result (errors as values); none throws. Calls are synchronous: the SQLite adapter
 * answers in microseconds to milliseconds, and a whole transcript is written in one transaction.
 */
import type { LibraryErrorCode, MeetingStatus, MeetingSummary, SearchHit, Speaker } from '../../src-shared/library';
import type { CodedError, Result } from '../../src-shared/result';
import type { SpeakerTurn, Transcript, TranscriptSegment } from '../../src-shared/transcript';

export type LibraryResult<T> = Result<T, LibraryErrorCode>;

export interface NewMeeting {
  /** A caller-chosen id makes creation idempotent for jobs that may run twice; default: a random UUID. */
  id?: string;
  title: string;
  /** Default: now. */
  createdAt?: Date | string;
  duration?: number | null;
  sourceFile?: string | null;
  recordingPath?: string | null;
  language?: string | null | undefined;
  modelId?: string | null | undefined;
  /** Default: `queued`. */
  status?: MeetingStatus;
}

/** Fields to change; absent fields keep their value, `null` clears an optional one. */
export interface MeetingUpdate {
  title?: string;
  duration?: number | null;
  sourceFile?: string | null;
  recordingPath?: string | null;
  language?: string | null;
  modelId?: string | null;
  prompt?: string | null;
  status?: MeetingStatus;
  /** Why the last transcription failed; null clears it. */
  failure?: CodedError | null;
}

export interface ListMeetingsOptions {
  /** Default 200. */
  limit?: number;
  offset?: number;
}

export interface ReplaceTranscriptOptions {
  /** The meeting's status once the transcript is stored; default `ready`. */
  status?: MeetingStatus;
  /** Who spoke when (diarization), stored in the same transaction, replacing earlier turns; absent keeps them. */
  speakerTurns?: readonly SpeakerTurn[];
  /**
   * Lines the user corrected and speakers the user chose (see `TranscriptSegment.edited`) replace what the
   * new transcript has at their times, so hand edits survive a re-transcription or a diarization (default true).
   */
  keepEdits?: boolean;
  /** Keep the transcript being replaced (with its speakers' names) for restorePreviousTranscript (default false). */
  keepPrevious?: boolean;
}

/** The transcript a re-transcription replaced. */
export interface PreviousTranscript {
  replacedAt: string;
  modelId: string;
  segmentCount: number;
}

export interface SearchOptions {
  /** Default 50, at most 500. */
  limit?: number;
  /** Only this meeting's transcript. */
  meetingId?: string;
}

export interface LibraryStore {
  createMeeting(meeting: NewMeeting): LibraryResult<MeetingSummary>;
  /** Newest first. */
  listMeetings(options?: ListMeetingsOptions): LibraryResult<MeetingSummary[]>;
  getMeeting(meetingId: string): LibraryResult<MeetingSummary>;
  updateMeeting(meetingId: string, update: MeetingUpdate): LibraryResult<MeetingSummary>;
  /** Removes the meeting with its transcript, words and speakers (not its audio files). */
  deleteMeeting(meetingId: string): LibraryResult<void>;

  /**
   * Stores a whole transcript in one transaction, replacing any previous one: a rerun replaces, never
   * doubles, and readers see the old transcript or the new one, never a mix. The meeting takes the
   * transcript's language, model and duration. Speakers keep their names while their label is still used.
   */
  replaceTranscript(meetingId: string, transcript: Transcript, options?: ReplaceTranscriptOptions): LibraryResult<MeetingSummary>;
  /** The stored transcript (`source` is the meeting's title); a meeting not yet transcribed has no segments. */
  getTranscript(meetingId: string): LibraryResult<Transcript>;
  /** The diarizer's speaker turns, by start time; empty when the meeting was never diarized. */
  getSpeakerTurns(meetingId: string): LibraryResult<SpeakerTurn[]>;
  /** Stores who spoke when for a meeting that has no transcript yet (its transcript and status stay as they are). */
  replaceSpeakerTurns(meetingId: string, turns: readonly SpeakerTurn[]): LibraryResult<void>;
  /** Sets a segment's text. Its word timings are dropped: they no longer spell the text. */
  editSegmentText(meetingId: string, segmentId: number, text: string): LibraryResult<TranscriptSegment>;

  /**
   * Attributes a segment to a speaker label (a correction of diarization, or a manual attribution), or
   * to nobody with null. A new label gets its speaker row; a label no segment uses any more loses its row.
   */
  setSegmentSpeaker(meetingId: string, segmentId: number, label: string | null): LibraryResult<TranscriptSegment>;

  /**
   * Attributes a segment to the speaker with this name (or label), case-insensitive; with no such speaker,
   * to a new one named so. The choice is a hand edit.
   */
  setSegmentSpeakerName(meetingId: string, segmentId: number, name: string): LibraryResult<TranscriptSegment>;

  listSpeakers(meetingId: string): LibraryResult<Speaker[]>;
  /** `null` or a blank name goes back to showing the label. */
  renameSpeaker(speakerId: number, name: string | null): LibraryResult<Speaker>;
  /** Every segment and turn of `fromLabel` goes to `intoLabel`; `fromLabel`'s speaker row goes. Returns the speakers left. */
  mergeSpeakers(meetingId: string, fromLabel: string, intoLabel: string): LibraryResult<Speaker[]>;

  /** The transcript the last re-transcription replaced, if one is kept. */
  getPreviousTranscript(meetingId: string): LibraryResult<PreviousTranscript | null>;
  /** Swaps the current transcript with the previous one (so a second call undoes the first). */
  restorePreviousTranscript(meetingId: string): LibraryResult<MeetingSummary>;

  /** Full-text search over every transcript; any user input is safe (it is never parsed as query syntax). */
  search(query: string, options?: SearchOptions): LibraryResult<SearchHit[]>;

  close(): void;
}
