/**
 * A small leveled logger for what is worth knowing but is nobody's return value: a listener that threw, a
 * cleanup that failed, a settings file that could not be read. The composition root chooses the adapter
 * (the console's stderr in the app, the CLI and the bridge); tests pass a silent or a recording one.
 */
import { errorMessage } from './errors';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

export interface Logger {
  /** `cause` is what was caught (an Error or anything thrown); its message follows the text. */
  debug(message: string, cause?: unknown): void;
  info(message: string, cause?: unknown): void;
  warn(message: string, cause?: unknown): void;
  error(message: string, cause?: unknown): void;
}

export interface LogEntry {
  level: LogLevel;
  message: string;
  cause?: unknown;
}

export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

function leveled(write: (entry: LogEntry) => void): Logger {
  const at =
    (level: LogLevel) =>
    (message: string, cause?: unknown): void =>
      write(cause === undefined ? { level, message } : { level, message, cause });
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** One line per entry: `verbatim warn: <message>: <cause>`; at `error`, an Error's stack follows. */
export function formatLogEntry(entry: LogEntry): string {
  const cause = entry.cause === undefined ? '' : `: ${errorMessage(entry.cause)}`;
  const stack = entry.level === 'error' && entry.cause instanceof Error && entry.cause.stack ? `\n${entry.cause.stack}` : '';
  return `verbatim ${entry.level}: ${entry.message}${cause}${stack}`;
}

export interface ConsoleLoggerOptions {
  /** Entries below this level are dropped (default `info`). */
  level?: LogLevel;
  /** Where a line goes (default console.error: stderr in Node and Electron's main process). */
  writeLine?: (line: string) => void;
}

export function consoleLogger(options: ConsoleLoggerOptions = {}): Logger {
  const threshold = LOG_LEVELS.indexOf(options.level ?? 'info');
  const writeLine = options.writeLine ?? ((line: string) => console.error(line));
  return leveled((entry) => {
    if (LOG_LEVELS.indexOf(entry.level) < threshold) return;
    try {
      writeLine(formatLogEntry(entry));
    } catch {
      // A closed stderr must not turn a report into a crash; there is nowhere left to say it.
    }
  });
}

/** A test double that keeps every entry. */
export function memoryLogger(): Logger & { readonly entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  return Object.assign(
    leveled((entry) => entries.push(entry)),
    { entries },
  );
}
