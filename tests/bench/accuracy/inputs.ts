/**
 * The audio `bench:accuracy` scores: the dev clips with their references, jfk.wav, a ≥ 10-minute file made of
 * the clips with pauses (seeded order), and issue 13's 2 min 51 s concatenation for the coverage check.
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { FfmpegAudioDecoder } from '../../../src-main/audio/decoder';
import { seededRandom } from '../../../src-main/asr/whisper/fallback';

const run = promisify(execFile);

export interface Clip {
  id: string;
  path: string;
  language: string;
  reference: string;
  /** Part of ../shared/audio/dev (jfk.wav is not). */
  dev: boolean;
  seconds: number;
}

export interface LongFile {
  id: string;
  path: string;
  seconds: number;
  /** null when no reference exists (the coverage file: two-speakers.wav has none). */
  reference: string | null;
  /** Clips in order, with where each starts, so a reader can find a passage. */
  parts: { clip: string; start: number; seconds: number }[];
}

export const JFK_REFERENCE = 'And so my fellow Americans, ask not what your country can do for you, ask what you can do for your country.';
/** issue 13: "two-speakers.wav, jfk.wav, multilingual.mp3, two-speakers.wav, jfk.wav, two-speakers.wav". */
export const COVERAGE_PARTS = ['two-speakers.wav', 'jfk.wav', 'multilingual.mp3', 'two-speakers.wav', 'jfk.wav', 'two-speakers.wav'];
const QUIET = ['-nostdin', '-hide_banner', '-loglevel', 'error', '-y'];

async function ffmpeg(decoder: FfmpegAudioDecoder, args: string[]): Promise<void> {
  await run(decoder.binaries.ffmpeg.path, [...QUIET, ...args], { maxBuffer: 16 * 1024 * 1024 });
}

async function seconds(decoder: FfmpegAudioDecoder, file: string): Promise<number> {
  const probe = await decoder.probe(file);
  if (!probe.ok) throw new Error(probe.error.message);
  return probe.value.durationSeconds ?? 0;
}

/** references.tsv (file, language, reference, source) plus jfk.wav. */
export async function loadClips(decoder: FfmpegAudioDecoder, sharedAudio: string): Promise<Clip[]> {
  const dev = path.join(sharedAudio, 'dev');
  const rows = readFileSync(path.join(dev, 'references.tsv'), 'utf8')
    .split('\n')
    .slice(1)
    .filter((line) => line.trim() !== '');
  const clips: Clip[] = [];
  for (const row of rows) {
    const [file, language, reference] = row.split('\t');
    if (!file || !language || reference === undefined) continue;
    const clipPath = path.join(dev, file);
    clips.push({ id: file, path: clipPath, language, reference, dev: true, seconds: await seconds(decoder, clipPath) });
  }
  const jfk = path.join(sharedAudio, 'jfk.wav');
  clips.push({ id: 'jfk.wav', path: jfk, language: 'en', reference: JFK_REFERENCE, dev: false, seconds: await seconds(decoder, jfk) });
  return clips;
}

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/**
 * The clips, each round in a new seeded order, with a pause of 1–3 s (0.1 s steps) after each, until the file
 * lasts `minSeconds`; its reference is the clips' references in order. Built as 16 kHz mono PCM joined by
 * ffmpeg's concat demuxer.
 */
export async function buildDevLongFile(
  decoder: FfmpegAudioDecoder,
  dir: string,
  id: string,
  clips: readonly Clip[],
  minSeconds: number,
  seed = 13,
): Promise<LongFile> {
  // Without a clip the loop below would never reach minSeconds (`--only` matching nothing).
  if (clips.length === 0) throw new Error(`${id}: no clips to build the long file from`);
  // Seeded, so the long file is the same on every run.
  const random = seededRandom(seed);
  const normalized = new Map<string, string>();
  for (const [index, clip] of clips.entries()) {
    const out = path.join(dir, `${id}-clip${index}.wav`);
    await ffmpeg(decoder, ['-i', clip.path, '-ac', '1', '-ar', '16000', '-c:a', 'pcm_s16le', out]);
    normalized.set(clip.id, out);
  }
  const pauses = new Map<number, string>();
  const pause = async (tenths: number): Promise<string> => {
    const existing = pauses.get(tenths);
    if (existing) return existing;
    const out = path.join(dir, `${id}-pause${tenths}.wav`);
    await ffmpeg(decoder, ['-f', 'lavfi', '-i', 'anullsrc=r=16000:cl=mono', '-t', (tenths / 10).toFixed(1), '-c:a', 'pcm_s16le', out]);
    pauses.set(tenths, out);
    return out;
  };
  const list: string[] = [];
  const parts: LongFile['parts'] = [];
  const references: string[] = [];
  let at = 0;
  while (at < minSeconds) {
    for (const clip of shuffled(clips, random)) {
      const tenths = 10 + Math.floor(random() * 21);
      list.push(`file '${normalized.get(clip.id) as string}'`, `file '${await pause(tenths)}'`);
      parts.push({ clip: clip.id, start: round(at, 2), seconds: clip.seconds });
      references.push(clip.reference);
      at += clip.seconds + tenths / 10;
    }
  }
  const listFile = path.join(dir, `${id}.txt`);
  writeFileSync(listFile, `${list.join('\n')}\n`);
  const out = path.join(dir, `${id}.wav`);
  await ffmpeg(decoder, ['-f', 'concat', '-safe', '0', '-i', listFile, '-c', 'copy', out]);
  return { id, path: out, seconds: await seconds(decoder, out), reference: references.join(' '), parts };
}

/** issue 13's 2 min 51 s coverage case, concatenated with ffmpeg as the issue did (16 kHz mono, no pauses). */
export async function buildCoverageFile(decoder: FfmpegAudioDecoder, dir: string, sharedAudio: string): Promise<LongFile> {
  const files = COVERAGE_PARTS.map((name) => path.join(sharedAudio, name));
  const inputs = files.flatMap((file) => ['-i', file]);
  const filters = files.map((_, index) => `[${index}:a]aformat=sample_rates=16000:channel_layouts=mono[a${index}]`).join(';');
  const joined = files.map((_, index) => `[a${index}]`).join('');
  const out = path.join(dir, 'coverage-concat.wav');
  await ffmpeg(decoder, [
    ...inputs,
    '-filter_complex',
    `${filters};${joined}concat=n=${files.length}:v=0:a=1`,
    '-ac',
    '1',
    '-ar',
    '16000',
    out,
  ]);
  const parts: LongFile['parts'] = [];
  let at = 0;
  for (const [index, file] of files.entries()) {
    const length = await seconds(decoder, file);
    parts.push({ clip: COVERAGE_PARTS[index] as string, start: round(at, 2), seconds: round(length, 2) });
    at += length;
  }
  return { id: 'coverage-concat', path: out, seconds: await seconds(decoder, out), reference: null, parts };
}

export function round(value: number, digits = 3): number {
  return Number(value.toFixed(digits));
}
