/**
 * Recordings land in the library: the engine's recorder (scripted capture, tone-word live models) and a
 * real workspace joined by attachRecorder. A recording with live text becomes a ready meeting holding
 * exactly the committed segments; one without is queued for transcription; a repaired one is imported.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordingEvent } from '../../src-shared/recording-events';
import type { TranscriptSegment } from '../../src-shared/transcript';
import type { FileTranscriber } from '../../src-main/jobs/file-transcriber';
import { storeRecordedMeetings } from '../../src-main/library/recorded-meetings';
import { openWorkspace } from '../../src-main/app/workspace';
import type { Workspace } from '../../src-main/jobs/workspace';
import { createEngine, type Engine } from '../../src-main/app/engine';
import { makeTempDir } from '../audio/helpers';
import { doubleLiveModels, MONO_16K, ScriptedCapture, utteranceSchedule } from '../support/session-doubles';

const schedule = utteranceSchedule(2, 3, MONO_16K.sampleRate);
/** The jobs this test queues are only looked at: their transcription waits until the queue stops. */
const waitingTranscriber: FileTranscriber = {
  transcribe: (request, _onProgress, signal) =>
    new Promise((resolve) =>
      signal?.addEventListener('abort', () => resolve({ ok: false, error: { code: 'CANCELLED', message: `${request.path}: stopped` } })),
    ),
  dispose: async () => undefined,
};

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let engine: Engine;
let workspace: Workspace;
const capture = new ScriptedCapture();
const errors: { code: string; message: string }[] = [];

beforeAll(async () => {
  temp = await makeTempDir('recorded-meetings');
  engine = createEngine({
    recordingsDir: path.join(temp.dir, 'recordings'),
    modelsDir: path.join(temp.dir, 'models'),
    adapters: { capture, loadLiveModels: async () => ({ ok: true, value: doubleLiveModels() }) },
  });
  const opened = await openWorkspace({ dataDir: path.join(temp.dir, 'data'), adapters: { transcriber: waitingTranscriber } });
  if (!opened.ok) throw new Error(opened.error.message);
  workspace = opened.value;
  workspace.attachRecorder(engine, (error) => errors.push(error));
});

afterAll(async () => {
  await engine?.dispose();
  await workspace?.close();
  await temp?.cleanup();
});

async function record(transcribe: boolean): Promise<{ sessionId: string; committed: TranscriptSegment[] }> {
  capture.next({ format: MONO_16K, speed: 8, signal: schedule.generator(7 * MONO_16K.sampleRate) });
  const committed: TranscriptSegment[] = [];
  const idle = new Promise<void>((resolve) => {
    const unsubscribe = engine.onRecordingEvent((event) => {
      if (event.type === 'committed') committed.push(event.segment);
      if (event.type === 'status' && event.status === 'idle') {
        unsubscribe();
        resolve();
      }
    });
  });
  const started = await engine.recorder.start({ language: 'en', modelId: 'whisper-tiny', transcribe });
  if (!started.ok) throw new Error(started.error.message);
  while ((capture.opened.at(-1)?.framesDelivered ?? 0) < 7 * MONO_16K.sampleRate) await new Promise((resolve) => setTimeout(resolve, 20));
  await engine.recorder.stop();
  await idle;
  return { sessionId: started.value.sessionId, committed };
}

