/**
 * Hand edits carried across a re-transcription, the transcript it replaced kept for an undo, speakers
 * picked by name and merged, and a failed transcription's reason: all on a real SQLite library.
 */
import { describe, expect, it } from 'vitest';
import { carryEdits } from '../../src-main/library/carry-edits';
import type { Transcript, TranscriptSegment } from '../../src-shared/transcript';
import { expectError, openStore, rawConnection, tempDir, unwrap } from './library-fixtures';

function segment(id: number, start: number, end: number, text: string, speaker: string | null = null): TranscriptSegment {
  return { id, start, end, text, speaker };
}

function transcript(segments: TranscriptSegment[], modelId = 'whisper-tiny.en'): Transcript {
  return { source: 'Weekly', language: 'en', modelId, task: 'transcribe', duration: 30, segments };
}

const FIRST = [
  segment(0, 0, 4, 'and so my fellow americans', 'SPEAKER_00'),
  segment(1, 4, 8, 'ask not what your country', 'SPEAKER_00'),
  segment(2, 8, 12, 'can do for you', 'SPEAKER_01'),
];
/** The same speech cut differently by another model. */
const SECOND = [
  segment(0, 0, 2.5, 'And so, my fellow', 'SPEAKER_00'),
  segment(1, 2.5, 4.2, 'Americans,', 'SPEAKER_00'),
  segment(2, 4.2, 8.1, 'ask not what your country', 'SPEAKER_00'),
  segment(3, 8.1, 12, 'can do for you.', 'SPEAKER_01'),
];

