import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RecordingEvent } from '../../src-shared/recording-events';
import { openChildTranscription } from '../../src-main/record/live-asr-process/child-transcription';
import { decodeAll, realDecoder } from '../audio/helpers';
import { SHARED_AUDIO, TINY_EMBEDDING_MODEL, TINY_MULTILINGUAL } from '../support/paths';
import { descendantPids } from '../support/process-tree';

const RATE = 16_000;
const config = {
  modelId: 'tiny-random-whisper',
  modelDir: TINY_MULTILINGUAL,
  dtype: 'fp32' as const,
  execution: 'cpu' as const,
  language: 'en',
  task: 'transcribe' as const,
  initialPrompt: '',
  speakerModelPath: TINY_EMBEDDING_MODEL,
};

let jfk: Float32Array;
beforeAll(async () => {
  jfk = await decodeAll(realDecoder(), path.join(SHARED_AUDIO, 'jfk.wav'));
});

describe('live transcription in a child process (real Silero + generated Whisper on onnxruntime-node)', () => {
  it('reports a model that cannot load as a coded error, and leaves no process behind', async () => {
    const before = descendantPids();
    const opened = await openChildTranscription({ ...config, modelDir: path.join(TINY_MULTILINGUAL, 'missing') }, () => undefined);
    expect(opened.ok).toBe(false);
    if (!opened.ok) expect(opened.error.code).toBe('MODEL_LOAD_FAILED');
    expect(descendantPids()).toEqual(before);
  }, 60_000);

  it('reports a speaker model that cannot load while opening, as a non-fatal error, and transcribes unlabelled', async () => {
    const events: RecordingEvent[] = [];
    const opened = await openChildTranscription({ ...config, speakerModelPath: path.join(TINY_MULTILINGUAL, 'missing.onnx') }, (event) =>
      events.push(event),
    );
    if (!opened.ok) throw new Error(opened.error.message);
    expect(events).toEqual([{ type: 'error', error: expect.objectContaining({ code: expect.any(String) }), fatal: false }]);
    const audio = new Float32Array(RATE + jfk.length + 2 * RATE);
    audio.set(jfk, RATE);
    for (let offset = 0; offset < audio.length; offset += RATE)
      await opened.value.transcription.push(audio.subarray(offset, offset + RATE));
    await opened.value.transcription.flush();
    const committed = events.filter((event) => event.type === 'committed');
    expect(committed.length).toBeGreaterThan(0);
    expect(committed.every((event) => event.type === 'committed' && event.segment.speaker === null)).toBe(true);
    await opened.value.release();
  }, 60_000);

  it('transcribes pushed audio, keeps the main thread free, flushes, and ends its process on release — five times over', async () => {
    const before = descendantPids();
    const audio = new Float32Array(RATE + jfk.length + 2 * RATE);
    audio.set(jfk, RATE);
    for (let cycle = 0; cycle < 5; cycle += 1) {
      const events: RecordingEvent[] = [];
      const opened = await openChildTranscription(config, (event) => events.push(event));
      if (!opened.ok) throw new Error(opened.error.message);
      const { transcription } = opened.value;
      expect(descendantPids()).toHaveLength(before.length + 1);
      // The main thread's event loop keeps ticking while Whisper runs in the child.
      let longestTickGapMs = 0;
      let lastTick = performance.now();
      const loopBefore = performance.eventLoopUtilization();
      const ticker = setInterval(() => {
        const now = performance.now();
        longestTickGapMs = Math.max(longestTickGapMs, now - lastTick);
        lastTick = now;
      }, 5);
      const chunk = RATE / 10;
      for (let offset = 0; offset < audio.length; offset += chunk) {
        await transcription.push(audio.subarray(offset, offset + chunk));
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await transcription.flush();
      clearInterval(ticker);
      // The share of wall time the main thread's loop was busy: a Whisper pass on this thread would hold it
      // near 1 for the whole pass; CPU contention from other processes does not count as busy.
      const mainLoopBusy = performance.eventLoopUtilization(loopBefore).utilization;
      expect(transcription.position).toBe(audio.length);
      const committed = events.filter((event) => event.type === 'committed');
      expect(committed.length).toBeGreaterThan(0);
      expect(transcription.segmentsCommitted).toBe(committed.length);
      // Provisional speaker labels from the embedding model loaded in the child: every segment long
      // enough to embed has one.
      const labelled = committed.flatMap((event) =>
        event.type === 'committed' && event.segment.end - event.segment.start >= 0.8 ? [event.segment.speaker] : [],
      );
      expect(labelled.length).toBeGreaterThan(0);
      expect(labelled.every((speaker) => speaker !== null && /^SPEAKER_\d\d$/.test(speaker))).toBe(true);
      expect(events.some((event) => event.type === 'partial')).toBe(true);
      await opened.value.release();
      const count = events.length;
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(events.length).toBe(count);
      await expect(transcription.push(new Float32Array(10))).rejects.toThrow();
      console.log(
        `child cycle ${cycle}: ${committed.length} segments, main loop busy ${(100 * mainLoopBusy).toFixed(1)} % of the time, longest tick gap ${longestTickGapMs.toFixed(0)} ms`,
      );
      expect(mainLoopBusy).toBeLessThan(0.25);
      // Released means exited: nothing of the recording's transcriber outlives it.
      expect(descendantPids()).toEqual(before);
    }
  }, 240_000);
});
