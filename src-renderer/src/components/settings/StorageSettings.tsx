import { useEffect, useState } from 'react';
import { useApp } from '../../store/store-context';
import { SaveStatusText } from './SaveStatusText';
import { useSaveSettings } from './use-save-status';

export function StorageSettings(): React.JSX.Element | null {
  const storageDir = useApp((state) => state.settings?.storageDir ?? null);
  const [draft, setDraft] = useState(storageDir ?? '');
  const { status, save } = useSaveSettings();

  useEffect(() => {
    if (storageDir !== null) setDraft(storageDir);
  }, [storageDir]);

  if (storageDir === null) return null;
  const changed = draft.trim() !== '' && draft.trim() !== storageDir;
  return (
    <section className="settings-section" aria-labelledby="storage-title">
      <h2 id="storage-title">Storage</h2>
      <form
        className="field"
        onSubmit={(event) => {
          event.preventDefault();
          if (changed) void save({ storageDir: draft.trim() });
        }}
      >
        <label htmlFor="storage-dir">Library, recordings and media folder</label>
        <div className="input-row">
          <input
            id="storage-dir"
            data-testid="settings-storage-dir"
            value={draft}
            spellCheck={false}
            onChange={(event) => setDraft(event.target.value)}
          />
          <button type="submit" className="btn btn-small" disabled={!changed}>
            Save
          </button>
        </div>
      </form>
      <p className="hint">A new folder takes effect the next time Verbatim starts.</p>
      <SaveStatusText status={status} />
    </section>
  );
}