describe('hand edits across a re-transcription', () => {
  it('keeps a corrected line in place of the new segments at its time, and a chosen speaker on the new ones there', () => {
    const store = openStore();
    const meeting = unwrap(store.createMeeting({ title: 'Weekly' }));
    unwrap(store.replaceTranscript(meeting.id, transcript(FIRST)));
    unwrap(store.editSegmentText(meeting.id, 0, 'And so, my fellow Americans,'));
    unwrap(store.setSegmentSpeakerName(meeting.id, 2, 'Diane'));

    unwrap(store.replaceTranscript(meeting.id, transcript(SECOND, 'whisper-base'), { keepPrevious: true }));
    const after = unwrap(store.getTranscript(meeting.id)).segments;
    expect(after.map((line) => [line.id, line.start, line.text])).toEqual([
      [0, 0, 'And so, my fellow Americans,'],
      [1, 4.2, 'ask not what your country'],
      [2, 8.1, 'can do for you.'],
    ]);
    expect(after[0]?.edited).toEqual({ text: true });
    const diane = unwrap(store.listSpeakers(meeting.id)).find((speaker) => speaker.name === 'Diane');
    expect(diane).toBeDefined();
    expect(after[2]).toMatchObject({ speaker: diane?.label, edited: { speaker: true } });
    // A second re-transcription still knows which lines were the user's.
    unwrap(store.replaceTranscript(meeting.id, transcript(SECOND)));
    expect(unwrap(store.getTranscript(meeting.id)).segments.map((line) => line.text)[0]).toBe('And so, my fellow Americans,');
  });

  it('replaces the edits when asked to, and keeps the transcript it replaced, which a restore brings back (twice is an undo)', () => {
    const store = openStore();
    const meeting = unwrap(store.createMeeting({ title: 'Weekly' }));
    unwrap(store.replaceTranscript(meeting.id, transcript(FIRST)));
    const speaker = unwrap(store.listSpeakers(meeting.id)).find((row) => row.label === 'SPEAKER_01');
    unwrap(store.renameSpeaker(speaker?.id ?? -1, 'Ruth'));
    unwrap(store.editSegmentText(meeting.id, 1, 'Ask not what your country can do for you'));
    expect(unwrap(store.getPreviousTranscript(meeting.id))).toBeNull();
    expectError(store.restorePreviousTranscript(meeting.id), 'PREVIOUS_TRANSCRIPT_NOT_FOUND');

    unwrap(
      store.replaceTranscript(
        meeting.id,
        transcript(
          SECOND.map((line) => ({ ...line, speaker: 'SPEAKER_00' })),
          'whisper-base',
        ),
        { keepEdits: false, keepPrevious: true },
      ),
    );
    expect(unwrap(store.getTranscript(meeting.id)).segments.map((line) => line.text)).toEqual(SECOND.map((line) => line.text));
    expect(unwrap(store.listSpeakers(meeting.id)).map((row) => row.label)).toEqual(['SPEAKER_00']);
    expect(unwrap(store.getPreviousTranscript(meeting.id))).toMatchObject({ modelId: 'whisper-tiny.en', segmentCount: 3 });

    const restored = unwrap(store.restorePreviousTranscript(meeting.id));
    expect(restored).toMatchObject({ modelId: 'whisper-tiny.en', status: 'ready' });
    const back = unwrap(store.getTranscript(meeting.id)).segments;
    expect(back.map((line) => line.text)).toEqual([
      'and so my fellow americans',
      'Ask not what your country can do for you',
      'can do for you',
    ]);
    expect(back[1]?.edited).toEqual({ text: true });
    expect(unwrap(store.listSpeakers(meeting.id)).find((row) => row.label === 'SPEAKER_01')?.name).toBe('Ruth');
    expect(unwrap(store.getPreviousTranscript(meeting.id))).toMatchObject({ modelId: 'whisper-base', segmentCount: 4 });

    unwrap(store.restorePreviousTranscript(meeting.id));
    expect(unwrap(store.getTranscript(meeting.id)).segments.map((line) => line.text)).toEqual(SECOND.map((line) => line.text));
  });

  it('with word times, takes out only the words said during a corrected line, keeping the rest of a long new segment', () => {
    const long: TranscriptSegment = {
      ...segment(0, 0, 12, 'And so my fellow Americans ask not what your country can do for you'),
      words: 'And so my fellow Americans ask not what your country can do for you'
        .split(' ')
        .map((word, index) => ({ start: Math.round(index * 8) / 10, end: Math.round(index * 8 + 7) / 10, text: ` ${word}` })),
    };
    const corrected = { ...segment(3, 4, 5.5, 'ASK NOT!', 'SPEAKER_00'), edited: { text: true } };
    const carried = carryEdits([corrected], [long]);
    expect(carried.map((line) => [line.start, line.text])).toEqual([
      [0, 'And so my fellow Americans'],
      [4, 'ASK NOT!'],
      [5.6, 'what your country can do for you'],
    ]);
    expect(carried[2]?.words?.map((word) => word.text.trim())).toEqual(['what', 'your', 'country', 'can', 'do', 'for', 'you']);
  });

  it('splits a long new segment where the speakers the user chose change, word by word', () => {
    const words = 'Hello. Hello. Oh, hello. I did not know you were there.'
      .split(' ')
      .map((word, index) => ({ start: index, end: index + 0.8, text: ` ${word}` }));
    const long: TranscriptSegment = {
      ...segment(
        0,
        0,
        9.8,
        words
          .map((word) => word.text)
          .join('')
          .trim(),
        'SPEAKER_00',
      ),
      words,
    };
    const diane = { ...segment(0, 0, 0.9, 'Hello.', 'SPEAKER_02'), edited: { speaker: true } };
    const sheila = { ...segment(1, 0.9, 1.9, 'Hello.', 'SPEAKER_03'), edited: { speaker: true } };
    const carried = carryEdits([diane, sheila], [long]);
    expect(carried.map((line) => [line.start, line.text, line.speaker, line.edited?.speaker ?? false])).toEqual([
      [0, 'Hello.', 'SPEAKER_02', true],
      // "Oh," (2–2.8 s) is within a second of Sheila's line; what follows is near no line the user touched.
      [1, 'Hello. Oh,', 'SPEAKER_03', true],
      [3, 'hello. I did not know you were there.', 'SPEAKER_00', false],
    ]);
    expect(carried.map((line) => line.id)).toEqual([0, 1, 2]);
  });

  it('gives a word said in the pause between two old lines the speaker of the nearer one', () => {
    // The new model places "Hello." at 0.95–1.35 s, between the old lines (0–0.9 s Diane, 1.5–2 s Sheila).
    const words = [
      { start: 0.1, end: 0.5, text: ' Hi.' },
      { start: 0.95, end: 1.35, text: ' Hello.' },
      { start: 1.6, end: 1.9, text: ' Yes.' },
    ];
    const long: TranscriptSegment = { ...segment(0, 0.1, 1.9, 'Hi. Hello. Yes.', null), words };
    const diane = { ...segment(0, 0, 0.9, 'Hi.', 'SPEAKER_02'), edited: { speaker: true } };
    const sheila = { ...segment(1, 1.5, 2, 'Yes.', 'SPEAKER_03'), edited: { speaker: true } };
    const carried = carryEdits([diane, sheila], [long]);
    expect(carried.map((line) => [line.text, line.speaker])).toEqual([
      ['Hi. Hello.', 'SPEAKER_02'],
      ['Yes.', 'SPEAKER_03'],
    ]);
  });

  it('carryEdits leaves the new transcript alone when nothing was edited, and places a corrected line where nothing overlaps it', () => {
    expect(carryEdits(FIRST, SECOND)).toEqual(SECOND);
    const lonely = { ...segment(7, 20, 22, 'A line only the user heard.', null), edited: { text: true } };
    const carried = carryEdits([...FIRST, lonely], SECOND);
    expect(carried.map((line) => line.text)).toEqual([...SECOND.map((line) => line.text), 'A line only the user heard.']);
    expect(carried.map((line) => line.id)).toEqual([0, 1, 2, 3, 4]);
  });
});

