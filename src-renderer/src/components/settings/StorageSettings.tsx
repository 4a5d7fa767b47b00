import { useApp } from '../../store/store-context';

/** Where the library lives. Moving it (with the library, media and recordings in it) is not offered yet. */
export function StorageSettings(): React.JSX.Element | null {
  const storageDir = useApp((state) => state.settings?.storageDir ?? null);
  if (storageDir === null) return null;
  return (
    <section className="settings-section" aria-labelledby="storage-title">
      <h2 id="storage-title">Storage</h2>
      <p className="field">
        <span>Library, recordings and media folder</span>
        <code data-testid="settings-storage-dir">{storageDir}</code>
      </p>
      <p className="hint">
        Everything Verbatim records or imports stays in this folder on this computer. Back it up by copying the folder while Verbatim is
        closed.
      </p>
    </section>
  );
}
