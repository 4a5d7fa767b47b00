/**
 * The transcriber child process, for real: forked through the tsx bootstrap, running the engine with the
 * generated tiny Whisper. Crashes, cancels, idle shutdown and a parent killed -9 leave no process behind.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../../src-shared/result';
import type { Transcript } from '../../../src-shared/transcript';
import type { FileTranscribeProgress } from '../../../src-main/jobs/file-transcriber';
import { ChildTranscriber, type ChildTranscriberOptions } from '../../../src-main/jobs/transcriber-process/child-transcriber';
import { audioFile, ffmpeg, makeTempDir, realDecoder } from '../../audio/helpers';
import { REPO_ROOT, TINY_ENGLISH, TINY_MULTILINGUAL } from '../../support/paths';
import { eventually, isRunning, processesMentioning } from './handler-fixtures';

const here = path.dirname(fileURLToPath(import.meta.url));
const jfk = audioFile('jfk.wav');
let root: string;
let cleanup: () => Promise<void>;
let speech: string;
/** Five and a half minutes of speech: a transcription that ignored a cancel would run on for many seconds. */
let longSpeech: string;
const transcribers: ChildTranscriber[] = [];

function newTranscriber(options: ChildTranscriberOptions = {}): ChildTranscriber {
  const transcriber = new ChildTranscriber({ modelsDir: path.join(root, 'models'), device: 'cpu', ...options });
  transcribers.push(transcriber);
  return transcriber;
}

const codeOf = (result: Result<Transcript>): string => (result.ok ? 'ok' : result.error.code);

beforeAll(async () => {
  ({ dir: root, cleanup } = await makeTempDir('child-transcriber'));
  speech = path.join(root, 'speech-88s.wav');
  longSpeech = path.join(root, 'speech-330s.wav');
  await ffmpeg(realDecoder(), ['-stream_loop', '7', '-i', jfk, '-c:a', 'pcm_s16le', speech]);
  await ffmpeg(realDecoder(), ['-stream_loop', '29', '-i', jfk, '-c:a', 'pcm_s16le', longSpeech]);
});

afterAll(async () => {
  await Promise.all(transcribers.map((transcriber) => transcriber.dispose()));
  await cleanup?.();
});

