/** Meeting-length test audio built from the real clips in ../shared/audio with sox (16 kHz mono, 16-bit). */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface ClipSpan {
  clip: string;
  start: number;
  end: number;
}

/** The clips one after the other with `pauseSeconds` of silence between them, written to `out`; where each one lies. */
export async function concatClips(
  clips: readonly string[],
  pauseSeconds: number,
  out: string,
): Promise<{ path: string; spans: ClipSpan[] }> {
  const dir = path.dirname(out);
  const parts: string[] = [];
  const spans: ClipSpan[] = [];
  const silence = path.join(dir, `silence-${pauseSeconds}.wav`);
  await run('sox', ['-n', '-r', '16000', '-c', '1', '-b', '16', silence, 'trim', '0', String(pauseSeconds)]);
  let cursor = 0;
  for (const [index, clip] of clips.entries()) {
    const part = path.join(dir, `part-${index}-${path.basename(clip, path.extname(clip))}.wav`);
    await run('sox', [clip, '-r', '16000', '-c', '1', '-b', '16', part]);
    if (index > 0 && pauseSeconds > 0) {
      parts.push(silence);
      cursor += pauseSeconds;
    }
    const seconds = Number((await run('soxi', ['-D', part])).stdout.trim());
    spans.push({ clip, start: cursor, end: cursor + seconds });
    cursor += seconds;
    parts.push(part);
  }
  await run('sox', [...parts, out]);
  return { path: out, spans };
}
