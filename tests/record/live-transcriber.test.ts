import { describe, expect, it } from 'vitest';
import type { RecordingEvent } from '../../src-shared/recording-events';
import { fail } from '../../src-shared/result';
import type { SpeechRecognizer } from '../../src-main/asr/types';
import {
  LIVE_COMMIT_AT_PAUSE_AFTER_SECONDS,
  LIVE_MAX_UTTERANCE_SECONDS,
  LiveTranscriber,
  type LiveTranscriberOptions,
} from '../../src-main/record/live-transcriber';
import { EnergyVad } from '../support/energy-vad';
import { SlowRecognizer } from '../support/slow-recognizer';
import { concatAudio, RATE, toneSpeech, ToneWordRecognizer } from '../support/tone-words';

async function feed(
  audio: Float32Array,
  chunkSeconds = 0.1,
  onChunk?: (transcriber: LiveTranscriber, chunkIndex: number) => void,
  options: Partial<LiveTranscriberOptions> = {},
) {
  const events: RecordingEvent[] = [];
  const recognizer = new ToneWordRecognizer((frequencyIndex) => `w${frequencyIndex}`);
  const transcriber = new LiveTranscriber({
    recognizer,
    vad: new EnergyVad(),
    emit: (event) => events.push(event),
    language: 'en',
    task: 'transcribe',
    ...options,
  });
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
    const second = commits.find((event) => event.type === 'committed' && event.segment.start > 18) as Extract<
      RecordingEvent,
      { type: 'committed' }
    >;
    expect(second.segment.start).toBeCloseTo(19.9, 0);
  });

  it('sends a partial at least once per second of speech, each covering the utterance so far', async () => {
    const audio = concatAudio(new Float32Array(RATE), toneSpeech(30), new Float32Array(2 * RATE));
    // One utterance throughout (no forced cut inside it), so every partial extends the one before.
    const { events } = await feed(audio, 0.1, undefined, { maxUtteranceSeconds: 30 });
    const partials = events.filter(
      (event): event is Extract<RecordingEvent, { type: 'partial' }> => event.type === 'partial' && event.text !== '',
    );
    // 15.9 s of speech: a partial for every second after the first. One that falls due while a pause may be
    // beginning waits for it to end (speech again) or to reach the pad (150 ms), where the final pass hears it.
    expect(partials.length).toBeGreaterThanOrEqual(14);
    for (let index = 1; index < partials.length; index += 1) {
      expect((partials[index] as { end: number }).end - (partials[index - 1] as { end: number }).end).toBeLessThanOrEqual(1.05 + 0.15);
    }
    const firstCommit = events.findIndex((event) => event.type === 'committed');
    expect(events.slice(0, firstCommit).some((event) => event.type === 'partial')).toBe(true);
  });

  it('starts no partial while a pause may be beginning (the final pass is at most the pad away)', async () => {
    // Tone words have 0.13 s gaps: each is a pause that may be beginning until the speech goes on.
    const inner = new ToneWordRecognizer((frequencyIndex) => `w${frequencyIndex}`);
    const partialTails: number[] = [];
    const recognizer: SpeechRecognizer = {
      modelId: inner.modelId,
      execution: inner.execution,
      multilingual: inner.multilingual,
      detectLanguage: () => inner.detectLanguage(),
      transcribeWindow: (audio, options) => {
        if (options.context === 'fitted') {
          let last = audio.length - 1;
          while (last >= 0 && Math.abs(audio[last] as number) < 0.01) last -= 1;
          partialTails.push((audio.length - 1 - last) / RATE);
        }
        return inner.transcribeWindow(audio);
      },
      timings: () => inner.timings(),
      dispose: () => inner.dispose(),
    };
    const transcriber = new LiveTranscriber({
      recognizer,
      vad: new EnergyVad(),
      emit: () => undefined,
      language: 'en',
      task: 'transcribe',
    });
    const audio = concatAudio(new Float32Array(RATE), toneSpeech(20), new Float32Array(2 * RATE));
    const chunk = RATE / 10;
    for (let offset = 0; offset < audio.length; offset += chunk) await transcriber.push(audio.subarray(offset, offset + chunk));
    await transcriber.flush();
    expect(partialTails.length).toBeGreaterThanOrEqual(8);
    // Silence at a partial's end is at most what the VAD had not yet scored as a frame (32 ms); without the rule a
    // partial here started 80 ms into a gap.
    expect(Math.max(...partialTails)).toBeLessThan(0.05);
  });

  it('hears the utterance up to its padded end before the pause is long enough, so the commit needs no further pass', async () => {
    const speech = toneSpeech(12);
    const audio = concatAudio(new Float32Array(RATE), speech, new Float32Array(2 * RATE));
    const speechEnd = (RATE + speech.length) / RATE;
    const log: { kind: 'partial' | 'committed'; heardUntil: number; passes: number; windowEnd: number }[] = [];
    const recognizer = new ToneWordRecognizer((frequencyIndex) => `w${frequencyIndex}`);
    const transcriber = new LiveTranscriber({
      recognizer,
      vad: new EnergyVad(),
      emit: (event) => {
        const at = { heardUntil: transcriber.position / RATE, passes: recognizer.windows.length };
        if (event.type === 'committed') log.push({ kind: 'committed', ...at, windowEnd: event.segment.end });
        if (event.type === 'partial' && event.text !== '') log.push({ kind: 'partial', ...at, windowEnd: event.end });
      },
      language: 'en',
      task: 'transcribe',
    });
    const chunk = RATE / 50;
    for (let offset = 0; offset < audio.length; offset += chunk) await transcriber.push(audio.subarray(offset, offset + chunk));
    await transcriber.flush();
    const firstCommit = log.findIndex((entry) => entry.kind === 'committed');
    expect(firstCommit).toBeGreaterThan(0);
    const commit = log[firstCommit] as (typeof log)[number];
    const lastPartial = log[firstCommit - 1] as (typeof log)[number];
    // The pass before the commit heard all the speech (its last 0.13 s is the tone's trailing gap) plus
    // the pad, and ran while the pause was still too short to close the utterance…
    expect(lastPartial.windowEnd).toBeGreaterThanOrEqual(speechEnd - 0.13);
    expect(lastPartial.heardUntil).toBeLessThan(commit.heardUntil);
    expect(commit.heardUntil - (speechEnd - 0.13)).toBeGreaterThanOrEqual(0.4);
    // …and the commit reused it: no Whisper pass ran in between.
    expect(commit.passes).toBe(lastPartial.passes);
  });

  it('keeps listening while Whisper works: a slow pass does not hold the stream, a partial is interrupted when the pause begins, one pass at a time', async () => {
    const recognizer = new SlowRecognizer(new ToneWordRecognizer((frequencyIndex) => `w${frequencyIndex}`), 300);
    const events: RecordingEvent[] = [];
    const transcriber = new LiveTranscriber({
      recognizer,
      vad: new EnergyVad(),
      emit: (event) => events.push(event),
      language: 'en',
      task: 'transcribe',
    });
    const pause = new Float32Array(2 * RATE);
    const audio = concatAudio(pause, toneSpeech(20), pause, toneSpeech(20, 20), pause);
    const chunk = RATE / 50;
    let longestPushMs = 0;
    let blockedPushes = 0;
    const started = performance.now();
    for (let offset = 0; offset < audio.length; offset += chunk) {
      const pushStarted = performance.now();
      await transcriber.push(audio.subarray(offset, offset + chunk));
      const pushMs = performance.now() - pushStarted;
      longestPushMs = Math.max(longestPushMs, pushMs);
      if (pushMs > 100) blockedPushes += 1;
      // Real time at 50× speed: a 300 ms pass spans 15 s of audio, so without concurrency the stream would stall.
      await new Promise((resolve) => setTimeout(resolve, 0.4));
    }
    await transcriber.flush();
    expect(recognizer.inFlight).toBe(0);
    expect(recognizer.maxInFlight).toBe(1);
    expect(committedWords(events)).toEqual(expectedWords(40));
    // Partials were cancelled for the final passes rather than waited for.
    expect(recognizer.calls.some((call) => call.cancelled)).toBe(true);
    // Pushes wait for Whisper only at a commit, when the pass for the utterance's end may still be running
    // (two utterances); every partial pass ran beside the stream.
    expect(blockedPushes).toBeLessThanOrEqual(2);
    expect(recognizer.calls.length).toBeGreaterThan(4);
    console.log(
      `slow recognizer: ${recognizer.calls.length} passes (${recognizer.calls.filter((call) => call.cancelled).length} cancelled), ${blockedPushes} pushes waited, longest ${longestPushMs.toFixed(0)} ms, total ${(performance.now() - started).toFixed(0)} ms`,
    );
  });

  it('spaces partials by 1.5 times the last one’s duration when they take longer than the interval (a loaded machine)', async () => {
    // Each partial pass lasts 2 s of stream time, however fast the test machine feeds it.
    const passes: { start: number; end: number; cancelled: boolean }[] = [];
    let transcriber: LiveTranscriber | null = null;
    const inner = new ToneWordRecognizer((frequencyIndex) => `w${frequencyIndex}`);
    const position = (): number => transcriber?.position ?? 0;
    const contexts = { final: new Set<string | undefined>(), partial: new Set<string | undefined>() };
    const recognizer: SpeechRecognizer = {
      modelId: inner.modelId,
      execution: inner.execution,
      multilingual: inner.multilingual,
      detectLanguage: () => inner.detectLanguage(),
      transcribeWindow: async (audio, options) => {
        contexts[options.decoding === undefined ? 'final' : 'partial'].add(options.context);
        // Final passes (no cheap decoding options) answer at once: a commit waits for its pass.
        if (options.decoding === undefined) return inner.transcribeWindow(audio);
        const pass = { start: position(), end: 0, cancelled: false };
        passes.push(pass);
        while (position() < pass.start + 2 * RATE && !options.signal?.aborted) await new Promise((resolve) => setTimeout(resolve, 1));
        pass.end = position();
        pass.cancelled = options.signal?.aborted === true;
        return pass.cancelled ? fail('CANCELLED', 'cancelled') : inner.transcribeWindow(audio);
      },
      timings: () => inner.timings(),
      dispose: () => inner.dispose(),
    };
    transcriber = new LiveTranscriber({
      recognizer,
      vad: new EnergyVad(),
      emit: () => undefined,
      language: 'en',
      task: 'transcribe',
      maxUtteranceSeconds: 30,
    });
    const audio = concatAudio(new Float32Array(RATE), toneSpeech(40), new Float32Array(2 * RATE));
    const chunk = RATE / 50;
    for (let offset = 0; offset < audio.length; offset += chunk) {
      await transcriber.push(audio.subarray(offset, offset + chunk));
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    await transcriber.flush();
    const partials = passes.filter((pass) => !pass.cancelled);
    // 21 s of speech: a partial every 3 s (every 2 s back to back).
    expect(partials.length).toBeGreaterThanOrEqual(4);
    // Commits hear the utterance with a 10 s margin of Whisper's padding; partials with 5 s.
    expect([...contexts.final]).toEqual(['fitted-wide']);
    expect([...contexts.partial]).toEqual(['fitted']);
    for (let index = 1; index < partials.length; index += 1) {
      const before = partials[index - 1] as (typeof partials)[number];
      expect((partials[index] as (typeof partials)[number]).start - before.start).toBeGreaterThanOrEqual(
        1.5 * (before.end - before.start) - chunk,
      );
    }
  });

  it('flush waits for the pass in flight and nothing is emitted after it', async () => {
    const recognizer = new SlowRecognizer(new ToneWordRecognizer((frequencyIndex) => `w${frequencyIndex}`), 200);
    const events: RecordingEvent[] = [];
    const transcriber = new LiveTranscriber({
      recognizer,
      vad: new EnergyVad(),
      emit: (event) => events.push(event),
      language: 'en',
      task: 'transcribe',
    });
    const audio = concatAudio(new Float32Array(RATE), toneSpeech(8));
    for (let offset = 0; offset < audio.length; offset += RATE / 10) await transcriber.push(audio.subarray(offset, offset + RATE / 10));
    expect(recognizer.inFlight).toBe(1);
    await transcriber.flush();
    expect(recognizer.inFlight).toBe(0);
    const count = events.length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(events.length).toBe(count);
    expect(committedWords(events)).toEqual(expectedWords(8));
  });

  it('commits a monologue with no pause every 12 s by default, so a reader never waits long for final text', async () => {
    const audio = concatAudio(new Float32Array(RATE), toneSpeech(80), new Float32Array(RATE));
    const { events } = await feed(audio);
    const commits = events.filter((event): event is Extract<RecordingEvent, { type: 'committed' }> => event.type === 'committed');
    expect(LIVE_MAX_UTTERANCE_SECONDS).toBe(12);
    expect(commits[0]?.segment.end).toBeLessThanOrEqual(1 + LIVE_MAX_UTTERANCE_SECONDS);
    const ends = [1, ...commits.map((commit) => commit.segment.end)];
    for (let index = 1; index < ends.length; index += 1)
      expect((ends[index] ?? 0) - (ends[index - 1] ?? 0)).toBeLessThanOrEqual(LIVE_MAX_UTTERANCE_SECONDS);
    expect(committedWords(events)).toEqual(expectedWords(80));
  });

  it('commits an utterance of 3 s or more at a short pause, from the pass that pause started', async () => {
    // Three phrases of 4 words (2.12 s each, the last word's 0.13 s gap included) with 0.12 s more silence
    // between them: 0.25 s pauses, too short to end the utterance (0.4 s), long enough to start the final pass
    // (the pad, 0.15 s).
    expect(LIVE_COMMIT_AT_PAUSE_AFTER_SECONDS).toBe(3);
    const phrase = toneSpeech(4).length / RATE;
    const pause = new Float32Array(Math.round(0.12 * RATE));
    const audio = concatAudio(
      new Float32Array(RATE),
      toneSpeech(4),
      pause,
      toneSpeech(4, 4),
      pause,
      toneSpeech(4, 8),
      new Float32Array(2 * RATE),
    );
    const secondPause = 1 + 2 * phrase + 0.12;
    const speechEnd = 1 + 3 * phrase + 0.24;
    const recognizer = new ToneWordRecognizer((frequencyIndex) => `w${frequencyIndex}`);
    const events: RecordingEvent[] = [];
    const commits: { heardUntil: number; passesBefore: number; end: number }[] = [];
    const transcriber = new LiveTranscriber({
      recognizer,
      vad: new EnergyVad(),
      emit: (event) => {
        events.push(event);
        if (event.type === 'committed')
          commits.push({ heardUntil: transcriber.position / RATE, passesBefore: recognizer.windows.length, end: event.segment.end });
      },
      language: 'en',
      task: 'transcribe',
    });
    let passesAtSecondPause = -1;
    const chunk = RATE / 50;
    for (let offset = 0; offset < audio.length; offset += chunk) {
      await transcriber.push(audio.subarray(offset, offset + chunk));
      if (passesAtSecondPause < 0 && transcriber.position / RATE >= secondPause) passesAtSecondPause = recognizer.windows.length;
    }
    await transcriber.flush();
    expect(committedWords(events)).toEqual(expectedWords(12));
    // The segments committed together first (one pass can yield several).
    const first = commits.filter((commit) => commit.heardUntil === commits[0]?.heardUntil).at(-1);
    console.log(
      `commits at ${commits.map((commit) => `${commit.heardUntil.toFixed(2)} s (to ${commit.end.toFixed(2)} s)`).join(', ')}; windows ${recognizer.windows.map((seconds) => seconds.toFixed(1)).join(' ')} s`,
    );
    // The first phrase alone is under 3 s, so the first commit covers two phrases and comes while the third is
    // spoken, well before the utterance ends…
    expect(first?.end).toBeGreaterThan(1 + phrase);
    expect(first?.end).toBeLessThanOrEqual(secondPause + 0.2);
    expect(first?.heardUntil).toBeLessThan(speechEnd);
    // … from the pass the second pause started (the one pass after it, none of its own) …
    expect(first?.passesBefore).toBeLessThanOrEqual(passesAtSecondPause + 1);
    // … so the pass at the end heard only the third phrase, not the whole utterance.
    expect(recognizer.windows.at(-1)).toBeLessThan(phrase + 1);
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
    for (let offset = skipTo; offset < audio.length; offset += RATE / 10)
      await transcriber.push(audio.subarray(offset, offset + RATE / 10));
    await transcriber.flush();
    const gap = events.find((event) => event.type === 'gap');
    expect(gap).toMatchObject({ type: 'gap', end: 5 });
    expect(committedWords(events).slice(-10)).toEqual(expectedWords(10, 10));
  });
});
