// `npm start`: build, then open the app in Electron. Where Electron's binary is missing (it downloads
// during `npm install`), say so in one sentence instead of a stack trace.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

// Not `require('electron')`: that tries to download the binary on the spot and throws a stack trace.
function electronBinary() {
  try {
    const packageDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
    const pathFile = join(packageDir, 'path.txt');
    if (!existsSync(pathFile)) return null;
    const distDir = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(packageDir, 'dist');
    const binary = join(distDir, readFileSync(pathFile, 'utf8').trim());
    return existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
if (binary === null) {
  console.error(
    'Electron is not installed on this machine (its binary could not be downloaded during npm install); ' +
      'run `npm install` with internet access, or use the CLI: `npm run transcribe -- <files>`.',
  );
  process.exit(1);
}
// better-sqlite3 and naudiodon are built for Node by `npm install`; Electron has its own ABI. This
// rebuilds (or fetches prebuilt) binaries for Electron; `npm rebuild better-sqlite3 naudiodon` goes back
// to Node's for the CLI and the tests.
if (process.env.VERBATIM_SKIP_APP_DEPS !== '1') {
  const deps = spawnSync('npx', ['electron-builder', 'install-app-deps'], { stdio: 'inherit' });
  if (deps.status !== 0) process.exit(deps.status ?? 1);
}
const build = spawnSync('npx', ['electron-vite', 'build'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
const run = spawnSync(binary, ['.'], { stdio: 'inherit' });
process.exit(run.status ?? 0);
