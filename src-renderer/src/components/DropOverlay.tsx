import { useEffect, useState } from 'react';
import { useApp } from '../store/store-context';

function carriesFiles(event: DragEvent): boolean {
  return event.dataTransfer?.types.includes('Files') ?? false;
}

/** Files dragged anywhere over the window show a full-window target; dropping them imports them. */
export function DropOverlay(): React.JSX.Element | null {
  const importFiles = useApp((state) => state.importFiles);
  const [visible, setVisible] = useState(false);

  useEffect(() => {
    // dragenter/dragleave fire for every child element crossed; count them to know when the window is left.
    let depth = 0;
    const onEnter = (event: DragEvent): void => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      depth += 1;
      setVisible(true);
    };
    const onOver = (event: DragEvent): void => {
      if (!carriesFiles(event)) return;
      // Without this the browser (or Electron) would open the file instead of dropping it here.
      event.preventDefault();
      if (event.dataTransfer !== null) event.dataTransfer.dropEffect = 'copy';
    };
    const onLeave = (event: DragEvent): void => {
      if (!carriesFiles(event)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setVisible(false);
    };
    const onDrop = (event: DragEvent): void => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      depth = 0;
      setVisible(false);
      const files = Array.from(event.dataTransfer?.files ?? []);
      void importFiles(files);
    };
    window.addEventListener('dragenter', onEnter);
    window.addEventListener('dragover', onOver);
    window.addEventListener('dragleave', onLeave);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragenter', onEnter);
      window.removeEventListener('dragover', onOver);
      window.removeEventListener('dragleave', onLeave);
      window.removeEventListener('drop', onDrop);
    };
  }, [importFiles]);

  if (!visible) return null;
  return (
    <div className="drop-overlay" data-testid="drop-overlay" aria-hidden="true">
      <div className="drop-overlay-box">
        <strong>Drop audio or video files to import</strong>
        <span>Each file becomes a meeting once it is transcribed.</span>
      </div>
    </div>
  );
}