describe('speakers by name', () => {
  it('picks an existing speaker by name (any case), or makes a new one named so: never two of one name', () => {
    const store = openStore();
    const meeting = unwrap(store.createMeeting({ title: 'Weekly' }));
    unwrap(store.replaceTranscript(meeting.id, transcript(FIRST)));
    unwrap(store.setSegmentSpeakerName(meeting.id, 0, 'Diane'));
    const afterFirst = unwrap(store.listSpeakers(meeting.id));
    const diane = afterFirst.find((speaker) => speaker.name === 'Diane');
    expect(diane?.label).toBe('SPEAKER_02');
    unwrap(store.setSegmentSpeakerName(meeting.id, 2, 'diane'));
    const segments = unwrap(store.getTranscript(meeting.id)).segments;
    expect(segments.map((line) => line.speaker)).toEqual(['SPEAKER_02', 'SPEAKER_00', 'SPEAKER_02']);
    expect(unwrap(store.listSpeakers(meeting.id)).filter((speaker) => speaker.name === 'Diane')).toHaveLength(1);
    // An unnamed speaker is found by its label, and by the name the app shows for it.
    unwrap(store.setSegmentSpeakerName(meeting.id, 2, 'SPEAKER_00'));
    expect(unwrap(store.getTranscript(meeting.id)).segments[2]?.speaker).toBe('SPEAKER_00');
    unwrap(store.setSegmentSpeakerName(meeting.id, 0, 'speaker 1'));
    expect(unwrap(store.getTranscript(meeting.id)).segments[0]?.speaker).toBe('SPEAKER_00');
    // A label typed as such that is not in use yet becomes that speaker, unnamed.
    unwrap(store.setSegmentSpeakerName(meeting.id, 1, 'SPEAKER_07'));
    expect(unwrap(store.listSpeakers(meeting.id)).find((speaker) => speaker.label === 'SPEAKER_07')?.name).toBeNull();
    expectError(store.setSegmentSpeakerName(meeting.id, 0, '   '), 'INVALID_INPUT');
  });

  it('merges one speaker into another: segments and turns move, the name survives', () => {
    const store = openStore();
    const meeting = unwrap(store.createMeeting({ title: 'Weekly' }));
    unwrap(
      store.replaceTranscript(meeting.id, transcript(FIRST), {
        speakerTurns: [
          { start: 0, end: 8, speaker: 'SPEAKER_00' },
          { start: 8, end: 12, speaker: 'SPEAKER_01' },
        ],
      }),
    );
    const second = unwrap(store.listSpeakers(meeting.id)).find((speaker) => speaker.label === 'SPEAKER_01');
    unwrap(store.renameSpeaker(second?.id ?? -1, 'Diane'));
    const left = unwrap(store.mergeSpeakers(meeting.id, 'SPEAKER_01', 'SPEAKER_00'));
    expect(left.map((speaker) => [speaker.label, speaker.name])).toEqual([['SPEAKER_00', 'Diane']]);
    expect(unwrap(store.getTranscript(meeting.id)).segments.every((line) => line.speaker === 'SPEAKER_00')).toBe(true);
    expect(unwrap(store.getSpeakerTurns(meeting.id)).map((turn) => turn.speaker)).toEqual(['SPEAKER_00', 'SPEAKER_00']);
    expectError(store.mergeSpeakers(meeting.id, 'SPEAKER_01', 'SPEAKER_00'), 'SPEAKER_NOT_FOUND');
    expectError(store.mergeSpeakers(meeting.id, 'SPEAKER_00', 'SPEAKER_00'), 'INVALID_INPUT');
  });
});

describe('a failed transcription', () => {
  it('keeps its reason on the meeting until a transcript is stored', () => {
    const store = openStore();
    const meeting = unwrap(store.createMeeting({ title: 'Broken' }));
    const failed = unwrap(
      store.updateMeeting(meeting.id, { status: 'failed', failure: { code: 'NOT_MEDIA', message: 'not audio', subject: '/tmp/x.txt' } }),
    );
    expect(failed.failure).toEqual({ code: 'NOT_MEDIA', message: 'not audio', subject: '/tmp/x.txt' });
    expect(unwrap(store.listMeetings())[0]?.failure?.code).toBe('NOT_MEDIA');
    unwrap(store.replaceTranscript(meeting.id, transcript(FIRST)));
    expect(unwrap(store.getMeeting(meeting.id))).toMatchObject({ status: 'ready', failure: null });
  });

  it('reads a reason stored by an older version in today’s vocabulary', () => {
    const dir = tempDir();
    const store = openStore(dir);
    const meeting = unwrap(store.createMeeting({ title: 'Stopped' }));
    const update = rawConnection(dir).prepare(`UPDATE meetings SET status = 'failed', failure = ? WHERE id = ?`);
    update.run(JSON.stringify({ code: 'ABORTED', message: 'decoding /a.wav was aborted', subject: '/a.wav' }), meeting.id);
    expect(unwrap(store.getMeeting(meeting.id)).failure).toEqual({
      code: 'CANCELLED',
      message: 'decoding /a.wav was aborted',
      subject: '/a.wav',
    });
    update.run(JSON.stringify({ code: 'GONE_CODE', message: 'it broke' }), meeting.id);
    expect(unwrap(store.getMeeting(meeting.id)).failure).toEqual({ code: 'UNKNOWN_ERROR', message: 'GONE_CODE: it broke' });
  });
});
