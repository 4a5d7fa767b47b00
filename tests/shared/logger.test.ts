import { describe, expect, it } from 'vitest';
import { consoleLogger, formatLogEntry, memoryLogger, silentLogger } from '../../src-shared/logger';

describe('the console logger', () => {
  it('writes one line per entry at or above its level, with the cause’s message', () => {
    const lines: string[] = [];
    const logger = consoleLogger({ level: 'info', writeLine: (line) => lines.push(line) });
    logger.debug('too fine');
    logger.info('started');
    logger.warn('a listener threw', new Error('bug'));
    logger.warn('not an error thrown', 'a string');
    expect(lines).toEqual([
      'verbatim info: started',
      'verbatim warn: a listener threw: bug',
      'verbatim warn: not an error thrown: a string',
    ]);
  });

  it('is at info by default, and shows debug when asked', () => {
    const quiet: string[] = [];
    consoleLogger({ writeLine: (line) => quiet.push(line) }).debug('hidden');
    expect(quiet).toEqual([]);
    const verbose: string[] = [];
    consoleLogger({ level: 'debug', writeLine: (line) => verbose.push(line) }).debug('shown');
    expect(verbose).toEqual(['verbatim debug: shown']);
    const onlyErrors: string[] = [];
    const errors = consoleLogger({ level: 'error', writeLine: (line) => onlyErrors.push(line) });
    errors.warn('hidden');
    errors.error('shown');
    expect(onlyErrors).toEqual(['verbatim error: shown']);
  });

  it('adds the stack of an Error logged at error level', () => {
    const error = new Error('defect');
    const line = formatLogEntry({ level: 'error', message: 'the queue could not settle a job', cause: error });
    expect(line.startsWith('verbatim error: the queue could not settle a job: defect\n')).toBe(true);
    expect(line).toContain(error.stack);
    expect(formatLogEntry({ level: 'warn', message: 'x', cause: error })).toBe('verbatim warn: x: defect');
  });

  it('does not throw when the line cannot be written', () => {
    const logger = consoleLogger({
      writeLine: () => {
        throw new Error('EPIPE');
      },
    });
    expect(() => logger.error('still fine')).not.toThrow();
  });
});

describe('the test doubles', () => {
  it('the memory logger keeps every entry with its level and cause', () => {
    const logger = memoryLogger();
    const cause = new Error('x');
    logger.debug('d');
    logger.info('i');
    logger.warn('w', cause);
    logger.error('e');
    expect(logger.entries).toEqual([
      { level: 'debug', message: 'd' },
      { level: 'info', message: 'i' },
      { level: 'warn', message: 'w', cause },
      { level: 'error', message: 'e' },
    ]);
  });

  it('the silent logger accepts everything and says nothing', () => {
    expect(() => {
      silentLogger.debug('d');
      silentLogger.info('i');
      silentLogger.warn('w', new Error('x'));
      silentLogger.error('e');
    }).not.toThrow();
  });
});
