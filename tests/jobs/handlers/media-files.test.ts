import { existsSync, statSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { moveFileAtomic } from '../../../src-main/jobs/media-files';

const cleanups: string[] = [];
afterEach(async () => {
  for (const dir of cleanups.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function tempIn(parent: string): Promise<string> {
  const dir = await mkdtemp(path.join(parent, 'verbatim-move-'));
  cleanups.push(dir);
  return dir;
}

// tmpfs is its own filesystem: a rename from there to the temp folder fails with EXDEV.
const otherFilesystem = existsSync('/dev/shm') && statSync('/dev/shm').dev !== statSync(tmpdir()).dev ? '/dev/shm' : null;

describe('moveFileAtomic', () => {
  it('renames within a filesystem, replacing an existing target', async () => {
    const dir = await tempIn(tmpdir());
    await writeFile(path.join(dir, 'new.ogg'), 'new media');
    await writeFile(path.join(dir, 'meeting.ogg'), 'old media');
    expect((await moveFileAtomic(path.join(dir, 'new.ogg'), path.join(dir, 'meeting.ogg'))).ok).toBe(true);
    expect(await readFile(path.join(dir, 'meeting.ogg'), 'utf8')).toBe('new media');
    expect(await readdir(dir)).toEqual(['meeting.ogg']);
  });

  it.skipIf(otherFilesystem === null)('copies across filesystems through a temporary name, leaving only the target', async () => {
    const from = await tempIn(otherFilesystem as string);
    const to = await tempIn(tmpdir());
    const content = Buffer.alloc(3 * 1024 * 1024, 7);
    await writeFile(path.join(from, 'audio.ogg'), content);
    await writeFile(path.join(to, 'meeting.ogg'), 'old media');
    expect((await moveFileAtomic(path.join(from, 'audio.ogg'), path.join(to, 'meeting.ogg'))).ok).toBe(true);
    expect((await readFile(path.join(to, 'meeting.ogg'))).equals(content)).toBe(true);
    expect(await readdir(to)).toEqual(['meeting.ogg']);
    expect(await readdir(from)).toEqual([]);
  });

  it('fails with a coded error when the target folder is missing, and keeps the source', async () => {
    const dir = await tempIn(tmpdir());
    await writeFile(path.join(dir, 'audio.ogg'), 'media');
    const result = await moveFileAtomic(path.join(dir, 'audio.ogg'), path.join(dir, 'missing', 'meeting.ogg'));
    expect(result.ok ? 'ok' : result.error.code).toBe('MEDIA_WRITE_FAILED');
    expect(await readdir(dir)).toEqual(['audio.ogg']);
  });
});
