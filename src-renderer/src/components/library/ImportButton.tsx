import { useRef } from 'react';
import { useApp } from '../../store/store-context';

export function ImportButton(): React.JSX.Element {
  const importFiles = useApp((state) => state.importFiles);
  const importing = useApp((state) => state.importing);
  const inputRef = useRef<HTMLInputElement>(null);

  return (
    <>
      <button
        type="button"
        className="btn btn-primary"
        data-testid="import-button"
        disabled={importing}
        onClick={() => inputRef.current?.click()}
      >
        {importing ? 'Importing…' : 'Import files…'}
      </button>
      <input
        ref={inputRef}
        type="file"
        multiple
        accept="audio/*,video/*"
        hidden
        aria-label="Audio or video files to import"
        data-testid="import-input"
        onChange={(event) => {
          const files = Array.from(event.currentTarget.files ?? []);
          // Cleared so picking the same file again still fires a change.
          event.currentTarget.value = '';
          void importFiles(files);
        }}
      />
    </>
  );
}
