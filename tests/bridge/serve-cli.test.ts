/**
 * `npm run serve` as a user runs it: one line with the URL once listening, the URL's token opens the
 * page, SIGTERM stops it cleanly (exit 0, the library closed so a new start opens it again).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseServeArgs } from '../../src-main/bridge/serve-args';
import { makeTempDir } from '../audio/helpers';
import { REPO_ROOT, TINY_MULTILINGUAL } from '../support/paths';
import { http } from './bridge-helpers';

let temp: Awaited<ReturnType<typeof makeTempDir>>;

beforeAll(async () => {
  temp = await makeTempDir('serve-cli');
});
afterAll(async () => {
  await temp?.cleanup();
});

function serve(args: string[]): {
  child: ChildProcessWithoutNullStreams;
  firstLine: Promise<string>;
  exit: Promise<number | null>;
  output: () => string;
} {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'src-main/bridge/serve-cli.ts'), ...args], {
    cwd: REPO_ROOT,
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const firstLine = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('\n')) resolve(stdout.split('\n')[0] ?? '');
    });
    child.once('exit', () => reject(new Error(`serve exited before printing: ${stderr}`)));
  });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, firstLine, exit, output: () => stdout };
}

describe('npm run serve', () => {
  it('prints exactly one line with the URL, serves with its token, and exits 0 on SIGTERM', async () => {
    const dataDir = path.join(temp.dir, 'data');
    const args = ['--data-dir', dataDir, '--model-dir', TINY_MULTILINGUAL, '--device', 'cpu'];
    const run = serve(args);
    const line = await run.firstLine;
    const match = /^Verbatim is served at http:\/\/127\.0\.0\.1:(\d+)\/\?token=([0-9a-f]{64})$/.exec(line);
    expect(match, line).not.toBeNull();
    const port = Number(match?.[1]);
    const exchange = await http(port, { path: `/?token=${match?.[2]}` });
    expect(exchange.status).toBe(302);
    expect((await http(port, { path: '/' })).status).toBe(403);

    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
    expect(run.output()).toBe(`${line}\n`);

    // A second run gets a new token and opens the same library.
    const again = serve(args);
    const secondLine = await again.firstLine;
    expect(secondLine).not.toBe(line);
    again.child.kill('SIGINT');
    expect(await again.exit).toBe(0);
  }, 120_000);

  it('checks its arguments', () => {
    expect(parseServeArgs(['--port', '8080', '--device', 'gpu', '--data-dir', '/d'])).toEqual({
      ok: true,
      value: { port: 8080, services: { dataDir: '/d', device: 'gpu' } },
    });
    for (const bad of [['--port', 'x'], ['--port', '70000'], ['--device', 'tpu'], ['--unknown'], ['stray']]) {
      const parsed = parseServeArgs(bad);
      expect(parsed.ok === false && parsed.error.code, bad.join(' ')).toBe('CLI_BAD_ARGS');
    }
  });
});
