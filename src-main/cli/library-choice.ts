/**
 * The command-line side of a damaged library: the same sentence as the app, the two ways on as flags
 * (`--recover-library`, `--new-library`), and the notice once one of them was taken.
 */
import { fail, ok, type CodedError, type Result } from '../../src-shared/result';
import type { DamagedLibraryChoice } from '../library/open-library-database';

export const LIBRARY_CHOICE_OPTIONS = {
  'recover-library': { type: 'boolean', default: false },
  'new-library': { type: 'boolean', default: false },
} as const;

export const LIBRARY_CHOICE_USAGE = `  --recover-library    the library is damaged: open a copy recovered from it (the damaged file stays as it is)
  --new-library        the library is damaged: start a new, empty library beside it
`;

export function libraryChoice(values: { 'recover-library'?: boolean; 'new-library'?: boolean }): Result<DamagedLibraryChoice> {
  if (values['recover-library'] && values['new-library']) return fail('CLI_BAD_ARGS', 'Choose one of --recover-library and --new-library.');
  return ok(values['recover-library'] ? 'recover' : values['new-library'] ? 'new' : 'refuse');
}

/** The line a failed open prints; a damaged library's names the flags that go on. */
export function openFailureLine(error: CodedError): string {
  const hint = error.code === 'LIBRARY_DAMAGED' ? ' (run again with --recover-library or --new-library)' : '';
  return `error ${error.code}: ${error.message}${hint}\n`;
}
