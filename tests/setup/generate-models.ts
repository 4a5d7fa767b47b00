import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, TINY_ENGLISH, TINY_MULTILINGUAL, TINY_SIZED } from '../support/paths';

const GENERATOR_DIR = path.join(REPO_ROOT, 'tools/models');

function generatorHash(): string {
  const hash = createHash('sha256');
  for (const name of readdirSync(GENERATOR_DIR).sort()) {
    // Only the Whisper generator's sources: other tools here (the fbank reference) do not change the models.
    if (name.endsWith('.py') && !name.startsWith('fbank_')) hash.update(name).update(readFileSync(path.join(GENERATOR_DIR, name)));
  }
  return hash.digest('hex');
}

/** Generates the tiny random-weight Whisper models once per generator version (cached under .cache/). */
export function ensureTinyModels(): void {
  const python = process.env.VERBATIM_PYTHON ?? 'python3';
  const version = generatorHash();
  for (const [dir, extra] of [
    [TINY_MULTILINGUAL, ['--dtypes', 'fp32,q8']],
    [TINY_ENGLISH, ['--english-only', '--dtypes', 'fp32,q8']],
    [TINY_SIZED, ['--d-model', '384', '--heads', '6', '--ffn', '1536', '--encoder-layers', '4', '--decoder-layers', '4']],
  ] as const) {
    const stamp = path.join(dir, '.generator-hash');
    if (existsSync(stamp) && readFileSync(stamp, 'utf8') === version) continue;
    rmSync(dir, { recursive: true, force: true });
    execFileSync(python, [path.join(GENERATOR_DIR, 'gen_tiny_whisper.py'), '--out', dir, ...extra], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    writeFileSync(stamp, version);
  }
}
