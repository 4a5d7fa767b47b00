import { describe, expect, it } from 'vitest';
import { transcriptWithSpeakerNames, speakerTurnsWithNames } from '../../src-main/library/named-transcript';
import { expectError, JFK_LINES, openStore, rawConnection, tempDir, transcriptOf, unwrap } from './library-fixtures';

const TURNS = [
  { start: 4.2, end: 9, speaker: 'SPEAKER_01' },
  { start: 0.5, end: 4, speaker: 'SPEAKER_00' },
  { start: 8, end: 12.5, speaker: 'SPEAKER_00' },
];

describe('speaker turns in the library', () => {
  it('are stored with the transcript in one write, read back by time, and replaced by the next run', () => {
    const store = openStore();
    const meeting = unwrap(store.createMeeting({ title: 'turns' }));
    const transcript = transcriptOf(JFK_LINES);
    unwrap(store.replaceTranscript(meeting.id, transcript, { speakerTurns: TURNS }));
    expect(unwrap(store.getSpeakerTurns(meeting.id))).toEqual([TURNS[1], TURNS[0], TURNS[2]]);
    // A transcript stored without turns (a re-transcription) keeps the diarizer's turns.
    unwrap(store.replaceTranscript(meeting.id, transcript));
    expect(unwrap(store.getSpeakerTurns(meeting.id))).toHaveLength(3);
    unwrap(store.replaceTranscript(meeting.id, transcript, { speakerTurns: [TURNS[0]!] }));
    expect(unwrap(store.getSpeakerTurns(meeting.id))).toEqual([TURNS[0]]);
  });

  it('refuses bad turns without writing anything, and goes with its meeting', () => {
    const dir = tempDir();
    const store = openStore(dir);
    const meeting = unwrap(store.createMeeting({ title: 'bad turns' }));
    expectError(
      store.replaceTranscript(meeting.id, transcriptOf(JFK_LINES), { speakerTurns: [{ start: 3, end: 2, speaker: 'A' }] }),
      'INVALID_TRANSCRIPT',
    );
    expectError(store.replaceSpeakerTurns(meeting.id, [{ start: 0, end: 1, speaker: ' ' }]), 'INVALID_TRANSCRIPT');
    expect(unwrap(store.getTranscript(meeting.id)).segments).toEqual([]);
    unwrap(store.replaceSpeakerTurns(meeting.id, TURNS));
    // Turns alone leave the meeting untranscribed.
    expect(unwrap(store.getMeeting(meeting.id)).transcribedAt).toBeNull();
    unwrap(store.deleteMeeting(meeting.id));
    expectError(store.getSpeakerTurns(meeting.id), 'MEETING_NOT_FOUND');
    const db = rawConnection(dir);
    expect(db.prepare('SELECT COUNT(*) AS n FROM speaker_turns').get()).toEqual({ n: 0 });
    db.close();
  });

  it('export with the names the user gave', () => {
    const store = openStore();
    const meeting = unwrap(store.createMeeting({ title: 'names' }));
    const transcript = transcriptOf(JFK_LINES);
    transcript.segments = transcript.segments.map((segment, index) => ({ ...segment, speaker: index === 1 ? 'SPEAKER_01' : 'SPEAKER_00' }));
    unwrap(store.replaceTranscript(meeting.id, transcript, { speakerTurns: TURNS }));
    const speaker = unwrap(store.listSpeakers(meeting.id)).find((candidate) => candidate.label === 'SPEAKER_01')!;
    unwrap(store.renameSpeaker(speaker.id, 'Min-ji Park'));
    expect(unwrap(speakerTurnsWithNames(store, meeting.id)).map((turn) => turn.speaker)).toEqual([
      'SPEAKER_00',
      'Min-ji Park',
      'SPEAKER_00',
    ]);
    expect(unwrap(transcriptWithSpeakerNames(store, meeting.id)).segments[1]?.speaker).toBe('Min-ji Park');
  });
});
