/**
 * `npm run bench:offline [-- --model-dir <dir>] [--minutes 10]`: real-time factor, wall time per stage
 * (decode, VAD, encoder, decoder) and peak RSS on jfk.wav and on a long file built from the shared clips;
 * WER against the references when the model has real weights. The last line is one JSON object.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadWhisperRecognizer } from '../../src-main/asr/whisper-recognizer';
import { FfmpegAudioDecoder } from '../../src-main/audio/decoder';
import { availableDtypes } from '../../src-main/models/model-store';
import { createSpeechFinder } from '../../src-main/pipeline/find-speech';
import { transcribeFile } from '../../src-main/pipeline/transcribe-file';
import { anyRealWhisper, SHARED_AUDIO, TINY_MULTILINGUAL } from '../support/paths';
import { wordErrorRate } from '../support/wer';
import { ensureTinyModels } from '../setup/generate-models';

const JFK_REFERENCE = 'And so my fellow Americans, ask not what your country can do for you, ask what you can do for your country.';

const { values } = parseArgs({ options: { 'model-dir': { type: 'string' }, minutes: { type: 'string', default: '10' } } });
const real = anyRealWhisper();
let modelDir = values['model-dir'] ?? real?.dir;
if (!modelDir) {
  ensureTinyModels();
  modelDir = TINY_MULTILINGUAL;
}
// Generated models name themselves "verbatim/…" in config.json; WER is meaningful only for real weights.
const config = JSON.parse(readFileSync(path.join(modelDir, 'config.json'), 'utf8')) as { _name_or_path?: string };
const hasRealWeights = !(config._name_or_path ?? '').startsWith('verbatim/');
const modelId = path.basename(modelDir);

const decoderResult = FfmpegAudioDecoder.create();
if (!decoderResult.ok) throw new Error(decoderResult.error.message);
const decoder = decoderResult.value;
const dtype = (await availableDtypes(modelDir))[0];
if (!dtype) throw new Error(`${modelDir} holds no usable model`);
const loadStarted = performance.now();
const loaded = await loadWhisperRecognizer({ modelId, modelDir, dtype, execution: 'auto' });
if (!loaded.ok) throw new Error(loaded.error.message);
const recognizer = loaded.value;
const loadMs = performance.now() - loadStarted;
const speechFinder = createSpeechFinder(decoder);

/** Builds a long meeting-like file from the shared clips (speech, pauses, two speakers, languages). */
function buildLongFile(dir: string, minutes: number): string {
  const clips = ['jfk.wav', 'two-speakers.wav', 'stereo-two-speakers.wav', 'multilingual.mp3', 'french.mp3'].map((name) => path.join(SHARED_AUDIO, name));
  const inputs = clips.flatMap((clip) => ['-i', clip]);
  // Each clip as 16 kHz mono followed by 1.5 s of silence (ffmpeg 4.1 has apad's pad_len, not pad_dur).
  const parts = clips.map((_, index) => `[${index}:a]aformat=sample_rates=16000:channel_layouts=mono,apad=pad_len=24000[a${index}]`).join(';');
  const joined = clips.map((_, index) => `[a${index}]`).join('');
  const round = path.join(dir, 'round.wav');
  const out = path.join(dir, `meeting-${minutes}min.wav`);
  const quiet = ['-nostdin', '-hide_banner', '-loglevel', 'error', '-y'];
  execFileSync(decoder.binaries.ffmpeg.path, [...quiet, ...inputs, '-filter_complex', `${parts};${joined}concat=n=${clips.length}:v=0:a=1`, '-ac', '1', '-ar', '16000', round]);
  execFileSync(decoder.binaries.ffmpeg.path, [...quiet, '-stream_loop', '-1', '-i', round, '-t', String(minutes * 60), '-c', 'copy', out]);
  return out;
}

async function decodeOnlyMs(file: string): Promise<number> {
  const started = performance.now();
  for await (const item of decoder.decode(file)) if (!item.ok) throw new Error(item.error.message);
  return performance.now() - started;
}

interface FileFigures {
  file: string;
  audioSeconds: number;
  wallSeconds: number;
  realTimeFactor: number;
  /** `other` is mel features, tokenizer and glue: wall time minus both decodes, VAD, encoder and decoder. */
  stagesMs: { decode: number; vad: number; encoder: number; decoder: number; other: number };
  segments: number;
  wer?: number;
}

async function measure(file: string, reference?: string): Promise<FileFigures> {
  const probe = await decoder.probe(file);
  if (!probe.ok) throw new Error(probe.error.message);
  const decodeMs = await decodeOnlyMs(file);
  const before = recognizer.timings();
  let vadPassMs = 0;
  const started = performance.now();
  const result = await transcribeFile(
    probe.value,
    {
      decoder,
      recognizer,
      findSpeech: async (...args) => {
        const vadStarted = performance.now();
        const spans = await speechFinder.findSpeech(...args);
        vadPassMs = performance.now() - vadStarted;
        return spans;
      },
    },
    { language: 'en', task: 'transcribe' },
  );
  const wallMs = performance.now() - started;
  if (!result.ok) throw new Error(result.error.message);
  const after = recognizer.timings();
  const sessionMs = (name: string): number => (after[name]?.totalMs ?? 0) - (before[name]?.totalMs ?? 0);
  const audioSeconds = result.value.duration;
  const figures: FileFigures = {
    file: path.basename(file),
    audioSeconds: round(audioSeconds),
    wallSeconds: round(wallMs / 1000),
    realTimeFactor: round(wallMs / 1000 / audioSeconds, 4),
    // The VAD pass decodes too; its own share is the pass minus a decode-only pass.
    stagesMs: {
      decode: round(decodeMs),
      vad: round(Math.max(0, vadPassMs - decodeMs)),
      encoder: round(sessionMs('model')),
      decoder: round(sessionMs('decoder_model_merged')),
      other: round(Math.max(0, wallMs - vadPassMs - decodeMs - sessionMs('model') - sessionMs('decoder_model_merged'))),
    },
    segments: result.value.segments.length,
  };
  const text = result.value.segments.map((segment) => segment.text).join(' ');
  if (reference && hasRealWeights) figures.wer = round(wordErrorRate(reference, text), 4);
  console.log(`${figures.file}: ${audioSeconds.toFixed(1)} s audio in ${figures.wallSeconds} s (RTF ${figures.realTimeFactor}); ${JSON.stringify(figures.stagesMs)}`);
  if (hasRealWeights) console.log(`  text: ${text.slice(0, 300)}`);
  return figures;
}

function round(value: number, digits = 1): number {
  return Number(value.toFixed(digits));
}

const workDir = mkdtempSync(path.join(tmpdir(), 'verbatim-bench-'));
try {
  const jfk = await measure(path.join(SHARED_AUDIO, 'jfk.wav'), JFK_REFERENCE);
  const long = await measure(buildLongFile(workDir, Number(values.minutes)));
  await recognizer.dispose();
  await speechFinder.dispose();
  const figures = {
    bench: 'offline',
    model: modelId,
    realWeights: hasRealWeights,
    dtype,
    device: recognizer.execution.active,
    modelLoadMs: round(loadMs),
    jfk,
    long,
    peakRssMB: round(process.resourceUsage().maxRSS / 1024),
  };
  console.log(JSON.stringify(figures));
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
