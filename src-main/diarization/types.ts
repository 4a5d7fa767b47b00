/** One stretch of one speaker talking, in seconds from the start of the recording. */
export interface SpeakerTurn {
  start: number;
  end: number;
  speaker: string;
}
