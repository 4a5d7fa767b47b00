/**
 * The last resort of the bridge and the Electron main process: an unhandled rejection or an uncaught
 * exception is reported and the process goes on (Node's default would end it, and with it a recording).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/paths';

const FIXTURE = path.join(REPO_ROOT, 'tests/util/fixtures/last-resort-child.ts');

function run(...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', FIXTURE, ...args], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 30_000 });
}

describe('installLastResortHandlers', () => {
  it('reports an unhandled rejection and an uncaught exception with their codes, and the process lives on', () => {
    const result = run('--install');
    expect(result.stdout).toBe('still alive\n');
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/^error UNHANDLED_REJECTION: RangeError: Maximum call stack size exceeded/m);
    expect(result.stderr).toMatch(/^error UNCAUGHT_EXCEPTION: Error: thrown from a timer/m);
  });

  it('is what keeps the process up: without it Node ends it at the first unhandled rejection', () => {
    const result = run();
    expect(result.stdout).toBe('');
    expect(result.status).not.toBe(0);
  });
});
