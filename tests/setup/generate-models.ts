import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, TINY_DIARIZATION, TINY_ENGLISH, TINY_MULTILINGUAL, TINY_SIZED } from '../support/paths';

const GENERATOR_DIR = path.join(REPO_ROOT, 'tools/models');
/** The sources each generator's output depends on: a change to one regenerates only its own models. */
const WHISPER_GENERATOR_FILES = ['gen_tiny_whisper.py', 'whisper_onnx_graphs.py', 'whisper_tokenizer_json.py'];
const DIARIZATION_GENERATOR_FILES = ['gen_tiny_diarization.py'];

function generatorHash(files: readonly string[]): string {
  const hash = createHash('sha256');
  for (const name of files) hash.update(name).update(readFileSync(path.join(GENERATOR_DIR, name)));
  return hash.digest('hex');
}

function python(): string {
  return process.env.VERBATIM_PYTHON ?? 'python3';
}

/** Runs `script --out dir …` unless `dir` was already written by this version of the generator. */
function generateOnce(script: string, dir: string, version: string, extra: readonly string[] = []): void {
  const stamp = path.join(dir, '.generator-hash');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === version) return;
  rmSync(dir, { recursive: true, force: true });
  execFileSync(python(), [path.join(GENERATOR_DIR, script), '--out', dir, ...extra], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  writeFileSync(stamp, version);
}

/** Generates the tiny random-weight Whisper models once per generator version (cached under .cache/). */
export function ensureTinyModels(): void {
  const version = generatorHash(WHISPER_GENERATOR_FILES);
  for (const [dir, extra] of [
    [TINY_MULTILINGUAL, ['--dtypes', 'fp32,q8']],
    [TINY_ENGLISH, ['--english-only', '--dtypes', 'fp32,q8']],
    [TINY_SIZED, ['--d-model', '384', '--heads', '6', '--ffn', '1536', '--encoder-layers', '4', '--decoder-layers', '4']],
  ] as const) {
    generateOnce('gen_tiny_whisper.py', dir, version, extra);
  }
}

/** Generates the handcrafted segmentation and embedding stand-ins once per generator version. */
export function ensureTinyDiarizationModels(): void {
  generateOnce('gen_tiny_diarization.py', TINY_DIARIZATION, generatorHash(DIARIZATION_GENERATOR_FILES));
}
