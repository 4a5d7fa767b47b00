/** A stored transcript with each segment's speaker shown as the name the user gave it (the label otherwise). */
import type { Result } from '../../src-shared/result';
import type { SpeakerTurn, Transcript } from '../../src-shared/transcript';
import type { LibraryStore } from './library-store';

export function transcriptWithSpeakerNames(library: LibraryStore, meetingId: string): Result<Transcript> {
  const transcript = library.getTranscript(meetingId);
  if (!transcript.ok) return transcript;
  const speakers = library.listSpeakers(meetingId);
  if (!speakers.ok) return speakers;
  const names = new Map(speakers.value.flatMap((speaker) => (speaker.name === null ? [] : [[speaker.label, speaker.name] as const])));
  if (names.size === 0) return transcript;
  return {
    ok: true,
    value: {
      ...transcript.value,
      segments: transcript.value.segments.map((segment) =>
        segment.speaker !== null && names.has(segment.speaker) ? { ...segment, speaker: names.get(segment.speaker) as string } : segment,
      ),
    },
  };
}

/** The stored speaker turns, each labelled with the name the user gave its speaker (the label otherwise). */
export function speakerTurnsWithNames(library: LibraryStore, meetingId: string): Result<SpeakerTurn[]> {
  const turns = library.getSpeakerTurns(meetingId);
  if (!turns.ok) return turns;
  const speakers = library.listSpeakers(meetingId);
  if (!speakers.ok) return speakers;
  const names = new Map(speakers.value.flatMap((speaker) => (speaker.name === null ? [] : [[speaker.label, speaker.name] as const])));
  return { ok: true, value: turns.value.map((turn) => ({ ...turn, speaker: names.get(turn.speaker) ?? turn.speaker })) };
}
