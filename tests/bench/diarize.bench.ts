/**
 * `npm run bench:diarize [-- --hours 2]`: diarization error rate on ../shared/audio/two-speakers.wav against
 * its RTTM (collar 0.25 s), speed in × real time and peak RSS, then a long file (two-speakers.wav looped to
 * `--hours`, streamed from ffmpeg) to show memory stays bounded. Real models from ../shared/models when
 * present, else the generated stand-ins (their DER says nothing about real accuracy). Last line: one JSON object.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { FfmpegAudioDecoder } from '../../src-main/audio/decoder';
import { scoreDiarization } from '../../src-main/diarization/der';
import { diarizeChunks, type DiarizationModels } from '../../src-main/diarization/diarize-audio';
import { loadOnnxEmbedder } from '../../src-main/diarization/embedding-model';
import { parseRttm } from '../../src-main/diarization/rttm';
import { loadOnnxSegmenter } from '../../src-main/diarization/segmentation-model';
import { ensureTinyDiarizationModels } from '../setup/generate-models';
import { realDiarizationModels, SHARED_AUDIO, TINY_EMBEDDING_MODEL, TINY_SEGMENTATION_MODEL } from '../support/paths';

const { values } = parseArgs({ options: { hours: { type: 'string', default: '2' } } });
const hours = Number(values.hours);
const real = realDiarizationModels();
if (!real) ensureTinyDiarizationModels();
const paths = real ?? { segmentation: TINY_SEGMENTATION_MODEL, embedding: TINY_EMBEDDING_MODEL };

const decoderResult = FfmpegAudioDecoder.create();
if (!decoderResult.ok) throw new Error(decoderResult.error.message);
const decoder = decoderResult.value;
const segmentation = await loadOnnxSegmenter({ modelPath: paths.segmentation, execution: 'auto', threads: 2 });
const embedding = await loadOnnxEmbedder({ modelPath: paths.embedding, execution: 'auto', threads: 2 });
if (!segmentation.ok || !embedding.ok) throw new Error('diarization models did not load');
const models: DiarizationModels = { segmenter: segmentation.value.segmenter, embedder: embedding.value.embedder };

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 100);
const mb = (bytes: number): number => Math.round(bytes / 1e5) / 10;

async function* samplesOf(file: string, loops = 0): AsyncGenerator<Float32Array> {
  const iterator = loops > 0 ? decodeLooped(file, loops) : decoder.decode(file);
  for await (const item of iterator) {
    if (!item.ok) throw new Error(item.error.message);
    yield item.value.samples;
  }
}

/** ffmpeg's -stream_loop through the production decoder's binary, streamed as 1 s chunks. */
async function* decodeLooped(file: string, loops: number): AsyncGenerator<{ ok: true; value: { samples: Float32Array } }> {
  const { spawn } = await import('node:child_process');
  const child = spawn(decoder.binaries.ffmpeg.path, ['-v', 'error', '-stream_loop', String(loops), '-i', file, '-f', 'f32le', '-ac', '1', '-ar', '16000', 'pipe:1'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let pending = Buffer.alloc(0);
  for await (const data of child.stdout as AsyncIterable<Buffer>) {
    pending = Buffer.concat([pending, data]);
    const whole = pending.length - (pending.length % 4);
    if (whole >= 64_000) {
      const bytes = pending.subarray(0, whole);
      yield { ok: true, value: { samples: new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)) } };
      pending = pending.subarray(whole);
    }
  }
  if (pending.length >= 4) {
    const bytes = pending.subarray(0, pending.length - (pending.length % 4));
    yield { ok: true, value: { samples: new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)) } };
  }
}

const twoSpeakers = path.join(SHARED_AUDIO, 'two-speakers.wav');
const reference = parseRttm(readFileSync(path.join(SHARED_AUDIO, 'two-speakers.rttm'), 'utf8'));
if (!reference.ok) throw new Error(reference.error.message);
const shortStarted = performance.now();
const short = await diarizeChunks(samplesOf(twoSpeakers), models);
const shortSeconds = (performance.now() - shortStarted) / 1000;
if (!short.ok) throw new Error(short.error.message);
const score = scoreDiarization(reference.value, short.value.turns);
if (!score.ok) throw new Error(score.error.message);
console.log(`two-speakers.wav: ${short.value.speakerCount} speakers, DER ${(100 * score.value.der).toFixed(1)} % (missed ${score.value.missed.toFixed(2)} s, false alarm ${score.value.falseAlarm.toFixed(2)} s, confusion ${score.value.confusion.toFixed(2)} s), ${(short.value.durationSeconds / shortSeconds).toFixed(0)}× real time`);

const rssBeforeLong = process.memoryUsage().rss;
peakRss = rssBeforeLong;
const loops = Math.max(0, Math.round((hours * 3600) / 30) - 1);
const longStarted = performance.now();
const long = await diarizeChunks(samplesOf(twoSpeakers, loops), models);
const longSeconds = (performance.now() - longStarted) / 1000;
if (!long.ok) throw new Error(long.error.message);
clearInterval(sampler);
console.log(`${(long.value.durationSeconds / 3600).toFixed(2)} h: ${long.value.speakerCount} speakers, ${long.value.windowCount} windows, ${long.value.embeddingCount} embeddings in ${longSeconds.toFixed(1)} s (${(long.value.durationSeconds / longSeconds).toFixed(0)}× real time), RSS ${mb(rssBeforeLong)} → peak ${mb(peakRss)} MB`);
await Promise.all([models.segmenter.dispose(), models.embedder.dispose()]);

console.log(
  JSON.stringify({
    models: real ? 'real' : 'generated',
    execution: segmentation.value.execution.active,
    twoSpeakers: { der: Number(score.value.der.toFixed(4)), missed: Number(score.value.missed.toFixed(2)), falseAlarm: Number(score.value.falseAlarm.toFixed(2)), confusion: Number(score.value.confusion.toFixed(2)), speakers: short.value.speakerCount, realTimeFactor: Number((short.value.durationSeconds / shortSeconds).toFixed(1)) },
    long: { hours: Number((long.value.durationSeconds / 3600).toFixed(2)), seconds: Number(longSeconds.toFixed(1)), realTimeFactor: Number((long.value.durationSeconds / longSeconds).toFixed(1)), windows: long.value.windowCount, embeddings: long.value.embeddingCount, speakers: long.value.speakerCount, rssBeforeMB: mb(rssBeforeLong), peakRssMB: mb(peakRss), growthMB: mb(peakRss - rssBeforeLong) },
  }),
);
