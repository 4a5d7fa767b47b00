import { useCallback, useState } from 'react';
import type { AppSettings } from '../../../../src-shared/ipc-contract';
import type { CodedError } from '../../../../src-shared/result';
import type { SettingsPatch } from '../../store/settings-slice';
import { useApp } from '../../store/store-context';

export type SaveStatus = { kind: 'idle' } | { kind: 'saving' } | { kind: 'saved' } | { kind: 'failed'; error: CodedError };

/** Saves a settings patch and remembers how it went, for the section that made it. */
export function useSaveSettings(): { status: SaveStatus; save(patch: SettingsPatch): Promise<AppSettings | null> } {
  const saveSettings = useApp((state) => state.saveSettings);
  const [status, setStatus] = useState<SaveStatus>({ kind: 'idle' });
  const save = useCallback(
    async (patch: SettingsPatch) => {
      setStatus({ kind: 'saving' });
      const result = await saveSettings(patch);
      setStatus(result.ok ? { kind: 'saved' } : { kind: 'failed', error: result.error });
      return result.ok ? result.value : null;
    },
    [saveSettings],
  );
  return { status, save };
}
