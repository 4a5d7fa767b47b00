import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const snippet = "import { app } from 'electron';\nexport const name = app.getName();\n";

async function restrictedImportErrors(filePath: string): Promise<number> {
  const [result] = await new ESLint().lintText(snippet, { filePath });
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
