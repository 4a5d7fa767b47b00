import { describe, expect, it } from 'vitest';
import type { RecordingEvent } from '../../src-shared/recording-events';
import { LiveTranscriber } from '../../src-main/record/live-transcriber';
import { EnergyVad } from '../support/energy-vad';
import { concatAudio, RATE, toneSpeech, ToneWordRecognizer } from '../support/tone-words';

async function feed(audio: Float32Array, chunkSeconds = 0.1, onChunk?: (transcriber: LiveTranscriber, chunkIndex: number) => void) {
  const events: RecordingEvent[] = [];
  const recognizer = new ToneWordRecognizer((frequencyIndex) => `w${frequencyIndex}`);
  const transcriber = new LiveTranscriber({ recognizer, vad: new EnergyVad(), emit: (event) => events.push(event), language: 'en', task: 'transcribe' });
  const chunk = Math.round(chunkSeconds * RATE);
  for (let offset = 0, index = 0; offset < audio.length; offset += chunk, index += 1) {
    onChunk?.(transcriber, index);
    await transcriber.push(audio.subarray(offset, offset + chunk));
  }
  await transcriber.flush();
  return { events, recognizer };
}

const committedWords = (events: RecordingEvent[]): string[] =>
  events.flatMap((event) => (event.type === 'committed' ? event.segment.text.split(' ').filter(Boolean) : []));
const expectedWords = (count: number, first = 0): string[] => Array.from({ length: count }, (_, index) => `w${(first + index) % 40}`);

describe('LiveTranscriber', () => {
  it('commits each utterance once, at its pause, with every word exactly once and absolute times', async () => {
    const pause = new Float32Array(2 * RATE);
    const audio = concatAudio(pause, toneSpeech(30), pause, toneSpeech(30, 30), pause, toneSpeech(30, 60), pause);
    const { events } = await feed(audio);
    expect(committedWords(events)).toEqual(expectedWords(90));
    const commits = events.filter((event) => event.type === 'committed');
    for (let index = 1; index < commits.length; index += 1) {
      const previous = commits[index - 1] as Extract<RecordingEvent, { type: 'committed' }>;
      const current = commits[index] as Extract<RecordingEvent, { type: 'committed' }>;
      expect(current.segment.id).toBe(previous.segment.id + 1);
      expect(current.segment.start).toBeGreaterThanOrEqual(previous.segment.end - 1e-3);
    }
    // The second utterance starts after 2 s + 15.9 s + 2 s.
    const second = commits.find((event) => event.type === 'committed' && event.segment.start > 18) as Extract<RecordingEvent, { type: 'committed' }>;
    expect(second.segment.start).toBeCloseTo(19.9, 0);
  });

  it('sends a partial at least once per second of speech, each covering the utterance so far', async () => {
    const audio = concatAudio(new Float32Array(RATE), toneSpeech(30), new Float32Array(2 * RATE));
    const { events } = await feed(audio);
    const partials = events.filter((event): event is Extract<RecordingEvent, { type: 'partial' }> => event.type === 'partial' && event.text !== '');
    // 15.9 s of speech: a partial for every second after the first.
    expect(partials.length).toBeGreaterThanOrEqual(14);
    for (let index = 1; index < partials.length; index += 1) {
      expect((partials[index] as { end: number }).end - (partials[index - 1] as { end: number }).end).toBeLessThanOrEqual(1.05);
    }
    const firstCommit = events.findIndex((event) => event.type === 'committed');
    expect(events.slice(0, firstCommit).some((event) => event.type === 'partial')).toBe(true);
  });

  it('cuts a 75 s monologue with no pause at ≤ 30 s and loses or doubles no word', async () => {
    const audio = concatAudio(toneSpeech(140), new Float32Array(RATE));
    const { events, recognizer } = await feed(audio);
    expect(committedWords(events)).toEqual(expectedWords(140));
    expect(Math.max(...recognizer.windows)).toBeLessThanOrEqual(30);
  });

  it('reports a gap when audio is skipped and goes on transcribing after it', async () => {
    const pause = new Float32Array(RATE);
    const before = toneSpeech(10);
    const after = toneSpeech(10, 10);
    const audio = concatAudio(pause, before, pause, after, pause);
    const events: RecordingEvent[] = [];
    const transcriber = new LiveTranscriber({
      recognizer: new ToneWordRecognizer((frequencyIndex) => `w${frequencyIndex}`),
      vad: new EnergyVad(),
      emit: (event) => events.push(event),
      language: 'en',
      task: 'transcribe',
    });
    // Feed the first second, then skip 3 s (as if ASR stalled), then the rest.
    const skipFrom = 2 * RATE;
    const skipTo = 5 * RATE;
    await transcriber.push(audio.subarray(0, skipFrom));
    transcriber.skip(skipFrom, skipTo);
    for (let offset = skipTo; offset < audio.length; offset += RATE / 10) await transcriber.push(audio.subarray(offset, offset + RATE / 10));
    await transcriber.flush();
    const gap = events.find((event) => event.type === 'gap');
    expect(gap).toMatchObject({ type: 'gap', end: 5 });
    expect(committedWords(events).slice(-10)).toEqual(expectedWords(10, 10));
  });
});
