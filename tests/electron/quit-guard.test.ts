import { describe, expect, it } from 'vitest';
import { createQuitGuard } from '../../src-main/electron/quit-guard';

function beforeQuitEvent() {
  const event = { prevented: false, preventDefault: () => (event.prevented = true) };
  return event;
}

function deferred() {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

describe('the quit guard', () => {
  it('holds the first quit until the engine is disposed, then quits for real', async () => {
    const disposal = deferred();
    const order: string[] = [];
    const quitted = deferred();
    const onBeforeQuit = createQuitGuard({
      dispose: () => {
        order.push('dispose');
        return disposal.promise;
      },
      quit: () => {
        order.push('quit');
        quitted.resolve();
      },
      timeoutMs: 60_000,
    });

    const first = beforeQuitEvent();
    onBeforeQuit(first);
    expect(first.prevented).toBe(true);

    // A second quit while disposing is held too, and does not dispose again.
    const second = beforeQuitEvent();
    onBeforeQuit(second);
    expect(second.prevented).toBe(true);
    expect(order).toEqual(['dispose']);

    disposal.resolve();
    await quitted.promise;
    expect(order).toEqual(['dispose', 'quit']);

    // The quit the guard itself calls goes through.
    const last = beforeQuitEvent();
    onBeforeQuit(last);
    expect(last.prevented).toBe(false);
    expect(order).toEqual(['dispose', 'quit']);
  });

  it('quits even when disposal fails', async () => {
    const quitted = deferred();
    const onBeforeQuit = createQuitGuard({
      dispose: async () => {
        throw new Error('model would not unload');
      },
      quit: quitted.resolve,
      timeoutMs: 60_000,
    });
    onBeforeQuit(beforeQuitEvent());
    await quitted.promise;
  });

  it('quits when disposal hangs past the limit', async () => {
    const quitted = deferred();
    let timedOut = false;
    const onBeforeQuit = createQuitGuard({
      dispose: () => new Promise<void>(() => undefined),
      quit: quitted.resolve,
      timeoutMs: 10,
      onTimeout: () => (timedOut = true),
    });
    onBeforeQuit(beforeQuitEvent());
    await quitted.promise;
    expect(timedOut).toBe(true);
  });
});
