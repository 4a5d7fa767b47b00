/**
 * The layer order of eslint.config.js (LAYERS): a folder imports only from the layers below it, src-main/app/
 * alone chooses the real adapters, and the page and the preload import only src-shared. Checked by linting
 * planted files with the project's own config, every forbidden pair of folders included, and on the import
 * graph TypeScript resolves.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/paths';
import { fileGraph, folderGraph } from './import-graph';

interface Zone {
  target: string;
  from: string[];
}

// Planted texts are no files of the TypeScript project, so the type-aware rules are left out for them.
const eslint = new ESLint({ cwd: REPO_ROOT, overrideConfig: tseslint.configs.disableTypeChecked });

async function zoneErrors(plantedIn: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${source}\nexport const planted = 1;\n`, { filePath: path.join(REPO_ROOT, plantedIn) });
  expect((result?.messages ?? []).filter((message) => message.fatal)).toEqual([]);
  return (result?.messages ?? []).filter((message) => message.ruleId === 'import-x/no-restricted-paths').map((message) => message.message);
}

/** Some source file directly in `folder`, as a path importable from a file planted in `plantedDir`. */
function importableFileIn(folder: string, plantedDir: string): string {
  const name = readdirSync(path.join(REPO_ROOT, folder))
    .filter((entry) => /\.tsx?$/.test(entry))
    .sort()[0];
  if (name === undefined) throw new Error(`no source file in ${folder}`);
  const relative = path.relative(plantedDir, path.join(folder, name.replace(/\.tsx?$/, '')));
  return relative.startsWith('.') ? relative : `./${relative}`;
}

function engineFolders(): string[] {
  return readdirSync(path.join(REPO_ROOT, 'src-main'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => `src-main/${entry.name}`);
}

let zones: Zone[] = [];

beforeAll(async () => {
  const config = (await eslint.calculateConfigForFile(path.join(REPO_ROOT, 'src-main/jobs/planted.ts'))) as {
    rules: Record<string, [unknown, { zones: Zone[] }]>;
  };
  zones = config.rules['import-x/no-restricted-paths']?.[1].zones ?? [];
});

const folderOfZone = (entry: string): string => entry.replace(/^\.\//, '');

describe('the layer order', () => {
  it('gives every engine folder a layer (a new folder fails here until it is placed in LAYERS)', () => {
    const targets = zones.map((zone) => folderOfZone(zone.target));
    for (const folder of [...engineFolders(), 'src-shared', 'src-preload', 'src-renderer']) expect(targets).toContain(folder);
    // No engine file sits outside a stage folder (wiring.ts and workspace.ts once did).
    const loose = readdirSync(path.join(REPO_ROOT, 'src-main')).filter((entry) => /\.tsx?$/.test(entry));
    expect(loose).toEqual([]);
  });

  it('lint rejects the imports that once broke it', async () => {
    // models/ → diarization/ (the catalog cycle), jobs/ → app/ (a type from wiring.ts), diarization/ → asr/
    // (the execution provider), pipeline/ → record/, and a lower layer naming the composition.
    expect(
      await zoneErrors('src-main/models/planted.ts', "import { embeddingProfile } from '../diarization/diarization-models';"),
    ).toHaveLength(1);
    expect(await zoneErrors('src-main/jobs/planted.ts', "import type { Engine } from '../app/engine';")).toHaveLength(1);
    expect(
      await zoneErrors('src-main/jobs/transcriber-process/planted.ts', "import { createEngine } from '../../app/engine';"),
    ).toHaveLength(1);
    expect(await zoneErrors('src-main/diarization/planted.ts', "import type { SpeechRecognizer } from '../asr/types';")).toHaveLength(1);
    expect(await zoneErrors('src-main/pipeline/planted.ts', "import type { Recorder } from '../record/recorder';")).toHaveLength(1);
    expect(await zoneErrors('src-main/api/planted.ts', "export { openWorkspace } from '../app/workspace';")).toHaveLength(1);
    expect(await zoneErrors('src-shared/planted.ts', "import { withRetry } from '../src-main/util/retry';")).toHaveLength(1);
    expect(await zoneErrors('src-renderer/src/planted.ts', "import type { Engine } from '../../src-main/app/engine';")).toHaveLength(1);
    expect(await zoneErrors('src-preload/planted.ts', "import type { Engine } from '../src-main/app/engine';")).toHaveLength(1);
  });

  it('lets each layer use the layers below it', async () => {
    expect(
      await zoneErrors('src-main/diarization/planted.ts', "import type { ExecutionPreference } from '../onnx/execution-provider';"),
    ).toEqual([]);
    expect(
      await zoneErrors(
        'src-main/jobs/planted.ts',
        "import type { Workspace } from './workspace';\nimport type { LibraryStore } from '../library/library-store';",
      ),
    ).toEqual([]);
    expect(
      await zoneErrors(
        'src-main/app/planted.ts',
        "import { JobQueue } from '../jobs/job-queue';\nimport { createWireHandlers } from '../api/wire-handlers';",
      ),
    ).toEqual([]);
    expect(await zoneErrors('src-main/cli/planted.ts', "import { createEngine } from '../app/engine';")).toEqual([]);
    expect(await zoneErrors('src-renderer/src/planted.ts', "import type { JobSummary } from '../../src-shared/jobs';")).toEqual([]);
  });

  it('lint rejects an import of every folder a folder may not use', async () => {
    let checked = 0;
    for (const zone of zones) {
      const target = folderOfZone(zone.target);
      if (target === 'src-main') continue; // the adapters' zone, below
      const plantedDir = target === 'src-renderer' ? 'src-renderer/src' : target;
      for (const forbidden of zone.from.map(folderOfZone)) {
        const folder = forbidden === 'src-main' ? 'src-main/util' : forbidden === 'src-renderer' ? 'src-renderer/src' : forbidden;
        const specifier = importableFileIn(folder, plantedDir);
        const errors = await zoneErrors(`${plantedDir}/planted.ts`, `import '${specifier}';`);
        expect(errors, `${target} importing ${specifier}`).toHaveLength(1);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(100);
  }, 120_000);

  it('lets src-main/app/ alone import the real adapters', async () => {
    const decoder = "import { FfmpegAudioDecoder } from '../audio/decoder';";
    expect(await zoneErrors('src-main/app/planted.ts', decoder)).toEqual([]);
    expect(await zoneErrors('src-main/jobs/planted.ts', decoder)).toEqual([expect.stringContaining('src-main/app/')]);
    expect(await zoneErrors('src-main/cli/planted.ts', decoder)).toEqual([expect.stringContaining('src-main/app/')]);
    expect(
      await zoneErrors('src-main/api/planted.ts', "import { SqliteLibraryStore } from '../library/sqlite-library-store';"),
    ).toHaveLength(1);
    expect(
      await zoneErrors('src-main/electron/planted.ts', "import { ChildTranscriber } from '../jobs/transcriber-process/child-transcriber';"),
    ).toHaveLength(1);
  });

  it('holds on the import graph TypeScript resolves: no folder imports one its zone forbids', () => {
    const folders = folderGraph(fileGraph());
    const broken: string[] = [];
    for (const zone of zones) {
      const target = folderOfZone(zone.target);
      if (target === 'src-main') continue;
      const forbidden = zone.from.map(folderOfZone);
      for (const imported of folders.get(target) ?? []) {
        if (forbidden.some((folder) => imported === folder || imported.startsWith(`${folder}/`))) broken.push(`${target} → ${imported}`);
      }
    }
    expect(broken).toEqual([]);
    expect(folders.get('src-main/app')?.size).toBeGreaterThan(5);
  });
});
