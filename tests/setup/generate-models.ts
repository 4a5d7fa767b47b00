import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, TINY_ENGLISH, TINY_MULTILINGUAL } from '../support/paths';

const GENERATOR_DIR = path.join(REPO_ROOT, 'tools/models');

function generatorHash(): string {
  const hash = createHash('sha256');
  for (const name of readdirSync(GENERATOR_DIR).sort()) {
    if (name.endsWith('.py')) hash.update(name).update(readFileSync(path.join(GENERATOR_DIR, name)));
  }
  return hash.digest('hex');
}

/** Generates the tiny random-weight Whisper models once per generator version (cached under .cache/). */
export function ensureTinyModels(): void {
  const python = process.env.VERBATIM_PYTHON ?? 'python3';
  const version = generatorHash();
  for (const [dir, extra] of [
    [TINY_MULTILINGUAL, []],
    [TINY_ENGLISH, ['--english-only']],
  ] as const) {
    const stamp = path.join(dir, '.generator-hash');
    if (existsSync(stamp) && readFileSync(stamp, 'utf8') === version) continue;
    rmSync(dir, { recursive: true, force: true });
    execFileSync(python, [path.join(GENERATOR_DIR, 'gen_tiny_whisper.py'), '--out', dir, '--dtypes', 'fp32,q8', ...extra], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    writeFileSync(stamp, version);
  }
}