describe('ChildTranscriber (real child process)', () => {
  let shared: ChildTranscriber;

  it('transcribes in a child that stays warm between requests, one at a time, and switches models', async () => {
    shared = newTranscriber();
    expect(shared.pid).toBeNull();
    const progress: FileTranscribeProgress[] = [];
    const first = await shared.transcribe({ path: jfk, modelDir: TINY_MULTILINGUAL, language: 'en' }, (entry) => progress.push(entry));
    expect(codeOf(first)).toBe('ok');
    if (!first.ok) return;
    expect(first.value.segments.length).toBeGreaterThan(0);
    expect(first.value.modelId).toBe('tiny-random-whisper');
    expect(progress.map((entry) => entry.stage)).toEqual(expect.arrayContaining(['probe', 'load-model', 'vad', 'transcribe']));
    const pid = shared.pid;
    expect(pid).not.toBeNull();
    expect(isRunning(pid as number)).toBe(true);

    // Two at once: the second waits for the first; both finish, in the same warm process.
    const [again, english] = await Promise.all([
      shared.transcribe({ path: jfk, modelDir: TINY_MULTILINGUAL, language: 'en' }),
      shared.transcribe({ path: jfk, modelDir: TINY_ENGLISH }),
    ]);
    expect(codeOf(again)).toBe('ok');
    expect(again.ok && again.value.segments.length).toBe(first.value.segments.length);
    expect(english.ok && english.value.modelId).toBe('tiny-random-whisper.en');
    expect(shared.pid).toBe(pid);
  }, 120_000);

  it('reports bad input from the child as its coded error', async () => {
    const result = await shared.transcribe({ path: path.join(root, 'missing.wav'), modelDir: TINY_MULTILINGUAL });
    expect(codeOf(result)).toBe('FILE_NOT_FOUND');
    expect(result.ok ? null : result.error.subject).toBe(path.join(root, 'missing.wav'));
  }, 60_000);

  it('a child killed mid-request gives ENGINE_PROCESS_DIED naming the signal; its ffmpeg goes too; the next request respawns', async () => {
    const pid = shared.pid as number;
    let killed = false;
    const result = await shared.transcribe({ path: speech, modelDir: TINY_MULTILINGUAL, language: 'en' }, ({ stage }) => {
      if (killed || (stage !== 'vad' && stage !== 'transcribe')) return;
      killed = true;
      process.kill(pid, 'SIGKILL');
    });
    expect(killed).toBe(true);
    expect(codeOf(result)).toBe('ENGINE_PROCESS_DIED');
    expect(result.ok ? '' : result.error.message).toContain('SIGKILL');
    expect(isRunning(pid)).toBe(false);
    expect(await eventually(() => processesMentioning(speech).length === 0, 2000)).toBe(true);

    const next = await shared.transcribe({ path: jfk, modelDir: TINY_MULTILINGUAL, language: 'en' });
    expect(codeOf(next)).toBe('ok');
    expect(shared.pid).not.toBe(pid);
  }, 120_000);

  it('cancel ends the request with CANCELLED promptly and the child serves the next one', async () => {
    const controller = new AbortController();
    let abortedAt = 0;
    const result = await shared.transcribe(
      { path: longSpeech, modelDir: TINY_MULTILINGUAL, language: 'en' },
      ({ stage }) => {
        if (abortedAt !== 0 || stage !== 'transcribe') return;
        abortedAt = Date.now();
        controller.abort();
      },
      controller.signal,
    );
    const cancelMs = Date.now() - abortedAt;
    console.log(`child transcriber: cancel answered in ${cancelMs} ms`);
    expect(abortedAt).toBeGreaterThan(0);
    // The 2 s grace, then the kill: never the rest of the file's transcription.
    expect(cancelMs).toBeLessThan(4000);
    expect(codeOf(result)).toBe('CANCELLED');
    expect(await eventually(() => processesMentioning(longSpeech).length === 0, 2000)).toBe(true);

    // A request cancelled while it waits for its turn leaves the queue at once.
    const waiting = new AbortController();
    const running = shared.transcribe({ path: jfk, modelDir: TINY_MULTILINGUAL, language: 'en' });
    const queued = shared.transcribe({ path: jfk, modelDir: TINY_MULTILINGUAL }, undefined, waiting.signal);
    waiting.abort();
    expect(codeOf(await queued)).toBe('CANCELLED');
    expect(codeOf(await running)).toBe('ok');
  }, 120_000);

  it('kills a child that does not answer a cancel within the grace time, with everything it started', async () => {
    const impatient = newTranscriber({ cancelGraceMs: 1 });
    const controller = new AbortController();
    let pid: number | null = null;
    const result = await impatient.transcribe(
      { path: speech, modelDir: TINY_MULTILINGUAL, language: 'en' },
      ({ stage }) => {
        if (pid !== null || stage !== 'vad') return;
        pid = impatient.pid;
        controller.abort();
      },
      controller.signal,
    );
    expect(codeOf(result)).toBe('CANCELLED');
    expect(pid).not.toBeNull();
    expect(await eventually(() => !isRunning(pid as number), 2000)).toBe(true);
    expect(await eventually(() => processesMentioning(speech).length === 0, 2000)).toBe(true);
    await impatient.dispose();
  }, 120_000);

  it('shuts an idle child down after idleMs', async () => {
    const idle = newTranscriber({ idleMs: 200 });
    expect(codeOf(await idle.transcribe({ path: jfk, modelDir: TINY_MULTILINGUAL, language: 'en' }))).toBe('ok');
    const pid = idle.pid as number;
    expect(isRunning(pid)).toBe(true);
    expect(await eventually(() => idle.pid === null && !isRunning(pid), 10_000)).toBe(true);
    await idle.dispose();
  }, 120_000);

  it('ends an idle child at once on releaseIdle (a recording starts), and the next request starts another', async () => {
    const idle = newTranscriber({ idleMs: 600_000 });
    expect(codeOf(await idle.transcribe({ path: jfk, modelDir: TINY_MULTILINGUAL, language: 'en' }))).toBe('ok');
    const pid = idle.pid as number;
    expect(isRunning(pid)).toBe(true);
    idle.releaseIdle();
    expect(await eventually(() => idle.pid === null && !isRunning(pid), 10_000)).toBe(true);
    expect(codeOf(await idle.transcribe({ path: jfk, modelDir: TINY_MULTILINGUAL, language: 'en' }))).toBe('ok');
    expect(idle.pid).not.toBe(pid);
    await idle.dispose();
  }, 120_000);

  it('dispose during a request ends it with ENGINE_DISPOSED and leaves no child running', async () => {
    let disposing: Promise<void> | null = null;
    const pid = shared.pid;
    const result = await shared.transcribe({ path: speech, modelDir: TINY_MULTILINGUAL, language: 'en' }, ({ stage }) => {
      if (disposing === null && (stage === 'vad' || stage === 'transcribe')) disposing = shared.dispose();
    });
    expect(codeOf(result)).toBe('ENGINE_DISPOSED');
    await disposing;
    expect(shared.pid).toBeNull();
    expect(pid === null || !isRunning(pid)).toBe(true);
    expect(await eventually(() => processesMentioning(speech).length === 0, 2000)).toBe(true);
    expect(codeOf(await shared.transcribe({ path: jfk }))).toBe('ENGINE_DISPOSED');
  }, 120_000);

  it('a child whose parent is killed -9 exits by itself, with its ffmpeg', async () => {
    const modelsDir = path.join(root, 'orphan-models');
    const parent = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(here, 'fixtures/transcribing-parent.ts'), speech, TINY_MULTILINGUAL, modelsDir],
      {
        cwd: REPO_ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    parent.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => parent.on('exit', (_code, signal) => resolve(signal)));
    const childPid = await new Promise<number>((resolve, reject) => {
      createInterface({ input: parent.stdout }).once('line', (line) => resolve((JSON.parse(line) as { childPid: number }).childPid));
      parent.once('exit', () => reject(new Error(`the parent exited early: ${stderr}`)));
    });
    expect(isRunning(childPid)).toBe(true);
    expect(processesMentioning(modelsDir).length).toBeGreaterThan(0);
    parent.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(await eventually(() => !isRunning(childPid), 5000)).toBe(true);
    expect(await eventually(() => processesMentioning(modelsDir).length === 0 && processesMentioning(speech).length === 0, 2000)).toBe(
      true,
    );
  }, 120_000);
});