describe('recordings in the library', () => {
  it('stores a recording with its live transcript as a ready meeting', async () => {
    const { sessionId, committed } = await record(true);
    expect(committed.length).toBeGreaterThanOrEqual(3);
    const meeting = workspace.library.getMeeting(sessionId);
    if (!meeting.ok) throw new Error(meeting.error.message);
    expect(meeting.value).toMatchObject({ status: 'ready', language: 'en', modelId: 'whisper-tiny', segmentCount: committed.length });
    expect(meeting.value.duration).toBeCloseTo(7, 1);
    expect(meeting.value.recordingPath?.endsWith('.wav')).toBe(true);
    const transcript = workspace.library.getTranscript(sessionId);
    if (!transcript.ok) throw new Error(transcript.error.message);
    expect(transcript.value.segments.map(({ start, end, text }) => ({ start, end, text }))).toEqual(
      committed.map(({ start, end, text }) => ({ start, end, text })),
    );
    expect(errors).toEqual([]);
  });

  it('queues a recording made without live transcription for a transcription job', async () => {
    const { sessionId, committed } = await record(false);
    expect(committed).toEqual([]);
    const meeting = workspace.library.getMeeting(sessionId);
    expect(meeting.ok && meeting.value.status).toBe('queued');
    const jobs = workspace.jobs.list();
    if (!jobs.ok) throw new Error(jobs.error.message);
    const queued = jobs.value.filter((job) => job.meetingId === sessionId);
    expect(queued.map((job) => job.kind)).toEqual(['retranscribe']);
    expect(['queued', 'running']).toContain(queued[0]?.state);
    expect(errors).toEqual([]);
  });

  it('imports each recording repaired after a crash', () => {
    const imported: string[] = [];
    let listener: (event: RecordingEvent) => void = () => undefined;
    storeRecordedMeetings({
      library: workspace.library,
      subscribe: (next) => ((listener = next), () => undefined),
      transcribeMeeting: () => ({ ok: true, value: undefined }),
      importRecording: (file) => (imported.push(file), { ok: true, value: undefined }),
      onError: (error) => errors.push(error),
    });
    listener({
      type: 'recovered',
      recordings: [
        { paths: ['/r/a.wav', '/r/a.part2.wav'], seconds: 3, detail: '' },
        { paths: ['/r/b.wav'], seconds: 1, detail: '' },
      ],
    });
    expect(imported).toEqual(['/r/a.wav', '/r/b.wav']);
  });

  it('stores a live transcript with holes and queues the recording for transcription, which replaces it', () => {
    const segment = (id: number, start: number): TranscriptSegment => ({ id, start, end: start + 1, text: `line ${id}`, speaker: null });
    const cases: { name: string; trouble: RecordingEvent | null; queued: 'transcribe' | 'diarize' }[] = [
      {
        name: 'transcriber died',
        trouble: { type: 'error', error: { code: 'LIVE_TRANSCRIPTION_FAILED', message: 'process killed by SIGKILL' }, fatal: false },
        queued: 'transcribe',
      },
      { name: 'fell behind', trouble: { type: 'gap', start: 3, end: 40, totalSkippedSeconds: 37 }, queued: 'transcribe' },
      {
        name: 'a pass failed',
        trouble: { type: 'error', error: { code: 'ASR_FAILED', message: 'run failed' }, fatal: false },
        queued: 'transcribe',
      },
      // Text is whole: labels failing, or the other side's monitor, do not make it a hole.
      {
        name: 'labels failed',
        trouble: { type: 'error', error: { code: 'LIVE_SPEAKERS_FAILED', message: 'embedding failed' }, fatal: false },
        queued: 'diarize',
      },
      { name: 'nothing went wrong', trouble: null, queued: 'diarize' },
    ];
    for (const [index, { name, trouble, queued }] of cases.entries()) {
      const calls: string[] = [];
      let listener: (event: RecordingEvent) => void = () => undefined;
      const stop = storeRecordedMeetings({
        library: workspace.library,
        subscribe: (next) => ((listener = next), () => undefined),
        transcribeMeeting: (meetingId) => (calls.push(`transcribe ${meetingId}`), { ok: true, value: undefined }),
        diarizeMeeting: (meetingId) => (calls.push(`diarize ${meetingId}`), { ok: true, value: undefined }),
        importRecording: () => ({ ok: true, value: undefined }),
        onError: (error) => errors.push(error),
      });
      const sessionId = `holes-${index}`;
      listener({ type: 'status', status: 'recording', sessionId });
      listener({ type: 'committed', segment: segment(0, 1) });
      if (trouble) listener(trouble);
      listener({ type: 'committed', segment: segment(1, 50) });
      listener({ type: 'saved', sessionId, paths: [`/r/${sessionId}.wav`], seconds: 60, language: 'en', modelId: 'whisper-tiny' });
      stop();
      expect({ name, calls }).toEqual({ name, calls: [`${queued} ${sessionId}`] });
      const transcript = workspace.library.getTranscript(sessionId);
      expect(transcript.ok && transcript.value.segments.map((line) => line.text)).toEqual(['line 0', 'line 1']);
    }
    expect(errors).toEqual([]);
  });
});
