import type { ChildProcess } from 'node:child_process';
import { execFile, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

/**
 * A private PulseAudio daemon for capture tests on machines with no sound card (CI runs as root, which
 * PulseAudio allows with a warning). It listens on its own unix socket with anonymous auth, in its own
 * HOME/XDG_RUNTIME_DIR, with a 48 kHz stereo null sink `vsink` as default sink and its monitor as
 * default source. Clients reach it through `PULSE_SERVER=unix:<socket>` (libpulse, parec/pactl, and
 * PortAudio's default ALSA device through libasound2-plugins' pulse plugin).
 */
export interface PrivatePulse {
  server: string;
  /** Environment for client processes (and to merge into process.env for in-process PortAudio). */
  env: Record<string, string>;
  dir: string;
  pid: number;
  pactl(...args: string[]): Promise<string>;
  /** SIGTERM, then SIGKILL after 3 s; waits for the exit and removes the directory. Idempotent. */
  stop(): Promise<void>;
}

export type PulseStart = { ok: true; pulse: PrivatePulse } | { ok: false; reason: string };

const run = promisify(execFile);

function onPath(binary: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${binary}`], { stdio: 'ignore' }).status === 0;
}

export async function startPrivatePulse(): Promise<PulseStart> {
  for (const binary of ['pulseaudio', 'pactl', 'parec', 'pacat']) {
    if (!onPath(binary)) return { ok: false, reason: `${binary} is not installed (apt-get install pulseaudio pulseaudio-utils)` };
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'verbatim-pulse-'));
  const home = path.join(dir, 'home');
  const runtime = path.join(dir, 'run');
  mkdirSync(home);
  mkdirSync(runtime, { mode: 0o700 });
  const socket = path.join(dir, 'native');
  writeFileSync(
    path.join(dir, 'default.pa'),
    [
      `load-module module-native-protocol-unix auth-anonymous=1 socket=${socket}`,
      'load-module module-null-sink sink_name=vsink rate=48000 channels=2 sink_properties=device.description=VirtualSink',
      'set-default-sink vsink',
      'set-default-source vsink.monitor',
      '',
    ].join('\n'),
  );
  const env: Record<string, string> = { HOME: home, XDG_RUNTIME_DIR: runtime, XDG_CONFIG_HOME: path.join(home, '.config') };
  const daemon: ChildProcess = spawn(
    'pulseaudio',
    [
      '-n',
      '-F',
      path.join(dir, 'default.pa'),
      '--daemonize=no',
      // An orphan (its worker killed by a signal) exits by itself ten minutes after its last client left. Not
      // sooner: a suite's tests without audio can outlast a minute under load (the app e2e's import ran 99 s
      // after its recording on a loaded machine, and the daemon was gone when its afterAll unloaded the mic).
      '--exit-idle-time=600',
      '--use-pid-file=no',
      '--log-target=stderr',
      '--log-level=error',
    ],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  daemon.stderr?.on('data', (data: Buffer) => (log = (log + data.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => daemon.once('close', () => resolve()));
  // A worker that dies mid-test must not leave a daemon behind.
  const killOnExit = (): void => {
    if (daemon.exitCode === null && daemon.signalCode === null) daemon.kill('SIGKILL');
  };
  process.once('exit', killOnExit);

  const clientEnv = { ...env, PULSE_SERVER: `unix:${socket}` };
  const pactl = async (...args: string[]): Promise<string> =>
    (await run('pactl', args, { env: { ...process.env, ...clientEnv, LC_ALL: 'C' }, timeout: 5000 })).stdout;

  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (daemon.exitCode === null && daemon.signalCode === null) {
        daemon.kill('SIGTERM');
        const force = setTimeout(() => daemon.kill('SIGKILL'), 3000);
        await exited;
        clearTimeout(force);
      }
      process.removeListener('exit', killOnExit);
      rmSync(dir, { recursive: true, force: true });
    })();
    return stopping;
  };

  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (daemon.exitCode !== null || daemon.signalCode !== null) break;
    if (existsSync(socket)) {
      try {
        await pactl('info');
        return { ok: true, pulse: { server: clientEnv.PULSE_SERVER, env: clientEnv, dir, pid: daemon.pid ?? -1, pactl, stop } };
      } catch {
        // not accepting yet
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  return { ok: false, reason: `pulseaudio did not start: ${log.trim().split('\n').slice(-3).join(' ') || 'no output'}` };
}

/** Loads a mono float32 pipe source named `vmic` that reads `fifo`, makes it the default source, and returns its module id. */
export async function loadDefaultPipeSource(pulse: PrivatePulse, fifo: string, rate: number): Promise<string> {
  const moduleId = await pulse.pactl(
    'load-module',
    'module-pipe-source',
    'source_name=vmic',
    `file=${fifo}`,
    'format=float32le',
    `rate=${rate}`,
    'channels=1',
  );
  await pulse.pactl('set-default-source', 'vmic');
  return moduleId.trim();
}
