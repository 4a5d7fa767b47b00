/**
 * The transcript model shared by the engine, the exports, the CLI and the renderer.
 * Times are seconds from the start of the recording (absolute, never window-relative).
 */
export interface TranscriptWord {
  start: number;
  end: number;
  text: string;
  /** Model confidence in [0, 1] when the decoder reports it. */
  probability?: number;
}

export interface TranscriptSegment {
  /** Stable key within a transcript (index order); lets reruns replace rather than duplicate. */
  id: number;
  start: number;
  end: number;
  text: string;
  /** Speaker label ("SPEAKER_00", …) once diarization has run; null until then. */
  speaker: string | null;
  words?: TranscriptWord[];
  /** ISO 639-1 code of the language this segment was transcribed in, when it was detected per window. */
  language?: string;
  /** Speech was heard here but no text came of it (the text is "[inaudible]"). */
  inaudible?: boolean;
  /** What the user changed by hand (kept across a re-transcription); absent when nothing was. */
  edited?: SegmentEdits;
}

/** Hand edits of one segment: its text was corrected, or its speaker was chosen by the user. */
export interface SegmentEdits {
  text?: boolean;
  speaker?: boolean;
}

export type AsrTask = 'transcribe' | 'translate';

export interface Transcript {
  /** Source file name or recording title. */
  source: string;
  /** ISO 639-1 code of the spoken language (detected or given). */
  language: string;
  /** Catalog id of the model that produced it, e.g. "whisper-base". */
  modelId: string;
  task: AsrTask;
  /** Duration of the audio in seconds. */
  duration: number;
  segments: TranscriptSegment[];
}

/** One stretch of one speaker talking, in seconds from the start of the recording (diarization output). */
export interface SpeakerTurn {
  start: number;
  end: number;
  /** Speaker label, as in `TranscriptSegment.speaker`. */
  speaker: string;
}
