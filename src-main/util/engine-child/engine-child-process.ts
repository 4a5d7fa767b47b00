/**
 * The engine's child processes (the transcriber child that runs jobs, the live transcription process of a
 * recording) as the parent sees them, and how they are started. Under Node (the CLI, the bridge) it is
 * `child_process.fork`; in the Electron app it is Electron's utilityProcess
 * (src-main/electron/utility-process-launcher.ts), because forking from Electron needs the RunAsNode fuse,
 * which the packaged app turns off. The composition place picks the launcher.
 */
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { errorMessage } from '../../../src-shared/errors';
import { fail, ok, type Result } from '../../../src-shared/result';

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be started at all. */
  spawnError?: string;
}

/** What to start: the entry module and its arguments (the last one carries the encoded options). */
export interface ChildEntry {
  modulePath: string;
  args: string[];
  /**
   * How fork serialises messages: JSON (the default) or V8's structured clone, which carries typed arrays
   * (live audio) as they are. Electron's utilityProcess always clones.
   */
  serialization?: 'json' | 'advanced';
}

export interface EngineChildProcess {
  readonly pid: number | null;
  /** Whether a message can still be sent. */
  readonly connected: boolean;
  /** Sends a message; `onFailure` is called when it could not be delivered. */
  send(message: unknown, onFailure: () => void): void;
  onMessage(listener: (message: unknown) => void): () => void;
  /** Called once, when the process has exited (or could not start). */
  onExit(listener: (exit: ChildExit) => void): void;
  readonly stderr: { on(event: 'data', listener: (chunk: Buffer) => void): unknown } | null;
  /** Ends it at once, with whatever it started when the platform allows (its process group). */
  kill(): void;
  /** Whether this process waits for the child (Node); a no-op where the host manages it (Electron). */
  hold(held: boolean): void;
}

export type EngineChildLauncher = (entry: ChildEntry) => Result<EngineChildProcess>;

/** The engine's child entries (src-main/app/<name>.ts, bundled as out/main/<name>.js). */
export type EngineChildName = 'transcriber-child' | 'live-asr-child';

/**
 * From source (this module is a .ts file: tests, tsx), a small .mjs bootstrap registers tsx and imports
 * app/<name>.ts (the child's composition root). Bundled, this module sits in out/main (or out/main/chunks)
 * and the entry is out/main/<name>.js.
 */
export function engineChildTarget(name: EngineChildName): Result<ChildEntry> {
  const here = fileURLToPath(import.meta.url);
  const dir = dirname(here);
  if (here.endsWith('.ts')) {
    return ok({
      modulePath: join(dir, 'dev-bootstrap.mjs'),
      args: [pathToFileURL(join(dir, '..', '..', 'app', `${name}.ts`)).href],
    });
  }
  const candidates = [join(dir, `${name}.js`), join(dir, '..', `${name}.js`)];
  const entry = candidates.find((candidate) => existsSync(candidate));
  if (!entry) return fail('ENGINE_PROCESS_MISSING', `${name}.js not found next to ${here}`, here);
  return ok({ modulePath: entry, args: [] });
}

/**
 * The engine child's environment: the parent's, with glibc's mmap threshold fixed at 1 MiB. By default glibc
 * raises that threshold as large blocks are freed, so the 1–32 MB tensors of a decode then come from the heap
 * and stay resident after they are freed; fixed, blocks above it are returned at once. 1 MiB rather than glibc's
 * initial 128 KiB: the decoder's per-step tensors (0.1–1 MB) stay in the heap, where mapping and faulting them
 * in anew every step cost 8–16 % more CPU time (bench:offline's file, greedy: 89.0 CPU s against 96.6).
 * Other C libraries ignore the variable; one the user set is kept.
 */
export function engineChildEnv(parent: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { MALLOC_MMAP_THRESHOLD_: '1048576', ...parent };
}

/**
 * V8's young generation kept small in the engine child. Every decoder step leaves megabytes of output arrays
 * (logits, the self-attention cache) whose memory outside the JavaScript heap is freed only when V8 collects
 * their small wrappers; a young generation of V8's default size lets tens of megabytes of them pile up between
 * collections. bench:offline's file, beam 5: a peak of 595 MB instead of 628 MB with 2 MB semi-spaces, at the
 * same CPU time (88.4 against 92.4 s).
 *
 * And its collections done on the JavaScript thread: V8's helper threads (parallel scavenges, concurrent marking
 * and sweeping) cost more CPU time than they save on a process that collects every few steps and already keeps
 * both cores busy with onnxruntime. bench:offline's file, greedy, three alternating pairs: 37.0–38.6 CPU s
 * against 39.5–41.4, wall 31.1–32.7 s against 29.5–31.0.
 */
export const ENGINE_CHILD_EXEC_ARGV: readonly string[] = ['--max-semi-space-size=2', '--single-threaded-gc'];

// A process group of its own lets a kill reach the ffmpeg processes the child started, too.
const OWN_PROCESS_GROUP = process.platform !== 'win32';

/** child_process.fork: the CLI's and the bridge's engine child (Node, with an IPC channel). */
export const forkLauncher: EngineChildLauncher = (entry) => {
  try {
    const child = fork(entry.modulePath, entry.args, {
      // Not the parent's flags (a test runner's or an inspector's): only the engine child's own.
      execArgv: [...ENGINE_CHILD_EXEC_ARGV],
      env: engineChildEnv(),
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      detached: OWN_PROCESS_GROUP,
      serialization: entry.serialization ?? 'json',
    });
    const killGroup = (): boolean => {
      if (!OWN_PROCESS_GROUP || child.pid === undefined) return false;
      try {
        process.kill(-child.pid, 'SIGKILL');
        return true;
      } catch {
        return false;
      }
    };
    let exited = false;
    return ok({
      get pid() {
        return child.pid ?? null;
      },
      get connected() {
        return child.connected;
      },
      send(message, onFailure) {
        try {
          child.send(message as object, (error) => {
            if (error) onFailure();
          });
        } catch {
          onFailure();
        }
      },
      onMessage(listener) {
        child.on('message', listener);
        return () => child.off('message', listener);
      },
      onExit(listener) {
        const settle = (exit: ChildExit): void => {
          if (exited) return;
          exited = true;
          // Whatever the child left running in its group (an ffmpeg mid-decode) goes with it.
          killGroup();
          listener(exit);
        };
        child.once('exit', (code, signal) => settle({ code, signal }));
        child.on('error', (error) => {
          if (child.pid === undefined) settle({ code: null, signal: null, spawnError: error.message });
        });
      },
      stderr: child.stderr,
      kill() {
        if (!killGroup()) child.kill('SIGKILL');
      },
      hold(held) {
        const handles: ({ ref(): void; unref(): void } | null | undefined)[] = [child, child.channel, refCounted(child.stderr)];
        for (const handle of handles) {
          if (held) handle?.ref();
          else handle?.unref();
        }
      },
    });
  } catch (error) {
    return fail('ENGINE_PROCESS_DIED', `The transcription process could not start: ${errorMessage(error)}`);
  }
};

/** A piped stdio stream is a net.Socket, which can be unref'd like any handle. */
function refCounted(stream: unknown): { ref(): void; unref(): void } | null {
  if (typeof stream !== 'object' || stream === null) return null;
  const candidate = stream as { ref?: unknown; unref?: unknown };
  return typeof candidate.ref === 'function' && typeof candidate.unref === 'function'
    ? (candidate as { ref(): void; unref(): void })
    : null;
}
