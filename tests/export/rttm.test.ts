import { describe, expect, it } from 'vitest';
import { parseRttm } from '../../src-main/diarization/rttm';
import { renderTranscript } from '../../src-main/export';
import type { Transcript } from '../../src-shared/transcript';

const transcript: Transcript = {
  source: 'Weekly sync.m4a',
  language: 'en',
  modelId: 'whisper-base',
  task: 'transcribe',
  duration: 12,
  segments: [
    { id: 0, start: 0.5, end: 3.25, text: 'Morning all.', speaker: 'Dana Kim' },
    { id: 1, start: 3.25, end: 3.25, text: '', speaker: 'Dana Kim' },
    { id: 2, start: 4, end: 7.5, text: 'Hi Dana.', speaker: 'SPEAKER_01' },
    { id: 3, start: 8, end: 9, text: 'Unattributed.', speaker: null },
  ],
};

describe('RTTM export', () => {
  it('writes one turn per attributed segment when there are no diarizer turns, readable by the scorer', () => {
    const text = renderTranscript(transcript, 'rttm');
    expect(text).toBe(
      'SPEAKER Weekly_sync 1 0.500 2.750 <NA> <NA> Dana_Kim <NA> <NA>\n' +
        'SPEAKER Weekly_sync 1 4.000 3.500 <NA> <NA> SPEAKER_01 <NA> <NA>\n',
    );
    const parsed = parseRttm(text);
    expect(parsed.ok && parsed.value.map((turn) => turn.speaker)).toEqual(['Dana_Kim', 'SPEAKER_01']);
  });

  it('writes the diarizer turns, overlaps included, when given', () => {
    const turns = [
      { start: 0.4, end: 3.3, speaker: 'Dana Kim' },
      { start: 3, end: 7.6, speaker: 'SPEAKER_01' },
    ];
    const parsed = parseRttm(renderTranscript(transcript, 'rttm', { speakerTurns: turns }));
    if (!parsed.ok) throw new Error(parsed.error.message);
    expect(parsed.value).toEqual([
      { start: 0.4, end: 3.3, speaker: 'Dana_Kim' },
      { start: 3, end: 7.6, speaker: 'SPEAKER_01' },
    ]);
  });
});
