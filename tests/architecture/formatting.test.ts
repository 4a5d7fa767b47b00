import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as prettier from 'prettier';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../..');

describe('formatting', () => {
  it("is checked by npm test's lint step", () => {
    const scripts = (JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.test).toContain('npm run lint');
    expect(scripts.lint).toContain('prettier --check .');
  });

  it('refuses a planted badly formatted file and accepts it formatted', async () => {
    const filepath = resolve(root, 'src-main/util/planted.ts');
    const options = { ...(await prettier.resolveConfig(filepath)), filepath };
    const planted = 'export const planted = {a:1,\n  b:"two"}\n';
    expect(await prettier.check(planted, options)).toBe(false);
    expect(await prettier.check(await prettier.format(planted, options), options)).toBe(true);
    expect(await prettier.format(planted, options)).toBe("export const planted = { a: 1, b: 'two' };\n");
  });
});
