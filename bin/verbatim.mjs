#!/usr/bin/env node
// The packaged CLI runs the bundled engine from `out/` (built by `npm run build`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../out/main/cli.js', import.meta.url));
if (!existsSync(entry)) {
  console.error('The CLI is not built yet: run `npm run build` (or use `npm run transcribe -- <files>`).');
  process.exit(1);
}
await import(entry);
