/**
 * The engine's child process in the Electron app: Electron's utilityProcess instead of
 * child_process.fork, which from Electron needs the RunAsNode fuse (an Electron binary that runs any
 * script as Node); the packaged app turns that fuse off. The child talks through process.parentPort
 * (transcriber-child.ts), and Electron ends it with the app. Electron's module is injected, so this is
 * tested with a double.
 */
import {
  ENGINE_CHILD_EXEC_ARGV,
  engineChildEnv,
  type ChildExit,
  type EngineChildLauncher,
} from '../util/engine-child/engine-child-process';
import { errorMessage } from '../../src-shared/errors';
import { fail, ok } from '../../src-shared/result';

/** The part of Electron's UtilityProcess used here. */
export interface UtilityProcessLike {
  readonly pid: number | undefined;
  readonly stderr: { on(event: 'data', listener: (chunk: Buffer) => void): unknown } | null;
  postMessage(message: unknown): void;
  kill(): boolean;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  off(event: 'message', listener: (message: unknown) => void): unknown;
  once(event: 'exit', listener: (code: number) => void): unknown;
}

/** The part of Electron's `utilityProcess` module used here. */
export interface UtilityProcessModule {
  fork(
    modulePath: string,
    args?: string[],
    options?: { stdio?: ('pipe' | 'ignore' | 'inherit')[]; serviceName?: string; execArgv?: string[]; env?: NodeJS.ProcessEnv },
  ): UtilityProcessLike;
}

export const ENGINE_SERVICE_NAME = 'Verbatim engine';

export function utilityProcessLauncher(utilityProcess: UtilityProcessModule): EngineChildLauncher {
  return (entry) => {
    let child: UtilityProcessLike;
    try {
      // stdout is not read; stderr is kept for the error message when the child dies.
      child = utilityProcess.fork(entry.modulePath, entry.args, {
        stdio: ['ignore', 'ignore', 'pipe'],
        serviceName: ENGINE_SERVICE_NAME,
        execArgv: [...ENGINE_CHILD_EXEC_ARGV],
        env: engineChildEnv(),
      });
    } catch (error) {
      return fail('ENGINE_PROCESS_DIED', `The transcription process could not start: ${errorMessage(error)}`);
    }
    let exited = false;
    const exitListeners: ((exit: ChildExit) => void)[] = [];
    child.once('exit', (code) => {
      exited = true;
      for (const listener of exitListeners) listener({ code, signal: null });
    });
    return ok({
      get pid() {
        return child.pid ?? null;
      },
      get connected() {
        return !exited;
      },
      send(message, onFailure) {
        try {
          child.postMessage(message);
        } catch {
          onFailure();
        }
      },
      onMessage(listener) {
        child.on('message', listener);
        return () => child.off('message', listener);
      },
      onExit(listener) {
        exitListeners.push(listener);
      },
      stderr: child.stderr,
      kill() {
        child.kill();
      },
      // Electron keeps the app running while it has windows; a utility process never holds it.
      hold() {},
    });
  };
}
