/**
 * While the recorder records (scripted capture, tone-word live models), a real workspace starts no queued job
 * and asks the job transcriber to let go of an idle model; the import queued meanwhile runs once the recording
 * has stopped.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok } from '../../../src-shared/result';
import type { FileTranscriber } from '../../../src-main/jobs/file-transcriber';
import { openWorkspace } from '../../../src-main/app/workspace';
import type { Workspace } from '../../../src-main/jobs/workspace';
import { createEngine, type Engine } from '../../../src-main/app/engine';
import { audioFile, makeTempDir } from '../../audio/helpers';
import { doubleLiveModels, MONO_16K, ScriptedCapture, utteranceSchedule } from '../../support/session-doubles';
import { enqueuedIds, untilFinal } from './workspace-helpers';

const calls: string[] = [];
const transcriber: FileTranscriber = {
  transcribe: async (request) => {
    calls.push(`transcribe ${path.basename(request.path)}`);
    return ok({ source: 'x', language: 'en', modelId: 'double', task: 'transcribe', duration: 11, segments: [] });
  },
  releaseIdle: () => void calls.push('release idle'),
  dispose: async () => undefined,
};

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let engine: Engine;
let workspace: Workspace;
const capture = new ScriptedCapture();

beforeAll(async () => {
  temp = await makeTempDir('jobs-wait-for-recording');
  engine = createEngine({
    recordingsDir: path.join(temp.dir, 'recordings'),
    modelsDir: path.join(temp.dir, 'models'),
    adapters: { capture, loadLiveModels: async () => ({ ok: true, value: doubleLiveModels() }) },
  });
  const opened = await openWorkspace({ dataDir: path.join(temp.dir, 'data'), adapters: { transcriber } });
  if (!opened.ok) throw new Error(opened.error.message);
  workspace = opened.value;
  workspace.attachRecorder(engine);
});

afterAll(async () => {
  await engine?.dispose();
  await workspace?.close();
  await temp?.cleanup();
});

describe('jobs and a live recording', () => {
  it('starts no queued job while recording and runs it after the stop', async () => {
    const schedule = utteranceSchedule(2, 3, MONO_16K.sampleRate);
    capture.next({ format: MONO_16K, speed: 4, signal: schedule.generator(6 * MONO_16K.sampleRate) });
    const started = await engine.recorder.start({ language: 'en', modelId: 'whisper-tiny' });
    if (!started.ok) throw new Error(started.error.message);
    expect(calls).toEqual(['release idle']);
    const [jobId] = enqueuedIds(workspace.importFiles([audioFile('jfk.wav')]));
    if (!jobId) throw new Error('import not queued');
    while ((capture.opened.at(-1)?.framesDelivered ?? 0) < 6 * MONO_16K.sampleRate) await new Promise((resolve) => setTimeout(resolve, 20));
    const job = workspace.jobs.get(jobId);
    expect(job.ok && job.value.state).toBe('queued');
    expect(calls).toEqual(['release idle']);
    await engine.recorder.stop();
    const finished = await untilFinal(workspace, [jobId], 60_000);
    expect(finished.get(jobId)?.state).toBe('succeeded');
    expect(calls).toEqual(['release idle', 'transcribe audio.ogg']);
  }, 90_000);
});
