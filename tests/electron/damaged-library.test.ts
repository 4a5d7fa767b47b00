/**
 * The app on a damaged library: the engine's one sentence is shown with three ways on, and the services
 * start again with the user's choice (or the app quits). Electron's dialog is a double here.
 */
import { describe, expect, it } from 'vitest';
import { fail, ok, type Result } from '../../src-shared/result';
import { DAMAGED_LIBRARY_BUTTONS, startWithLibraryChoice, type DamagedLibraryAnswer } from '../../src-main/electron/damaged-library';
import type { DamagedLibraryChoice } from '../../src-main/library/open-library-database';

const SENTENCE =
  'The library /data/library.sqlite3 is damaged (SQLITE_CORRUPT) and was left untouched: Verbatim can open a copy recovered from it, or start a new library beside it.';

function services(damaged: boolean) {
  const starts: DamagedLibraryChoice[] = [];
  const start = async (choice: DamagedLibraryChoice): Promise<Result<string>> => {
    starts.push(choice);
    return damaged && choice === 'refuse' ? fail('LIBRARY_DAMAGED', SENTENCE, '/data/library.sqlite3') : ok(`services (${choice})`);
  };
  return { start, starts };
}

function prompt(answer: DamagedLibraryAnswer) {
  const asked: string[] = [];
  return { asked, prompt: { ask: async (message: string) => (asked.push(message), answer) } };
}

describe('startWithLibraryChoice', () => {
  it('starts without asking when the library is whole', async () => {
    const { start, starts } = services(false);
    const { asked, prompt: ask } = prompt('recover');
    expect(await startWithLibraryChoice(start, ask)).toEqual(ok('services (refuse)'));
    expect(starts).toEqual(['refuse']);
    expect(asked).toEqual([]);
  });

  it.each([
    ['recover', 'services (recover)'],
    ['new', 'services (new)'],
  ] as const)('asks with the engine’s sentence, then starts with %s', async (answer, started) => {
    const { start, starts } = services(true);
    const { asked, prompt: ask } = prompt(answer);
    expect(await startWithLibraryChoice(start, ask)).toEqual(ok(started));
    expect(asked).toEqual([SENTENCE]);
    expect(starts).toEqual(['refuse', answer]);
  });

  it('quits when the user says so, and starts nothing more', async () => {
    const { start, starts } = services(true);
    const { prompt: ask } = prompt('quit');
    expect(await startWithLibraryChoice(start, ask)).toBeNull();
    expect(starts).toEqual(['refuse']);
  });

  it('passes any other failure through without asking', async () => {
    const { prompt: ask, asked } = prompt('recover');
    const failure = fail('DATA_DIR_UNAVAILABLE', 'Cannot create the data folder.');
    expect(await startWithLibraryChoice(async () => failure, ask)).toEqual(failure);
    expect(asked).toEqual([]);
  });

  it('offers the three ways on, quitting last (the dialog’s cancel)', () => {
    expect(DAMAGED_LIBRARY_BUTTONS.map((button) => button.answer)).toEqual(['recover', 'new', 'quit']);
  });
});
