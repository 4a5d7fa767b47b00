/**
 * Uploads keep the browser's file name under the one file-name rule: a Korean or emoji name longer than
 * 255 bytes (it used to fail with 500 UPLOAD_FAILED: ENAMETOOLONG), NFD Korean, dot-prefixed, bidi-override,
 * control-character and Windows-device names are all stored, under the name the rule gives.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppServices } from '../../src-main/api/types';
import { startBridge, type RunningBridge } from '../../src-main/bridge/bridge-server';
import { safeFileName } from '../../src-main/util/safe-file-name';
import { makeTempDir } from '../audio/helpers';
import { expectSafeName, HOSTILE_TITLES } from '../support/hostile-names';
import { http, openTestServices, sessionCookie } from './bridge-helpers';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let services: AppServices;
let bridge: RunningBridge;
let cookie: string;

beforeAll(async () => {
  temp = await makeTempDir('upload-names');
  services = await openTestServices(path.join(temp.dir, 'data'));
  bridge = await startBridge({ services, rendererDir: path.join(temp.dir, 'no-renderer') });
  cookie = await sessionCookie(bridge);
});

afterAll(async () => {
  await bridge?.close();
  await services?.dispose();
  await temp?.cleanup();
});

const NAMES: Record<string, string> = {
  ...Object.fromEntries(Object.entries(HOSTILE_TITLES).map(([kind, title]) => [kind, `${title}.m4a`])),
  koreanOver255Bytes: `${'분기별 예산 검토 회의'.repeat(10)}.m4a`,
  emojiOver255Bytes: `${'🎙️👩‍💻'.repeat(30)}.wav`,
  pathLike: '../../../etc/회의.wav',
};

describe('upload names', () => {
  it.each(Object.entries(NAMES))('stores a %s name under the safe name', async (_kind, name) => {
    const body = Buffer.from(`RIFF${name}`);
    const answer = await http(bridge.port, {
      method: 'POST',
      path: `/upload?name=${encodeURIComponent(name)}`,
      headers: { Cookie: cookie },
      body,
    });
    expect(answer.status, answer.body.toString()).toBe(200);
    const { path: stored } = JSON.parse(answer.body.toString()) as { path: string };
    const expected = safeFileName(path.basename(name.replaceAll('\\', '/')), { fallback: 'upload' });
    expect(path.basename(stored)).toBe(expected);
    expectSafeName(path.basename(stored));
    expect(path.relative(services.uploadsDir, stored).startsWith('..')).toBe(false);
    expect(await readFile(stored)).toEqual(body);
  });
});
