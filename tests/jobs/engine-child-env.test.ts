/**
 * The engine child starts with glibc's mmap threshold fixed (large freed tensors go back to the system instead
 * of staying resident) and its own V8 flags (a small young generation), under fork as under Electron's
 * utilityProcess; a threshold the user set is kept.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ENGINE_CHILD_EXEC_ARGV,
  engineChildEnv,
  forkLauncher,
  type EngineChildProcess,
} from '../../src-main/util/engine-child/engine-child-process';

const dir = mkdtempSync(path.join(tmpdir(), 'verbatim-child-env-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('engine child environment', () => {
  it('adds the mmap threshold to the parent’s variables and keeps one the user set', () => {
    expect(engineChildEnv({ PATH: '/bin', HOME: '/home/a' })).toEqual({ PATH: '/bin', HOME: '/home/a', MALLOC_MMAP_THRESHOLD_: '1048576' });
    expect(engineChildEnv({ MALLOC_MMAP_THRESHOLD_: '65536' }).MALLOC_MMAP_THRESHOLD_).toBe('65536');
  });

  it('is what a forked engine child sees', async () => {
    const entry = path.join(dir, 'report-env.mjs');
    writeFileSync(
      entry,
      'const report = { threshold: process.env.MALLOC_MMAP_THRESHOLD_ ?? null, path: process.env.PATH ?? null, flags: process.execArgv };\n' +
        'process.send(report, () => process.exit(0));\n',
    );
    const launched = forkLauncher({ modulePath: entry, args: [] });
    if (!launched.ok) throw new Error(launched.error.message);
    const child: EngineChildProcess = launched.value;
    const message = await new Promise<unknown>((resolve) => child.onMessage(resolve));
    expect(message).toMatchObject({
      threshold: process.env.MALLOC_MMAP_THRESHOLD_ ?? '1048576',
      path: process.env.PATH ?? null,
      flags: [...ENGINE_CHILD_EXEC_ARGV],
    });
    await new Promise<void>((resolve) => child.onExit(() => resolve()));
  });
});
