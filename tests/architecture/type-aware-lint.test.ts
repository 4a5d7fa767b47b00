/**
 * The engine, the preload and the shared contract are linted with type information (typescript-eslint
 * recommendedTypeChecked): a promise nobody handles fails the lint, `void` included (the bridge crash of
 * issue 12 was a `void`ed promise that rejected), and so does a promise-returning function where a
 * callback's result is ignored. Checked by linting a file planted in src-main with the project's own config.
 */
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ESLint } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/paths';

const PLANTED = path.join(REPO_ROOT, 'src-main/util/planted-by-lint-test.ts');

const SOURCE = `import type { EventEmitter } from 'node:events';
import { inBackground } from './background';

async function failing(): Promise<void> {
  await Promise.resolve();
  throw new RangeError('Maximum call stack size exceeded');
}

export function planted(events: EventEmitter): void {
  void failing(); // line 10: voided, never handled
  failing(); // line 11: not even voided
  events.on('message', async () => {
    await failing();
  }); // line 12: a promise where the emitter ignores the result
  failing().catch(() => undefined); // handled
  inBackground(failing()); // handed to a reporter
}
`;

afterAll(async () => {
  await rm(PLANTED, { force: true });
});

describe('type-aware lint', () => {
  it('fails on a floating promise, voided or not, and on a promise given where a callback’s result is ignored', async () => {
    await writeFile(PLANTED, SOURCE);
    const eslint = new ESLint({ cwd: REPO_ROOT });
    const [result] = await eslint.lintFiles([PLANTED]);
    await rm(PLANTED, { force: true });
    const found = (result?.messages ?? []).map((message) => [message.line, message.ruleId]);
    expect(found).toEqual(
      expect.arrayContaining([
        [10, '@typescript-eslint/no-floating-promises'],
        [11, '@typescript-eslint/no-floating-promises'],
        [12, '@typescript-eslint/no-misused-promises'],
      ]),
    );
    // The handled forms pass.
    expect(found.filter(([line]) => (line as number) > 14)).toEqual([]);
    expect(result?.errorCount).toBe(3);
  }, 180_000);
});
