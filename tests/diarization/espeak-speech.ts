import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SAMPLE_RATE = 16_000;

/**
 * espeak-ng voices whose pitch differs a lot (median f0 measured on these sentences): the male variants sit at
 * 93–104 Hz, the female ones at 180–211 Hz.
 */
export const LOW_VOICES = ['m1', 'm3'] as const;
export const HIGH_VOICES = ['f3', 'f4'] as const;

export const SENTENCES = [
  'Good morning everyone, let us start with the budget review for this quarter.',
  'I think the numbers look fine but the travel costs went up again.',
  'Can you send me the updated spreadsheet after the meeting today?',
  'Sure, I will also add the hiring plan and the new office timeline.',
] as const;

/** Synthetic speech with a known voice and text, rendered by espeak-ng and resampled by sox into a temp folder. */
export class EspeakSpeech {
  private constructor(private readonly dir: string) {}

  static async create(): Promise<EspeakSpeech> {
    return new EspeakSpeech(await mkdtemp(path.join(tmpdir(), 'verbatim-espeak-')));
  }

  /** 16 kHz mono samples in [-1, 1] of `text` spoken by espeak-ng's en-us voice with `variant` (e.g. 'm1', 'f3'). */
  async say(variant: string, text: string): Promise<Float32Array> {
    const name = `${variant}-${Buffer.from(text).toString('hex').slice(0, 24)}`;
    const wav = path.join(this.dir, `${name}.wav`);
    const raw = path.join(this.dir, `${name}.f32`);
    await run('espeak-ng', ['-v', `en-us+${variant}`, '-w', wav, text]);
    await run('sox', [wav, '-r', String(SAMPLE_RATE), '-c', '1', '-e', 'floating-point', '-b', '32', '-t', 'raw', raw]);
    const bytes = await readFile(raw);
    return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
  }

  async cleanup(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** Where one utterance sits in a conversation built by `converse`. */
export interface Utterance {
  start: number;
  end: number;
  voice: string;
}

/** Utterances one after the other with `gapSeconds` of digital silence between them. */
export function converse(
  parts: readonly { voice: string; samples: Float32Array }[],
  gapSeconds: number,
): {
  audio: Float32Array;
  utterances: Utterance[];
} {
  const gap = Math.round(gapSeconds * SAMPLE_RATE);
  const utterances: Utterance[] = [];
  let cursor = 0;
  for (const part of parts) {
    utterances.push({ start: cursor, end: cursor + part.samples.length, voice: part.voice });
    cursor += part.samples.length + gap;
  }
  const audio = new Float32Array(cursor);
  parts.forEach((part, index) => audio.set(part.samples, utterances[index]!.start));
  return { audio, utterances };
}
