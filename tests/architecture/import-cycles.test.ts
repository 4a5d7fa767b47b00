/**
 * No import cycle, between folders or between files: checked on the graph TypeScript resolves, and the
 * lint's import-x/no-cycle rule fails on a planted one. Between folders and inside the engine a type-only
 * import counts too. The page's zustand store is the one place a type-only cycle is kept: its slices are
 * typed against the whole state (types.ts), which is made of the slices; TypeScript erases it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/paths';
import { fileGraph, findCycle, folderGraph, type Graph } from './import-graph';

const files = fileGraph();

function withEdge(graph: Graph, from: string, to: string): Graph {
  const copy: Graph = new Map([...graph].map(([node, edges]) => [node, new Set(edges)]));
  copy.set(from, new Set([...(copy.get(from) ?? []), to]));
  return copy;
}

describe('import cycles', () => {
  it('the graph is the engine’s: every source folder, with its imports resolved', () => {
    const folders = folderGraph(files);
    expect(files.size).toBeGreaterThan(200);
    expect(folders.get('src-main/app')).toEqual(expect.any(Set));
    expect([...(folders.get('src-main/app') ?? [])]).toEqual(expect.arrayContaining(['src-main/jobs', 'src-main/record', 'src-main/api']));
    expect([...(files.get('src-main/jobs/handlers.ts') ?? [])]).toContain('src-main/jobs/import-handler.ts');
  });

  it('no folder imports a folder that imports it back, however indirectly', () => {
    expect(findCycle(folderGraph(files))).toBeNull();
  });

  it('no file imports a file that imports it back at run time', () => {
    expect(findCycle(fileGraph({ runtimeOnly: true }))).toBeNull();
  });

  it('in the engine, the preload and the contract, not even through type-only imports', () => {
    const outsidePage = new Map([...files].filter(([file]) => !file.startsWith('src-renderer')));
    expect(findCycle(outsidePage)).toBeNull();
  });

  it('a planted edge back from models/ to diarization/ is found as a cycle', () => {
    const cycle = findCycle(withEdge(folderGraph(files), 'src-main/models', 'src-main/diarization'));
    expect(cycle).toEqual(expect.arrayContaining(['src-main/models', 'src-main/diarization']));
    const fileCycle = findCycle(withEdge(files, 'src-main/jobs/import-handler.ts', 'src-main/jobs/handlers.ts'));
    expect(fileCycle).toEqual(expect.arrayContaining(['src-main/jobs/import-handler.ts', 'src-main/jobs/handlers.ts']));
  });

  it('lint fails on a planted cycle: models/catalog.ts importing model-store.ts, which imports it', async () => {
    const filePath = path.join(REPO_ROOT, 'src-main/models/catalog.ts');
    const planted = `import { defaultUserModelsDir } from './model-store';\n${readFileSync(filePath, 'utf8')}\nexport const plantedDir = defaultUserModelsDir;\n`;
    // The planted text is no file of the TypeScript project, so the type-aware rules are left out for it.
    const eslint = new ESLint({ cwd: REPO_ROOT, overrideConfig: tseslint.configs.disableTypeChecked });
    const [result] = await eslint.lintText(planted, { filePath });
    const rules = (result?.messages ?? []).map((message) => [message.line, message.ruleId]);
    expect(rules).toEqual([[1, 'import-x/no-cycle']]);
    const [untouched] = await eslint.lintText(readFileSync(filePath, 'utf8'), { filePath });
    expect(untouched?.messages).toEqual([]);
  }, 120_000);
});
