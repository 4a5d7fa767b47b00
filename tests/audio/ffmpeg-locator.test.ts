import { chmod, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locateFfmpeg, unpackAsarPath } from '../../src-main/audio/ffmpeg-locator';
import { makeTempDir } from './helpers';

describe('locateFfmpeg', () => {
  let dir = '';
  let cleanup: () => Promise<void> = async () => {};
  let fakeFfmpeg = '';
  let fakeFfprobe = '';

  beforeAll(async () => {
    ({ dir, cleanup } = await makeTempDir('locator'));
    fakeFfmpeg = path.join(dir, 'ffmpeg');
    fakeFfprobe = path.join(dir, 'ffprobe');
    for (const file of [fakeFfmpeg, fakeFfprobe]) {
      await writeFile(file, '#!/bin/sh\nexit 0\n');
      await chmod(file, 0o755);
    }
    await writeFile(path.join(dir, 'not-executable'), 'x');
  });
  afterAll(() => cleanup());

  it('uses the npm-shipped static binaries by default', () => {
    const located = locateFfmpeg({ env: { PATH: '' } });
    expect(located.ok).toBe(true);
    if (!located.ok) return;
    expect(located.value.ffmpeg.source).toBe('bundled');
    expect(located.value.ffprobe.source).toBe('bundled');
    expect(located.value.ffmpeg.path).toContain('@ffmpeg-installer');
    expect(located.value.ffprobe.path).toContain('@ffprobe-installer');
  });

  it('prefers VERBATIM_FFMPEG / VERBATIM_FFPROBE over the bundled binaries', () => {
    const located = locateFfmpeg({ env: { VERBATIM_FFMPEG: fakeFfmpeg, VERBATIM_FFPROBE: fakeFfprobe } });
    expect(located.ok && located.value).toEqual({
      ffmpeg: { path: fakeFfmpeg, source: 'env' },
      ffprobe: { path: fakeFfprobe, source: 'env' },
    });
  });

  it('prefers explicit paths over the environment', () => {
    const located = locateFfmpeg({ ffmpegPath: fakeFfmpeg, env: { VERBATIM_FFMPEG: '/nope' } });
    expect(located.ok && located.value.ffmpeg).toEqual({ path: fakeFfmpeg, source: 'explicit' });
  });

  it('falls back to PATH when nothing else is available', () => {
    const located = locateFfmpeg({ skipBundled: true, env: { PATH: `/definitely/missing${path.delimiter}${dir}` } });
    expect(located.ok && located.value.ffmpeg).toEqual({ path: fakeFfmpeg, source: 'system' });
    expect(located.ok && located.value.ffprobe.source).toBe('system');
  });

  it('reports FFMPEG_NOT_FOUND when no binary exists anywhere', () => {
    const located = locateFfmpeg({ skipBundled: true, env: { PATH: '/definitely/missing' } });
    expect(located.ok).toBe(false);
    if (!located.ok) expect(located.error.code).toBe('FFMPEG_NOT_FOUND');
  });

  it('does not silently ignore a bad VERBATIM_FFMPEG', () => {
    const located = locateFfmpeg({ env: { VERBATIM_FFMPEG: path.join(dir, 'not-executable') } });
    expect(located.ok).toBe(false);
    if (!located.ok) expect(located.error.message).toContain('VERBATIM_FFMPEG');
  });

  it('applies the path-rewrite hook to bundled binaries', () => {
    const seen: string[] = [];
    locateFfmpeg({ env: { PATH: '' }, rewriteBundledPath: (p) => (seen.push(p), p) });
    expect(seen.length).toBe(2);
  });

  it('maps app.asar to app.asar.unpacked for packaged Electron apps', () => {
    expect(unpackAsarPath('/Apps/Verbatim/resources/app.asar/node_modules/@ffmpeg-installer/linux-x64/ffmpeg')).toBe(
      '/Apps/Verbatim/resources/app.asar.unpacked/node_modules/@ffmpeg-installer/linux-x64/ffmpeg',
    );
    expect(unpackAsarPath('C:\\V\\resources\\app.asar\\node_modules\\ffmpeg.exe')).toBe(
      'C:\\V\\resources\\app.asar.unpacked\\node_modules\\ffmpeg.exe',
    );
    expect(unpackAsarPath('/already/app.asar.unpacked/ffmpeg')).toBe('/already/app.asar.unpacked/ffmpeg');
  });
});
