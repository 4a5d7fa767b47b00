/**
 * Quitting waits for the engine: a running recording is finalized and stored, running jobs go back to the
 * queue, models are released. The first before-quit is held until that is done; then the app quits for real.
 */
import { inBackground } from '../util/background';

export interface QuitGuardOptions {
  dispose(): Promise<void>;
  quit(): void;
  /** A hung disposal must not keep the app from quitting; the recorder repairs a cut-short file at next start. */
  timeoutMs: number;
  onTimeout?(): void;
}

export function createQuitGuard(options: QuitGuardOptions): (event: { preventDefault(): void }) => void {
  let state: 'running' | 'disposing' | 'done' = 'running';
  return (event) => {
    if (state === 'done') return;
    event.preventDefault();
    if (state === 'disposing') return;
    state = 'disposing';
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        options.onTimeout?.();
        resolve();
      }, options.timeoutMs);
    });
    let disposed: Promise<void>;
    try {
      disposed = options.dispose().catch(() => undefined);
    } catch {
      disposed = Promise.resolve();
    }
    inBackground(
      Promise.race([disposed, timedOut]).then(() => {
        clearTimeout(timer);
        state = 'done';
        options.quit();
      }),
    );
  };
}
