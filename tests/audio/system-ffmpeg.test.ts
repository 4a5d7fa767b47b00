/** The system ffmpeg (Debian's, installed by .ci/run) works as a drop-in for the bundled one. */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FfmpegAudioDecoder } from '../../src-main/audio/decoder';
import { decodeAll, realDecoder } from './helpers';
import { SHARED_AUDIO } from '../support/paths';

function onPath(tool: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe.runIf(onPath('ffmpeg') && onPath('ffprobe'))('system ffmpeg from PATH', () => {
  it('is found when the bundled binaries are skipped, and decodes like the bundled build', async () => {
    const created = FfmpegAudioDecoder.create({ skipBundled: true });
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    expect(created.value.binaries.ffmpeg.source).toBe('system');
    for (const name of ['jfk.mp3', 'jfk.flac']) {
      const probe = await created.value.probe(path.join(SHARED_AUDIO, name));
      expect(probe.ok && probe.value.durationSeconds).toBeCloseTo(11, 0);
      const system = await decodeAll(created.value, path.join(SHARED_AUDIO, name));
      const bundled = await decodeAll(realDecoder(), path.join(SHARED_AUDIO, name));
      expect(Math.abs(system.length - bundled.length)).toBeLessThan(16_000 * 0.1);
    }
  });
});
