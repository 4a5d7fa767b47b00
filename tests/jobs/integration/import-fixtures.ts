/**
 * A folder of recordings as people drop it on the app: the shared clips, and the same speech re-encoded
 * into every common container (and three videos), each file distinct.
 */
import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import type { FfmpegAudioDecoder } from '../../../src-main/audio/decoder';
import { audioFile, ffmpeg } from '../../audio/helpers';

interface Encoding {
  extension: string;
  args: string[];
  video?: boolean;
}

const ENCODINGS: readonly Encoding[] = [
  { extension: 'wav', args: ['-c:a', 'pcm_s16le'] },
  { extension: 'mp3', args: ['-c:a', 'libmp3lame', '-b:a', '64k'] },
  { extension: 'm4a', args: ['-c:a', 'aac', '-b:a', '64k'] },
  { extension: 'flac', args: ['-c:a', 'flac'] },
  { extension: 'ogg', args: ['-c:a', 'libvorbis', '-q:a', '2'] },
  { extension: 'opus', args: ['-c:a', 'libopus', '-b:a', '32k'] },
  { extension: 'webm', args: ['-c:a', 'libopus', '-b:a', '32k'] },
  { extension: 'mp4', args: ['-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', '-shortest'], video: true },
  { extension: 'mkv', args: ['-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'libopus', '-shortest'], video: true },
  { extension: 'mov', args: ['-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', '-shortest'], video: true },
];

const SHARED_CLIPS = ['jfk.wav', 'jfk.mp3', 'jfk.flac', 'french.mp3', 'multilingual.mp3', 'stereo-two-speakers.wav', 'two-speakers.wav'];

/**
 * `count` files in `dir`: the shared clips copied as they are, then jfk re-encoded in turn into each
 * container, each cut to its own length (3 to 11 s) so no two files hold the same audio.
 */
export async function buildImportFolder(decoder: FfmpegAudioDecoder, dir: string, count: number): Promise<string[]> {
  const files: string[] = [];
  for (const clip of SHARED_CLIPS.slice(0, count)) {
    const target = path.join(dir, `shared-${clip}`);
    await copyFile(audioFile(clip), target);
    files.push(target);
  }
  for (let index = 0; files.length < count; index += 1) {
    const encoding = ENCODINGS[index % ENCODINGS.length] as Encoding;
    const seconds = 3 + (index % 9);
    const target = path.join(dir, `clip-${String(index).padStart(2, '0')}-${seconds}s.${encoding.extension}`);
    const video = encoding.video ? ['-f', 'lavfi', '-i', `testsrc=size=160x120:rate=10:duration=${seconds}`] : [];
    await ffmpeg(decoder, ['-i', audioFile('jfk.wav'), ...video, '-t', String(seconds), ...encoding.args, target]);
    files.push(target);
  }
  return files;
}
