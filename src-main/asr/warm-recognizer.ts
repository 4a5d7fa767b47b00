import type { Result } from '../../src-shared/result';
import type { SpeechRecognizer } from './types';

/**
 * Holds at most one loaded model. The same key reuses the warm instance across files and windows;
 * a different key disposes the old sessions before loading the new model, so two never coexist.
 */
export class WarmRecognizer {
  private current: { key: string; recognizer: SpeechRecognizer } | null = null;
  private pending: Promise<unknown> = Promise.resolve();

  acquire(key: string, load: () => Promise<Result<SpeechRecognizer>>): Promise<Result<SpeechRecognizer>> {
    const next = this.pending.then(async (): Promise<Result<SpeechRecognizer>> => {
      if (this.current?.key === key) return { ok: true, value: this.current.recognizer };
      await this.release();
      const loaded = await load();
      if (loaded.ok) this.current = { key, recognizer: loaded.value };
      return loaded;
    });
    this.pending = next.catch(() => undefined);
    return next;
  }

  get loaded(): SpeechRecognizer | null {
    return this.current?.recognizer ?? null;
  }

  async release(): Promise<void> {
    const current = this.current;
    this.current = null;
    await current?.recognizer.dispose();
  }
}
