import { describe, expect, it } from 'vitest';
import { openLibrary } from '../../src-main/library/sqlite-library-store';
import { checkIndexes, expectError, JFK_LINES, openStore, rawConnection, tempDir, transcriptOf, unwrap } from './library-fixtures';

describe('meetings', () => {
  it('creates, lists (newest first), gets, updates and deletes meetings', () => {
    const store = openStore();
    const older = unwrap(store.createMeeting({ title: 'Standup', createdAt: '2026-01-05T09:00:00Z', sourceFile: '/audio/standup.m4a' }));
    const newer = unwrap(
      store.createMeeting({
        title: 'Retro',
        createdAt: new Date('2026-02-01T15:30:00Z'),
        status: 'recording',
        recordingPath: '/rec/retro.part-001.wav',
      }),
    );

    expect(older).toMatchObject({
      title: 'Standup',
      createdAt: '2026-01-05T09:00:00.000Z',
      sourceFile: '/audio/standup.m4a',
      recordingPath: null,
      duration: null,
      language: null,
      modelId: null,
      status: 'queued',
      transcribedAt: null,
      segmentCount: 0,
    });
    expect(older.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(unwrap(store.listMeetings()).map((meeting) => meeting.title)).toEqual(['Retro', 'Standup']);
    expect(unwrap(store.listMeetings({ limit: 1, offset: 1 })).map((meeting) => meeting.id)).toEqual([older.id]);
    expect(unwrap(store.getMeeting(newer.id))).toEqual(newer);

    const updated = unwrap(
      store.updateMeeting(newer.id, { title: '  Sprint retro ', status: 'queued', duration: 1830.5, recordingPath: null, language: 'ko' }),
    );
    expect(updated).toMatchObject({
      title: 'Sprint retro',
      status: 'queued',
      duration: 1830.5,
      recordingPath: null,
      language: 'ko',
      modelId: null,
    });
    expect(updated.updatedAt >= newer.updatedAt).toBe(true);
    expect(unwrap(store.getMeeting(newer.id))).toEqual(updated);

    unwrap(store.deleteMeeting(older.id));
    expectError(store.getMeeting(older.id), 'MEETING_NOT_FOUND');
    expectError(store.deleteMeeting(older.id), 'MEETING_NOT_FOUND');
    expect(unwrap(store.listMeetings()).map((meeting) => meeting.id)).toEqual([newer.id]);
  });

  it('refuses a second meeting with the same id, so a rerun job cannot create a duplicate', () => {
    const store = openStore();
    unwrap(store.createMeeting({ id: 'import-42', title: 'First' }));
    const again = store.createMeeting({ id: 'import-42', title: 'Second' });
    expectError(again, 'MEETING_EXISTS');
    expect(unwrap(store.getMeeting('import-42')).title).toBe('First');
    expect(unwrap(store.listMeetings())).toHaveLength(1);
  });

  it('rejects bad input with INVALID_INPUT and writes nothing', () => {
    const store = openStore();
    expectError(store.createMeeting({ title: '   ' }), 'INVALID_INPUT');
    expectError(store.createMeeting({ title: 'x', duration: -1 }), 'INVALID_INPUT');
    expectError(store.createMeeting({ title: 'x', duration: Number.NaN }), 'INVALID_INPUT');
    expectError(store.createMeeting({ title: 'x', createdAt: 'yesterday-ish' }), 'INVALID_INPUT');
    expectError(store.createMeeting({ title: 'x', status: 'done' as never }), 'INVALID_INPUT');
    expectError(store.createMeeting({ title: 'x', id: '' }), 'INVALID_INPUT');
    expect(unwrap(store.listMeetings())).toEqual([]);

    const meeting = unwrap(store.createMeeting({ title: 'Keep me' }));
    expectError(store.updateMeeting(meeting.id, { title: '' }), 'INVALID_INPUT');
    expectError(store.updateMeeting(meeting.id, { status: 'paused' as never }), 'INVALID_INPUT');
    expectError(store.updateMeeting('no-such-meeting', { title: 'x' }), 'MEETING_NOT_FOUND');
    expect(unwrap(store.getMeeting(meeting.id))).toEqual(meeting);
  });

  it('deleting a meeting removes its segments, words, speakers and search hits', () => {
    const dir = tempDir();
    const store = openStore(dir);
    const meeting = unwrap(store.createMeeting({ title: 'JFK' }));
    unwrap(store.replaceTranscript(meeting.id, transcriptOf(JFK_LINES)));
    expect(unwrap(store.search('country'))).not.toHaveLength(0);

    unwrap(store.deleteMeeting(meeting.id));
    const db = rawConnection(dir);
    for (const table of ['segments', 'words', 'speakers', 'meetings']) {
      expect(db.prepare(`SELECT count(*) AS n FROM ${table}`).get()).toEqual({ n: 0 });
    }
    expect(unwrap(store.search('country'))).toEqual([]);
    checkIndexes(db);
  });

  it('answers LIBRARY_CLOSED after close instead of throwing', () => {
    const store = openStore();
    store.close();
    expectError(store.listMeetings(), 'LIBRARY_CLOSED');
    expectError(store.createMeeting({ title: 'late' }), 'LIBRARY_CLOSED');
    store.close();
  });
});

describe('speakers and segment edits', () => {
  it('a renamed speaker and an edited segment persist across a reopen', () => {
    const dir = tempDir();
    const first = unwrap(openLibrary(dir));
    const meeting = unwrap(first.createMeeting({ title: 'JFK' }));
    unwrap(first.replaceTranscript(meeting.id, transcriptOf(JFK_LINES)));

    const speakers = unwrap(first.listSpeakers(meeting.id));
    expect(speakers.map((speaker) => [speaker.label, speaker.name])).toEqual([
      ['SPEAKER_00', null],
      ['SPEAKER_01', null],
    ]);
    const speaker = speakers[0];
    if (speaker === undefined) throw new Error('no speaker');
    expect(unwrap(first.renameSpeaker(speaker.id, '  John F. Kennedy '))).toMatchObject({ label: 'SPEAKER_00', name: 'John F. Kennedy' });

    const edited = unwrap(first.editSegmentText(meeting.id, 1, 'Ask not what your country can do for you;'));
    expect(edited).toEqual({
      id: 1,
      start: 4,
      end: 7.5,
      text: 'Ask not what your country can do for you;',
      speaker: 'SPEAKER_01',
      edited: { text: true },
    });
    first.close();

    const second = unwrap(openLibrary(dir));
    try {
      expect(unwrap(second.listSpeakers(meeting.id)).find((row) => row.id === speaker.id)?.name).toBe('John F. Kennedy');
      const segments = unwrap(second.getTranscript(meeting.id)).segments;
      expect(segments[1]?.text).toBe('Ask not what your country can do for you;');
      // The edited segment's old word timings no longer spell its text, so they are gone; the others keep theirs.
      expect(segments[1]?.words).toBeUndefined();
      expect(segments[0]?.words).toHaveLength(JFK_LINES[0]?.split(' ').length ?? -1);
      expect(unwrap(second.renameSpeaker(speaker.id, '   ')).name).toBeNull();
    } finally {
      second.close();
    }
  });

  it('attributes segments to speakers by hand: new labels get a speaker, unused ones lose theirs, words stay', () => {
    const store = openStore();
    const meeting = unwrap(store.createMeeting({ title: 'JFK' }));
    unwrap(store.replaceTranscript(meeting.id, transcriptOf(JFK_LINES)));
    const before = unwrap(store.getTranscript(meeting.id)).segments;
    const moved = unwrap(store.setSegmentSpeaker(meeting.id, 1, ' Moderator '));
    expect(moved).toMatchObject({ id: 1, speaker: 'Moderator', text: before[1]?.text });
    expect(moved.words).toEqual(before[1]?.words);
    // SPEAKER_01 spoke only segment 1, so its row is gone; the new label has one.
    expect(
      unwrap(store.listSpeakers(meeting.id))
        .map((speaker) => speaker.label)
        .sort(),
    ).toEqual(['Moderator', 'SPEAKER_00']);
    const moderator = unwrap(store.listSpeakers(meeting.id)).find((speaker) => speaker.label === 'Moderator');
    expect(unwrap(store.renameSpeaker(moderator?.id ?? -1, 'Ana')).name).toBe('Ana');
    unwrap(store.setSegmentSpeaker(meeting.id, 1, null));
    expect(unwrap(store.listSpeakers(meeting.id)).map((speaker) => speaker.label)).toEqual(['SPEAKER_00']);
    expect(unwrap(store.getTranscript(meeting.id)).segments[1]?.speaker).toBeNull();
    expectError(store.setSegmentSpeaker(meeting.id, 99, 'X'), 'SEGMENT_NOT_FOUND');
    expectError(store.setSegmentSpeaker(meeting.id, 1, '   '), 'INVALID_INPUT');
  });

  it('reports unknown segments and speakers by code', () => {
    const store = openStore();
    const meeting = unwrap(store.createMeeting({ title: 'JFK' }));
    unwrap(store.replaceTranscript(meeting.id, transcriptOf(JFK_LINES)));
    expectError(store.editSegmentText(meeting.id, 99, 'x'), 'SEGMENT_NOT_FOUND');
    expectError(store.editSegmentText('no-such-meeting', 0, 'x'), 'MEETING_NOT_FOUND');
    expectError(store.renameSpeaker(123_456, 'Nobody'), 'SPEAKER_NOT_FOUND');
    expectError(store.listSpeakers('no-such-meeting'), 'MEETING_NOT_FOUND');
    expect(unwrap(store.getTranscript(meeting.id)).segments.map((segment) => segment.text)).toEqual(JFK_LINES);
  });
});
