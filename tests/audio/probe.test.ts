import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FfmpegAudioDecoder } from '../../src-main/audio/decoder';
import { probeAudio } from '../../src-main/audio/probe';
import type { DecodeItem, ProbeErrorCode } from '../../src-main/audio/types';
import { audioFile, decodeAll, ffmpeg, makeTempDir, realDecoder } from './helpers';

const FIVE_SECONDS = 5000;

describe('probe and decode of bad inputs', () => {
  let decoder: FfmpegAudioDecoder;
  let dir = '';
  let cleanup: () => Promise<void> = async () => {};
  const file = (name: string): string => path.join(dir, name);

  beforeAll(async () => {
    decoder = realDecoder();
    ({ dir, cleanup } = await makeTempDir('probe'));
    const wav = await readFile(audioFile('jfk.wav'));
    const mp3 = await readFile(audioFile('jfk.mp3'));
    await Promise.all([
      ffmpeg(decoder, ['-i', audioFile('jfk.wav'), '-c:a', 'aac', file('index-at-end.m4a')]),
      ffmpeg(decoder, ['-i', audioFile('jfk.wav'), '-c:a', 'aac', '-movflags', '+faststart', file('faststart.m4a')]),
      ffmpeg(decoder, [
        '-f',
        'lavfi',
        '-i',
        'color=black:s=64x64:r=5:d=2',
        '-c:v',
        'libx264',
        '-pix_fmt',
        'yuv420p',
        file('video-only.mp4'),
      ]),
      ffmpeg(decoder, ['-f', 'lavfi', '-i', 'color=black:s=32x32', '-frames:v', '1', file('picture.png')]),
    ]);
    await mkdir(file('a-directory.wav'));
    await writeFile(file('empty.wav'), '');
    await writeFile(file('notes.mp3'), 'These are meeting notes, not audio.\n'.repeat(40));
    await writeFile(file('random.wav'), Buffer.from(Array.from({ length: 40000 }, (_, i) => (i * 7919 + 13) % 251)));
    await writeFile(file('header-cut.wav'), wav.subarray(0, 30));
    await writeFile(file('data-cut.wav'), wav.subarray(0, 100_000));
    await writeFile(file('id3-cut.mp3'), mp3.subarray(0, 20));
    await writeFile(file('frames-cut.mp3'), mp3.subarray(0, 38_000));
    const indexAtEnd = await readFile(file('index-at-end.m4a'));
    await writeFile(file('moov-missing.m4a'), indexAtEnd.subarray(0, indexAtEnd.length / 2));
    const faststart = await readFile(file('faststart.m4a'));
    await writeFile(file('mdat-cut.m4a'), faststart.subarray(0, Math.floor(faststart.length / 3)));
    const brokenMoov = Buffer.from(faststart);
    brokenMoov.fill(0x58, 40, 80);
    await writeFile(file('moov-broken.m4a'), brokenMoov);
    // A WAVE format tag no ffmpeg knows: the header is fine, the codec is not decodable.
    const unknownCodec = Buffer.from(wav);
    unknownCodec.writeUInt16LE(0x7777, 20);
    await writeFile(file('unknown-codec.wav'), unknownCodec);
    await writeFile(file('hangs.sh'), '#!/bin/sh\nexec sleep 30\n');
    await chmod(file('hangs.sh'), 0o755);
  }, 60_000);
  afterAll(() => cleanup());

  const rejected: [string, ProbeErrorCode][] = [
    ['missing.wav', 'FILE_NOT_FOUND'],
    ['a-directory.wav', 'FILE_NOT_FOUND'],
    ['empty.wav', 'FILE_EMPTY'],
    ['notes.mp3', 'NOT_MEDIA'],
    ['random.wav', 'NOT_MEDIA'],
    ['video-only.mp4', 'NO_AUDIO_STREAM'],
    ['picture.png', 'NO_AUDIO_STREAM'],
    ['header-cut.wav', 'TRUNCATED_OR_CORRUPT'],
    ['id3-cut.mp3', 'TRUNCATED_OR_CORRUPT'],
    ['moov-missing.m4a', 'TRUNCATED_OR_CORRUPT'],
    ['moov-broken.m4a', 'TRUNCATED_OR_CORRUPT'],
    ['unknown-codec.wav', 'UNSUPPORTED_CODEC'],
  ];
  it.each(rejected)('%s → %s within 5 s, naming the file', async (name, code) => {
    const started = Date.now();
    const result = await decoder.probe(file(name));
    expect(Date.now() - started).toBeLessThan(FIVE_SECONDS);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe(code);
    expect(result.error.subject).toBe(file(name));
    expect(result.error.message).toContain(name);
  });

  it('accepts a WAV cut mid-data, flags it, and decodes the prefix that exists', async () => {
    const result = await decoder.probe(file('data-cut.wav'));
    expect(result.ok && result.value.truncated).toBe(true);
    const samples = await decodeAll(decoder, file('data-cut.wav'));
    const expectedSeconds = (100_000 - 78) / 2 / 16000; // jfk.wav's header is 78 bytes (with a LIST chunk)
    expect(Math.abs(samples.length / 16000 - expectedSeconds)).toBeLessThan(0.01);
  });

  it.each(['frames-cut.mp3', 'mdat-cut.m4a'])('accepts %s (intact header, data cut) and decodes a prefix', async (name) => {
    const result = await decoder.probe(file(name));
    expect(result.ok, JSON.stringify(result)).toBe(true);
    const samples = await decodeAll(decoder, file(name));
    expect(samples.length / 16000).toBeGreaterThan(1);
    expect(samples.length / 16000).toBeLessThan(10);
  });

  it('kills a hanging ffprobe and reports PROBE_TIMEOUT', async () => {
    const started = Date.now();
    const result = await probeAudio(audioFile('jfk.wav'), { ffprobePath: file('hangs.sh'), timeoutMs: 300 });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(!result.ok && result.error.code).toBe('PROBE_TIMEOUT');
  });

  it('reports DECODE_FAILED with ffmpeg stderr when decoding a non-media file', async () => {
    const items: DecodeItem[] = [];
    for await (const item of decoder.decode(file('notes.mp3'))) items.push(item);
    expect(items).toHaveLength(1);
    const [only] = items;
    expect(only?.ok).toBe(false);
    if (only === undefined || only.ok) return;
    expect(only.error.code).toBe('DECODE_FAILED');
    expect(only.error.message.length).toBeGreaterThan(`ffmpeg could not decode ${file('notes.mp3')}: `.length);
  });

  it('reports FILE_NOT_FOUND from decode for a missing file', async () => {
    const items: DecodeItem[] = [];
    for await (const item of decoder.decode(file('missing.wav'))) items.push(item);
    expect(items.map((item) => (item.ok ? 'chunk' : item.error.code))).toEqual(['FILE_NOT_FOUND']);
  });
});
