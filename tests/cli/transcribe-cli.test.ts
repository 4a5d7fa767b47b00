import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffmpeg, makeTempDir, realDecoder } from '../audio/helpers';
import { safeFileName } from '../../src-main/util/safe-file-name';
import { expectSafeName } from '../support/hostile-names';
import { REPO_ROOT, SHARED_AUDIO, TINY_MULTILINGUAL } from '../support/paths';

interface CliRun {
  code: number | null;
  stdout: string;
  /** Each stderr line with the milliseconds since spawn at which it arrived. */
  stderrLines: { atMs: number; text: string }[];
}

function runCli(args: string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'src-main/cli/main.ts'), ...args], { cwd: REPO_ROOT });
    const run: CliRun = { code: null, stdout: '', stderrLines: [] };
    let pending = '';
    child.stdout.on('data', (data: Buffer) => (run.stdout += data.toString()));
    child.stderr.on('data', (data: Buffer) => {
      pending += data.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const text of lines) run.stderrLines.push({ atMs: performance.now() - started, text });
    });
    child.on('close', (code) => resolve({ ...run, code }));
  });
}

let dir: string;
let cleanup: () => Promise<void>;
const bad: Record<string, string> = {};

beforeAll(async () => {
  ({ dir, cleanup } = await makeTempDir('cli'));
  const decoder = realDecoder();
  bad.FILE_NOT_FOUND = path.join(dir, 'missing.wav');
  bad.FILE_EMPTY = path.join(dir, 'empty.wav');
  await writeFile(bad.FILE_EMPTY, '');
  bad.NOT_MEDIA = path.join(dir, 'notes.mp3');
  await writeFile(bad.NOT_MEDIA, 'These are meeting notes, not audio.\n'.repeat(50));
  bad.TRUNCATED_OR_CORRUPT = path.join(dir, 'cut.m4a');
  const m4a = path.join(dir, 'whole.m4a');
  await ffmpeg(decoder, ['-i', path.join(SHARED_AUDIO, 'jfk.wav'), '-c:a', 'aac', m4a]);
  await writeFile(bad.TRUNCATED_OR_CORRUPT, (await readFile(m4a)).subarray(0, 2000));
  bad.NO_AUDIO_STREAM = path.join(dir, 'silent-video.mp4');
  await ffmpeg(decoder, ['-f', 'lavfi', '-i', 'color=c=black:s=64x64:d=1', '-c:v', 'mpeg4', bad.NO_AUDIO_STREAM]);
});

afterAll(async () => {
  await cleanup();
});

describe('verbatim transcribe (CLI)', () => {
  it('reports each bad input with its code and path before any transcription, still transcribes the good file, exits 1', async () => {
    const good = path.join(SHARED_AUDIO, 'jfk.wav');
    const outDir = path.join(dir, 'out');
    const run = await runCli([
      'transcribe',
      ...Object.values(bad),
      good,
      '--model-dir',
      TINY_MULTILINGUAL,
      '--format',
      'txt,srt,json',
      '--out-dir',
      outDir,
    ]);
    expect(run.code).toBe(1);
    // How fast the checks are is the probe's business (tests/audio); here: all before the good file is done.
    const done = run.stderrLines.find((entry) => entry.text.startsWith(`done ${good}`));
    expect(done).toBeDefined();
    for (const [code, file] of Object.entries(bad)) {
      const line = run.stderrLines.find((entry) => entry.text.startsWith(`error ${code}: ${file}`));
      expect(line, `${code} for ${file}\n${run.stderrLines.map((entry) => entry.text).join('\n')}`).toBeDefined();
      expect(line?.atMs).toBeLessThan(done?.atMs ?? 0);
    }
    for (const extension of ['txt', 'srt', 'json']) expect(existsSync(path.join(outDir, `jfk.${extension}`))).toBe(true);
    const json = JSON.parse(await readFile(path.join(outDir, 'jfk.json'), 'utf8')) as { modelId: string; duration: number };
    expect(json.modelId).toBe('tiny-random-whisper');
    expect(json.duration).toBeCloseTo(11, 0);
  });

  it('checks every input before transcribing any: bad files after a good one are reported first', async () => {
    // A good input named as a careless user might: dot-prefixed, long Hangul, an emoji, a bidi override.
    const stem = `.${'주간 회의록 '.repeat(13)}👩‍💻\u202Ecod`;
    const good = path.join(dir, `${stem}.wav`);
    await copyFile(path.join(SHARED_AUDIO, 'jfk.wav'), good);
    const outDir = path.join(dir, 'checked-first');
    const missing = path.join(dir, 'missing-after.wav');
    const run = await runCli([
      'transcribe',
      good,
      missing,
      bad.FILE_EMPTY as string,
      '--model-dir',
      TINY_MULTILINGUAL,
      '--format',
      'txt,json',
      '--out-dir',
      outDir,
    ]);
    expect(run.code).toBe(1);
    const lines = run.stderrLines.map((entry) => entry.text);
    const done = run.stderrLines.find((entry) => entry.text.startsWith(`done ${good}`));
    expect(done, lines.join('\n')).toBeDefined();
    for (const [code, file] of [
      ['FILE_NOT_FOUND', missing],
      ['FILE_EMPTY', bad.FILE_EMPTY],
    ]) {
      const line = run.stderrLines.find((entry) => entry.text.startsWith(`error ${code}: ${file}`));
      expect(line, `${code}\n${lines.join('\n')}`).toBeDefined();
      expect(line?.atMs).toBeLessThan(done?.atMs ?? 0);
    }
    // The transcripts are named by the one file-name rule: visible, within the byte limit, NFC.
    const expected = ['txt', 'json'].map((extension) => safeFileName(stem, { extension, fallback: 'transcript' }));
    for (const name of expected) expectSafeName(name);
    expect((await readdir(outDir)).sort()).toEqual(expected.sort());
  });

  it('exits 0 when every file succeeds, with a progress bar on stderr', async () => {
    const outDir = path.join(dir, 'ok');
    const run = await runCli([
      'transcribe',
      path.join(SHARED_AUDIO, 'jfk.mp3'),
      '--model-dir',
      TINY_MULTILINGUAL,
      '--language',
      'ko',
      '--format',
      'vtt',
      '--out-dir',
      outDir,
    ]);
    expect(run.code).toBe(0);
    expect(run.stderrLines.some((entry) => /\] +\d+% transcribe/.test(entry.text))).toBe(true);
    expect((await readFile(path.join(outDir, 'jfk.vtt'), 'utf8')).startsWith('WEBVTT')).toBe(true);
  });

  it('rejects bad arguments with usage and exit code 2', async () => {
    const run = await runCli(['transcribe', 'x.wav', '--format', 'pdf']);
    expect(run.code).toBe(2);
    expect(run.stderrLines[0]?.text).toMatch(/^error CLI_BAD_ARGS: Unknown format "pdf"/);
  });
});
