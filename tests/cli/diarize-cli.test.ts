/** `verbatim diarize` as a user runs it: real ffmpeg, the catalog's default models from ../shared/models. */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scoreDiarization } from '../../src-main/diarization/der';
import { parseRttm } from '../../src-main/diarization/rttm';
import { makeTempDir } from '../audio/helpers';
import { realDiarizationModels, REPO_ROOT, SHARED_AUDIO, SHARED_MODELS } from '../support/paths';

const exec = promisify(execFile);

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(
      process.execPath,
      ['--import', 'tsx', path.join(REPO_ROOT, 'src-main/cli/main.ts'), 'diarize', ...args],
      { cwd: REPO_ROOT },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

let temp: Awaited<ReturnType<typeof makeTempDir>>;
beforeAll(async () => {
  temp = await makeTempDir('diarize-cli');
});
afterAll(async () => {
  await temp?.cleanup();
});

describe('verbatim diarize', () => {
  it('refuses bad options with CLI_BAD_ARGS and the usage (exit 2)', async () => {
    for (const args of [
      [],
      ['x.wav', '--speakers', '0'],
      ['x.wav', '--speakers', '2', '--min-speakers', '1'],
      ['x.wav', '--min-speakers', '3', '--max-speakers', '2'],
      ['x.wav', '--format', 'srt'],
      ['x.wav', '--embedding-model', 'whisper-base'],
    ]) {
      const run = await cli(args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(/^error CLI_BAD_ARGS: /);
      expect(run.stderr).toContain('Usage: verbatim diarize');
    }
  }, 60_000);

  it('names each bad file with its code before loading any model, and exits 1', async () => {
    const empty = path.join(temp.dir, 'empty.wav');
    const notes = path.join(temp.dir, 'notes.m4a');
    await writeFile(empty, '');
    await writeFile(notes, 'not a recording\n'.repeat(20));
    // An empty models folder with downloading impossible to need: no good file, so no model is looked for.
    const run = await cli([empty, notes, path.join(temp.dir, 'missing.wav'), '--models-dir', path.join(temp.dir, 'no-models'), '--quiet']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`error FILE_EMPTY: ${empty}:`);
    expect(run.stderr).toContain(`error NOT_MEDIA: ${notes}:`);
    expect(run.stderr).toContain(`error FILE_NOT_FOUND: ${path.join(temp.dir, 'missing.wav')}:`);
    expect(run.stderr).not.toMatch(/MODEL|DOWNLOAD/);
  }, 60_000);

  it.runIf(realDiarizationModels() !== null)(
    'writes RTTM and JSON for two-speakers.wav with the real models: 2 speakers, DER ≤ 10 %',
    async () => {
      const out = path.join(temp.dir, 'out');
      const run = await cli([
        path.join(SHARED_AUDIO, 'two-speakers.wav'),
        '--models-dir',
        SHARED_MODELS,
        '--format',
        'rttm,json',
        '--out-dir',
        out,
        '--device',
        'cpu',
      ]);
      expect(run.stderr).toMatch(
        /^done .*two-speakers\.wav \(2 speakers, \d+ turns, \d+× real time\) -> .*two-speakers\.rttm, .*two-speakers\.json$/m,
      );
      expect(run.code).toBe(0);
      const hypothesis = parseRttm(await readFile(path.join(out, 'two-speakers.rttm'), 'utf8'));
      const reference = parseRttm(await readFile(path.join(SHARED_AUDIO, 'two-speakers.rttm'), 'utf8'));
      if (!hypothesis.ok || !reference.ok) throw new Error('RTTM did not parse');
      const score = scoreDiarization(reference.value, hypothesis.value, { collar: 0 });
      expect(score.ok && score.value.der).toBeLessThanOrEqual(0.1);
      const json = JSON.parse(await readFile(path.join(out, 'two-speakers.json'), 'utf8')) as {
        format: string;
        version: number;
        speakers: unknown[];
        turns: unknown[];
      };
      expect(json).toMatchObject({ format: 'verbatim-diarization', version: 1 });
      expect(json.speakers).toHaveLength(2);
      expect(json.turns).toHaveLength(hypothesis.value.length);
    },
    120_000,
  );

  it.runIf(realDiarizationModels() !== null)(
    'honours --speakers and diarizes one --channel of a stereo file',
    async () => {
      const out = path.join(temp.dir, 'channel');
      const stereo = path.join(SHARED_AUDIO, 'stereo-two-speakers.wav');
      const forced = await cli([
        path.join(SHARED_AUDIO, 'jfk.wav'),
        '--speakers',
        '2',
        '--models-dir',
        SHARED_MODELS,
        '--out-dir',
        out,
        '--quiet',
        '--device',
        'cpu',
      ]);
      expect(forced.code).toBe(0);
      expect(forced.stderr).toMatch(/\(2 speakers,/);
      const left = await cli([stereo, '--channel', '1', '--models-dir', SHARED_MODELS, '--out-dir', out, '--quiet', '--device', 'cpu']);
      expect(left.code).toBe(0);
      expect(left.stderr).toMatch(/\(1 speaker,/);
      const third = await cli([stereo, '--channel', '3', '--models-dir', SHARED_MODELS, '--out-dir', out, '--quiet', '--device', 'cpu']);
      expect(third.code).toBe(1);
      expect(third.stderr).toContain('error CHANNEL_NOT_FOUND:');
    },
    120_000,
  );
});
