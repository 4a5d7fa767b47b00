/**
 * The app's side of a damaged library: the engine refuses it (LIBRARY_DAMAGED, nothing written), the user
 * is told in one sentence and chooses a recovered copy, a new library beside it, or to quit; the services
 * then start with that choice. Electron's dialog is injected so this is tested without Electron.
 */
import type { Result } from '../../src-shared/result';
import type { DamagedLibraryChoice } from '../library/open-library-database';

export type DamagedLibraryAnswer = Exclude<DamagedLibraryChoice, 'refuse'> | 'quit';

export interface DamagedLibraryPrompt {
  /** Shows the engine's sentence and the three ways on. */
  ask(message: string): Promise<DamagedLibraryAnswer>;
}

export const DAMAGED_LIBRARY_BUTTONS: readonly { label: string; answer: DamagedLibraryAnswer }[] = [
  { label: 'Open a recovered copy', answer: 'recover' },
  { label: 'Start a new library', answer: 'new' },
  { label: 'Quit', answer: 'quit' },
];

/**
 * Starts the services; if the library is damaged, asks and starts again with the answer. Null when the
 * user chose to quit.
 */
export async function startWithLibraryChoice<T>(
  start: (onDamaged: DamagedLibraryChoice) => Promise<Result<T>>,
  prompt: DamagedLibraryPrompt,
): Promise<Result<T> | null> {
  const first = await start('refuse');
  if (first.ok || first.error.code !== 'LIBRARY_DAMAGED') return first;
  const answer = await prompt.ask(first.error.message);
  if (answer === 'quit') return null;
  return start(answer);
}
