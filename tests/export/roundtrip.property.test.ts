import { describe, expect, it } from 'vitest';
import { renderSrt } from '../../src-main/export/srt';
import { renderVtt } from '../../src-main/export/vtt';
import { expectedCueText, randomTranscript, seededRandom } from './fixtures';
import { expectCuesMatchTranscript, expectMonotonicCues } from './expectations';
import { parseSrtCues, parseVttCues } from './parsers';

const SEEDS = Array.from({ length: 150 }, (_, index) => 1000 + index);

describe('random transcripts round-trip through independent parsers', () => {
  it.each(SEEDS)('seed %i: clean timeline, srt and vtt read back text, speakers and times within 1 ms', (seed) => {
    const transcript = randomTranscript(seededRandom(seed), { messy: false });
    expectCuesMatchTranscript(parseSrtCues(renderSrt(transcript)), transcript, { speakerStyle: 'prefix', exactTimes: true });
    const vtt = parseVttCues(renderVtt(transcript));
    expect(vtt.errors).toEqual([]);
    expectCuesMatchTranscript(vtt.cues, transcript, { speakerStyle: 'voice', exactTimes: true });
  });

  it.each(SEEDS)('seed %i: overlapping, zero-length and empty segments still give valid, ordered cues', (seed) => {
    const transcript = randomTranscript(seededRandom(seed * 7919), { messy: true });
    const srtCues = parseSrtCues(renderSrt(transcript));
    const vtt = parseVttCues(renderVtt(transcript, { maxLineWidth: 30, maxLinesPerCue: 3 }));
    expect(vtt.errors).toEqual([]);
    expectMonotonicCues(srtCues);
    expectMonotonicCues(vtt.cues);
    // Every word is still there, in start order.
    const spoken = [...transcript.segments]
      .sort((a, b) => a.start - b.start)
      .map((segment) => expectedCueText(segment.text))
      .filter((text) => text !== '')
      .join(' ')
      .replace(/\s/g, '');
    expect(
      vtt.cues
        .map((cue) => cue.lines.join(''))
        .join('')
        .replace(/\s/g, ''),
    ).toBe(spoken);
  });
});
