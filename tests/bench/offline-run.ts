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

const modelStages = ['features', 'encoder', 'decoder', 'search', 'alignment'] as const;
/** The transcription's stages (the VAD pass first), in wall or CPU milliseconds; `other` is what is left of `total`. */
const stageBreakdown = (vad: number, field: 'totalMs' | 'cpuMs', total: number): Record<string, number> => {
  const stages: Record<string, number> = { vadPass: Math.round(vad) };
  for (const name of modelStages) stages[name] = Math.round(timings[name]?.[field] ?? 0);
  const accounted = Object.values(stages).reduce((sum, value) => sum + value, 0);
  return { ...stages, other: Math.max(0, Math.round(total) - accounted) };
};
console.log(
  JSON.stringify({
    cpuSeconds: Math.round(processCpuMs() / 10) / 100,
    wallSeconds: Math.round((performance.now() - started) / 10) / 100,
    loadMs: Math.round(loadMs),
    transcribeMs: Math.round(transcribeMs),
    /** Milliseconds of wall time; `other` is the streamed decode, the timeline and the glue around them. */
    stagesMs: stageBreakdown(vadMs, 'totalMs', transcribeMs),
    /** The process's CPU milliseconds in each stage (onnxruntime's threads included); `load`: the process's start and the model's load. */
    stagesCpuMs: { load: Math.round(loadCpuMs), ...stageBreakdown(vadCpuMs, 'cpuMs', transcribeCpuMs) },
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
