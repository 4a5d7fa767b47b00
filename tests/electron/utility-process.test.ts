/**
 * The engine's child process in the Electron app runs as a utilityProcess (the RunAsNode fuse is off, so
 * the app cannot fork): the launcher is tested with a double of Electron's `utilityProcess` module that
 * starts the real transcriber child under Node with Electron's child environment emulated (process.parentPort,
 * no IPC channel; tests/electron/fixtures/utility-process-shim.mjs). Jobs run through it end to end; a
 * cancel and a dispose end it. Under Node (CLI, bridge) the default stays child_process.fork.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ENGINE_SERVICE_NAME,
  utilityProcessLauncher,
  type UtilityProcessLike,
  type UtilityProcessModule,
} from '../../src-main/electron/utility-process-launcher';
import { ChildTranscriber } from '../../src-main/jobs/transcriber-process/child-transcriber';
import { ENGINE_CHILD_EXEC_ARGV, engineChildEnv, forkLauncher } from '../../src-main/util/engine-child/engine-child-process';
import { openWorkspace } from '../../src-main/app/workspace';
import { audioFile, ffmpeg, makeTempDir, realDecoder } from '../audio/helpers';
import { eventually, isRunning } from '../jobs/handlers/handler-fixtures';
import { untilFinal } from '../jobs/integration/workspace-helpers';
import { REPO_ROOT, TINY_MULTILINGUAL } from '../support/paths';

const SHIM = path.join(REPO_ROOT, 'tests/electron/fixtures/utility-process-shim.mjs');

/** Electron's `utilityProcess`, as a double: each fork is a real Node child running the shim. */
function fakeUtilityProcess() {
  const forks: { modulePath: string; args: string[]; options: unknown; child: ChildProcess }[] = [];
  const module: UtilityProcessModule = {
    fork(modulePath, args = [], options) {
      const child = fork(SHIM, [modulePath, ...args], {
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
        execArgv: [],
        serialization: 'advanced',
      });
      forks.push({ modulePath, args, options, child });
      const events = new EventEmitter();
      child.on('message', (message) => events.emit('message', message));
      child.once('exit', (code) => events.emit('exit', code ?? -1));
      const utility: UtilityProcessLike = {
        get pid() {
          return child.pid;
        },
        stderr: child.stderr,
        postMessage: (message) => void child.send(message as object),
        kill: () => child.kill('SIGKILL'),
        on: (event, listener) => events.on(event, listener),
        off: (event, listener) => events.off(event, listener),
        once: (event, listener) => events.once(event, listener),
      };
      return utility;
    },
  };
  return { module, forks };
}

let root: string;
let cleanup: () => Promise<void>;
let longSpeech: string;

beforeAll(async () => {
  ({ dir: root, cleanup } = await makeTempDir('utility-process'));
  longSpeech = path.join(root, 'speech-330s.wav');
  await ffmpeg(realDecoder(), ['-stream_loop', '29', '-i', audioFile('jfk.wav'), '-c:a', 'pcm_s16le', longSpeech]);
});

afterAll(async () => {
  await cleanup?.();
});

describe('the engine child as a utilityProcess', () => {
  it('transcribes through parentPort, with the engine service name and piped stderr, and ends on dispose', async () => {
    const utility = fakeUtilityProcess();
    const transcriber = new ChildTranscriber({
      modelsDir: path.join(root, 'models'),
      device: 'cpu',
      launcher: utilityProcessLauncher(utility.module),
    });
    const result = await transcriber.transcribe({ path: audioFile('jfk.wav'), modelDir: TINY_MULTILINGUAL, language: 'en' });
    expect(result.ok ? 'ok' : `${result.error.code}: ${result.error.message}`).toBe('ok');
    expect(utility.forks).toHaveLength(1);
    const [started] = utility.forks;
    expect(started?.options).toEqual({
      stdio: ['ignore', 'ignore', 'pipe'],
      serviceName: ENGINE_SERVICE_NAME,
      execArgv: [...ENGINE_CHILD_EXEC_ARGV],
      env: engineChildEnv(),
    });
    expect(path.basename(started?.modulePath ?? '')).toBe('dev-bootstrap.mjs');
    expect(JSON.parse(started?.args.at(-1) ?? '{}')).toMatchObject({ device: 'cpu', modelsDir: path.join(root, 'models') });
    const pid = started?.child.pid ?? -1;
    expect(isRunning(pid)).toBe(true);
    await transcriber.dispose();
    expect(await eventually(() => !isRunning(pid), 10_000)).toBe(true);
    expect(started?.child.exitCode).toBe(0);
  }, 120_000);

  it('cancels a transcription through parentPort, and the child is gone after dispose', async () => {
    const utility = fakeUtilityProcess();
    const transcriber = new ChildTranscriber({
      modelsDir: path.join(root, 'models'),
      device: 'cpu',
      cancelGraceMs: 2000,
      launcher: utilityProcessLauncher(utility.module),
    });
    const controller = new AbortController();
    const running = transcriber.transcribe(
      { path: longSpeech, modelDir: TINY_MULTILINGUAL, language: 'en' },
      (progress) => {
        if (progress.stage === 'vad') controller.abort();
      },
      controller.signal,
    );
    const result = await running;
    expect(result.ok ? 'ok' : result.error.code).toBe('CANCELLED');
    await transcriber.dispose();
    const pid = utility.forks[0]?.child.pid ?? -1;
    expect(await eventually(() => !isRunning(pid), 10_000)).toBe(true);
  }, 120_000);

  it('runs a workspace’s import jobs when the app passes it as the engine process', async () => {
    const utility = fakeUtilityProcess();
    const opened = await openWorkspace({
      dataDir: path.join(root, 'workspace'),
      device: 'cpu',
      defaults: { modelDir: TINY_MULTILINGUAL, dtype: 'fp32' },
      engineProcess: utilityProcessLauncher(utility.module),
    });
    if (!opened.ok) throw new Error(opened.error.message);
    const workspace = opened.value;
    try {
      const [job] = workspace.importFiles([audioFile('jfk.wav')]);
      if (!job?.ok) throw new Error('not queued');
      const final = (await untilFinal(workspace, [job.value.id], 120_000)).get(job.value.id);
      expect(final?.lastError ?? null).toBeNull();
      expect(final?.state).toBe('succeeded');
      expect(utility.forks).toHaveLength(1);
    } finally {
      await workspace.close();
    }
  }, 150_000);

  it('is what the app’s composition picks, while the engine’s default stays fork (for the CLI and the bridge under Node)', () => {
    const main = readFileSync(path.join(REPO_ROOT, 'src-main/electron/main.ts'), 'utf8');
    expect(main).toMatch(/const engineProcess = utilityProcessLauncher\(utilityProcess\);/);
    expect(main).toMatch(/createAppServices\(\{[^}]*engineProcess[^}]*\}\)/);
    expect(new ChildTranscriber()['options'].launcher).toBeUndefined();
    expect(typeof forkLauncher).toBe('function');
  });
});
