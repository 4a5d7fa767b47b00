/**
 * One offline transcription as its own process, for bench:offline: loads the model, transcribes one file, and
 * prints one JSON line with the whole process's CPU seconds and peak RSS (load included) and where the time went.
 * `node --import tsx tests/bench/offline-run.ts <file> --model-dir <dir> [--beam-size 5] [--language xx] [--threads n]`
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { processCpuMs } from '../../src-main/asr/session-timing';
import { loadWhisperRecognizer } from '../../src-main/asr/whisper-recognizer';
import { FfmpegAudioDecoder } from '../../src-main/audio/decoder';
import { availableDtypes } from '../../src-main/models/model-store';
import { createSpeechFinder } from '../../src-main/pipeline/find-speech';
import { transcribeFile, type WindowReport } from '../../src-main/pipeline/transcribe-file';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'model-dir': { type: 'string' },
    'beam-size': { type: 'string', default: '5' },
    language: { type: 'string' },
    threads: { type: 'string' },
    dtype: { type: 'string' },
  },
});
const file = positionals[0];
const modelDir = values['model-dir'];
if (!file || !modelDir) throw new Error('usage: offline-run.ts <file> --model-dir <dir>');

const started = performance.now();
const decoder = FfmpegAudioDecoder.create();
if (!decoder.ok) throw new Error(decoder.error.message);
const dtype = (values.dtype as 'q8' | 'fp32' | undefined) ?? (await availableDtypes(modelDir))[0];
if (!dtype) throw new Error(`${modelDir} holds no usable model`);
const loaded = await loadWhisperRecognizer({
  modelId: path.basename(modelDir),
  modelDir,
  dtype,
  execution: 'cpu',
  threads: values.threads ? Number(values.threads) : undefined,
});
if (!loaded.ok) throw new Error(loaded.error.message);
const recognizer = loaded.value;
const loadMs = performance.now() - started;
const loadCpuMs = processCpuMs();
const speech = createSpeechFinder(decoder.value);
const probe = await decoder.value.probe(file);
if (!probe.ok) throw new Error(probe.error.message);

let vadMs = 0;
let vadCpuMs = 0;
const windows: WindowReport[] = [];
const transcribeStarted = performance.now();
const transcribeCpuStarted = processCpuMs();
const result = await transcribeFile(
  probe.value,
  {
    decoder: decoder.value,
    recognizer,
    findSpeech: async (...args) => {
      const vadStarted = performance.now();
      const vadCpuStarted = processCpuMs();
      const spans = await speech.findSpeech(...args);
      vadMs = performance.now() - vadStarted;
      vadCpuMs = processCpuMs() - vadCpuStarted;
      return spans;
    },
  },
  {
    language: values.language ?? null,
    task: 'transcribe',
    decoding: { beamSize: Number(values['beam-size']) },
    onWindow: (window) => windows.push(window),
  },
);
const transcribeMs = performance.now() - transcribeStarted;
const transcribeCpuMs = processCpuMs() - transcribeCpuStarted;
if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
const timings = recognizer.timings();
await recognizer.dispose();
await speech.dispose();

const ms = (name: string): number => Math.round(timings[name]?.totalMs ?? 0);
const stages = {
  vadPass: Math.round(vadMs),
  features: ms('features'),
  encoder: ms('encoder'),
  decoder: ms('decoder'),
  search: ms('search'),
  alignment: ms('alignment'),
};
const accounted = Object.values(stages).reduce((sum, value) => sum + value, 0);
const cpuMs = (name: string): number => Math.round(timings[name]?.cpuMs ?? 0);
const stagesCpu = {
  load: Math.round(loadCpuMs),
  vadPass: Math.round(vadCpuMs),
  features: cpuMs('features'),
  encoder: cpuMs('encoder'),
  decoder: cpuMs('decoder'),
  search: cpuMs('search'),
  alignment: cpuMs('alignment'),
};
const cpuAccounted = Object.values(stagesCpu).reduce((sum, value) => sum + value, 0) - stagesCpu.load;
const cpu = process.cpuUsage();
console.log(
  JSON.stringify({
    cpuSeconds: Math.round((cpu.user + cpu.system) / 10_000) / 100,
    wallSeconds: Math.round((performance.now() - started) / 10) / 100,
    loadMs: Math.round(loadMs),
    transcribeMs: Math.round(transcribeMs),
    /** Milliseconds of wall time; `other` is the streamed decode, the timeline and the glue around them. */
    stagesMs: { ...stages, other: Math.max(0, Math.round(transcribeMs) - accounted) },
    /** The process's CPU milliseconds in each stage (onnxruntime's threads included); `load`: the process's start and the model's load. */
    stagesCpuMs: { ...stagesCpu, other: Math.max(0, Math.round(transcribeCpuMs) - cpuAccounted) },
    encoderRuns: timings.encoder?.runs ?? 0,
    decoderRuns: timings.decoder?.runs ?? 0,
    windows: windows.length,
    fellBack: windows.filter((window) => (window.quality?.attempts ?? 1) > 1).length,
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    language: result.value.language,
    segments: result.value.segments.length,
    text: result.value.segments.map((segment) => segment.text).join(' '),
  }),
);
