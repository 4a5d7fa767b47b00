// Loads a Whisper model folder (e.g. one written by gen_tiny_whisper.py) with the real transformers.js
// ASR pipeline and onnxruntime-node, offline, and runs it on jfk.wav with the decoding options our app uses.
// Usage: node tools/models/smoke-tiny-whisper.mjs <model-dir> [--dtype fp32|q8|int8|uint8|fp16] [--english-only]
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { env, pipeline } from '@huggingface/transformers';
import wavefile from 'wavefile';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const sharedAudio = process.env.VERBATIM_SHARED_AUDIO ?? path.resolve(repoRoot, '../shared/audio');

function parseArgs(argv) {
  const args = { modelDir: null, dtype: 'fp32', englishOnly: false, audio: path.join(sharedAudio, 'jfk.wav') };
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i] === '--dtype') args.dtype = argv[++i];
    else if (argv[i] === '--audio') args.audio = argv[++i];
    else if (argv[i] === '--english-only') args.englishOnly = true;
    else args.modelDir = path.resolve(argv[i]);
  }
  if (!args.modelDir) throw new Error('usage: smoke-tiny-whisper.mjs <model-dir> [--dtype d] [--english-only]');
  return args;
}

function readMono16k(file) {
  const wav = new wavefile.WaveFile(readFileSync(file));
  wav.toBitDepth('32f');
  wav.toSampleRate(16000);
  let samples = wav.getSamples();
  if (Array.isArray(samples)) samples = samples[0];
  return Float32Array.from(samples);
}

async function timed(label, fn) {
  const start = performance.now();
  const value = await fn();
  console.log(`${label}: ${(performance.now() - start).toFixed(0)} ms`);
  return value;
}

const args = parseArgs(process.argv.slice(2));
env.allowRemoteModels = false;
env.allowLocalModels = true;
env.localModelPath = path.dirname(args.modelDir);
const modelId = path.basename(args.modelDir);

const audio = readMono16k(args.audio);
console.log(`audio ${args.audio}: ${(audio.length / 16000).toFixed(2)} s`);

const asr = await timed('load', () =>
  pipeline('automatic-speech-recognition', modelId, { local_files_only: true, dtype: args.dtype, device: 'cpu' }),
);

const multilingual = args.englishOnly
  ? []
  : [
      ['en transcribe, segment timestamps', { language: 'en', task: 'transcribe', return_timestamps: true }],
      ['language null (auto)', { language: null, return_timestamps: true }],
      ['fr translate', { language: 'french', task: 'translate', return_timestamps: true }],
      ['en, word timestamps', { language: 'en', return_timestamps: 'word' }],
    ];
const cases = [
  ['no options', {}],
  ['segment timestamps', { return_timestamps: true }],
  ['word timestamps', { return_timestamps: 'word' }],
  ['chunked 5 s / stride 1 s', { chunk_length_s: 5, stride_length_s: 1, return_timestamps: true }],
  ...multilingual,
];
for (const [label, options] of cases) {
  const output = await timed(`call ${label}`, () => asr(audio, options));
  const chunks = output.chunks ?? [];
  console.log(`  text (${output.text.length} chars): ${JSON.stringify(output.text.slice(0, 100))}`);
  const shown = chunks.slice(0, 3).map((c) => `${JSON.stringify(c.timestamp)} ${JSON.stringify(c.text.slice(0, 40))}`);
  console.log(`  chunks: ${chunks.length}${shown.length ? ` e.g. ${shown.join(' | ')}` : ''}`);
}

const tokenizer = asr.tokenizer;
const sentence = ' And so my fellow Americans, ask not what your country can do for you.';
console.log('encode', JSON.stringify(sentence), JSON.stringify(tokenizer.encode(sentence, { add_special_tokens: false })));

await timed('dispose', () => asr.dispose());
