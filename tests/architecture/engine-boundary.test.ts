import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

const snippet = "import { app } from 'electron';\nexport const name = app.getName();\n";

async function restrictedImportErrors(filePath: string): Promise<number> {
  // The snippet is no file of the TypeScript project, so the type-aware rules are left out for it.
  const [result] = await new ESLint({ overrideConfig: tseslint.configs.disableTypeChecked }).lintText(snippet, { filePath });
  expect((result?.messages ?? []).filter((message) => message.fatal)).toEqual([]);
  return (result?.messages ?? []).filter((message) => message.ruleId === 'no-restricted-imports').length;
}

describe('the engine stays free of Electron', () => {
  it('lint rejects an electron import anywhere in the engine', async () => {
    expect(await restrictedImportErrors('src-main/pipeline/example.ts')).toBe(1);
    expect(await restrictedImportErrors('src-main/asr/example.ts')).toBe(1);
    expect(await restrictedImportErrors('src-shared/example.ts')).toBe(1);
  });

  it('lint allows it in the Electron glue and the preload only', async () => {
    expect(await restrictedImportErrors('src-main/electron/example.ts')).toBe(0);
    expect(await restrictedImportErrors('src-preload/example.ts')).toBe(0);
  });
});
