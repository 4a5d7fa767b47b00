/**
 * The last resort of a long-running process (the bridge, the Electron main process): an error nothing
 * caught is reported, and the process goes on. Node's default ends the process on an unhandled
 * rejection, which in the middle of a recording would leave the file unfinalized and the meeting
 * unstored; every request already answers its own failures, so what reaches here is a defect to report,
 * not a reason to lose the user's work.
 */
import type { ErrorCodeOf } from '../../src-shared/errors';

export interface LastResortReport {
  code: ErrorCodeOf<'process'>;
  message: string;
}

/** The part of `process` this needs (a test passes its own emitter). */
export interface ProcessEvents {
  on(event: 'unhandledRejection', listener: (reason: unknown) => void): unknown;
  on(event: 'uncaughtException', listener: (error: Error) => void): unknown;
  off(event: 'unhandledRejection', listener: (reason: unknown) => void): unknown;
  off(event: 'uncaughtException', listener: (error: Error) => void): unknown;
}

/** Installs both handlers; returns their removal. */
export function installLastResortHandlers(target: ProcessEvents, report: (problem: LastResortReport) => void): () => void {
  const safely = (problem: LastResortReport): void => {
    try {
      report(problem);
    } catch {
      // A failing reporter (a closed stderr) must not turn into the crash it reports.
    }
  };
  const onRejection = (reason: unknown): void => safely({ code: 'UNHANDLED_REJECTION', message: describe(reason) });
  const onException = (error: Error): void => safely({ code: 'UNCAUGHT_EXCEPTION', message: describe(error) });
  target.on('unhandledRejection', onRejection);
  target.on('uncaughtException', onException);
  return () => {
    target.off('unhandledRejection', onRejection);
    target.off('uncaughtException', onException);
  };
}

/** One line for a log: the stack's first frames when there is one. */
export function describe(reason: unknown): string {
  if (reason instanceof Error) {
    const frames = (reason.stack ?? '')
      .split('\n')
      .slice(1, 4)
      .map((line) => line.trim());
    return [`${reason.name}: ${reason.message}`, ...frames].join(' | ');
  }
  return String(reason);
}
