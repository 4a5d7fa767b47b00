/**
 * `npm run bench:offline [-- --model-dir <dir>] [--minutes 10] [--modes greedy,beam5] [--threads 2] [--skip-peer]`
 *
 * This engine and faster-whisper (same weights: the CTranslate2 folder tools/peers/setup.sh rebuilds, int8,
 * VAD on) on one ≥ 10-minute file of real English speech (the shared clips with known text, shuffled, with
 * pauses), each as a whole process of its own (model load included): CPU seconds, wall seconds, peak RSS, word
 * error rate, and for this engine where the wall time went. The last line is one JSON object.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { FfmpegAudioDecoder } from '../../src-main/audio/decoder';
import { ENGINE_CHILD_EXEC_ARGV, engineChildEnv } from '../../src-main/jobs/transcriber-process/engine-child-process';
import { anyRealWhisper, REPO_ROOT, SHARED_AUDIO } from '../support/paths';
import { wordErrorRate } from '../support/wer';

const { values } = parseArgs({
  options: {
    'model-dir': { type: 'string' },
    minutes: { type: 'string', default: '10' },
    modes: { type: 'string', default: 'greedy,beam5' },
    threads: { type: 'string', default: '2' },
    'skip-peer': { type: 'boolean', default: false },
  },
});
const modelDir = path.resolve(values['model-dir'] ?? anyRealWhisper()?.dir ?? '');
if (!values['model-dir'] && !anyRealWhisper())
  throw new Error('bench:offline needs real weights: --model-dir ../shared/models/whisper-base');
const modelId = path.basename(modelDir);
const modes = (values.modes ?? '')
  .split(',')
  .map((mode) => ({ name: mode, beamSize: mode === 'greedy' ? 1 : Number(mode.replace('beam', '')) }));

const decoder = FfmpegAudioDecoder.create();
if (!decoder.ok) throw new Error(decoder.error.message);
const ffmpegPath = decoder.value.binaries.ffmpeg.path;

/** English clips with their references (dev/ English, jfk, each stereo channel). */
function englishClips(): { file: string; reference: string; pan?: string }[] {
  const rows = readFileSync(path.join(SHARED_AUDIO, 'dev/references.tsv'), 'utf8').trim().split('\n').slice(1);
  const clips = rows
    .map((row) => row.split('\t'))
    .filter((columns) => columns[1] === 'en')
    .map((columns) => ({ file: path.join(SHARED_AUDIO, 'dev', columns[0] as string), reference: columns[2] as string }));
  clips.push({
    file: path.join(SHARED_AUDIO, 'jfk.wav'),
    reference: 'And so my fellow Americans, ask not what your country can do for you, ask what you can do for your country.',
  });
  return clips;
}

/** A seeded shuffle of the clips, repeated until `minutes`, 1–3 s of silence after each; the reference in order. */
function buildLongFile(dir: string, minutes: number): { file: string; reference: string; seconds: number } {
  let seed = 20261203;
  const random = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const clips = englishClips();
  const durations = clips.map((clip) =>
    Number(execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', clip.file]).toString().trim()),
  );
  const order: number[] = [];
  let total = 0;
  while (total < minutes * 60) {
    const round = clips.map((_, index) => index).sort(() => random() - 0.5);
    for (const index of round) {
      order.push(index);
      total += (durations[index] as number) + 2;
    }
  }
  const listFile = path.join(dir, 'list.txt');
  const parts: string[] = [];
  order.forEach((index, position) => {
    const part = path.join(dir, `part-${position}.wav`);
    // The bundled ffmpeg 4.1's apad takes samples (pad_len), not seconds.
    const pauseSamples = Math.round((1 + 2 * random()) * 16_000);
    execFileSync(ffmpegPath, [
      '-nostdin',
      '-loglevel',
      'error',
      '-y',
      '-i',
      (clips[index] as { file: string }).file,
      '-af',
      `aformat=sample_rates=16000:channel_layouts=mono,apad=pad_len=${pauseSamples}`,
      '-ar',
      '16000',
      '-ac',
      '1',
      part,
    ]);
    parts.push(`file '${part}'`);
  });
  writeFileSync(listFile, `${parts.join('\n')}\n`);
  const file = path.join(dir, `english-${minutes}min.wav`);
  execFileSync(ffmpegPath, ['-nostdin', '-loglevel', 'error', '-y', '-f', 'concat', '-safe', '0', '-i', listFile, '-c', 'copy', file]);
  const seconds = Number(
    execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file]).toString().trim(),
  );
  return { file, reference: order.map((index) => (clips[index] as { reference: string }).reference).join(' '), seconds };
}

function peers(): { python: string; ct2: string } {
  const lines = execFileSync(path.join(REPO_ROOT, 'tools/peers/setup.sh'), { encoding: 'utf8' }).trim().split('\n');
  const value = (key: string): string => (lines.find((line) => line.startsWith(`${key}=`)) ?? '').slice(key.length + 1);
  return { python: value('python'), ct2: value('ct2') };
}

interface Usage {
  cpuSeconds: number;
  wallSeconds: number;
  peakRssMB: number;
}

/** Runs a command under tools/peers/rusage.py: its stdout, and the kernel's account of its CPU and memory. */
function runMeasured(python: string, command: string[], env?: NodeJS.ProcessEnv): { stdout: string; usage: Usage } {
  const rusage = path.join(REPO_ROOT, 'tools/peers/rusage.py');
  const run = spawnSync(python, [rusage, ...command], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, cwd: REPO_ROOT, env });
  const lastLine = run.stderr.trim().split('\n').at(-1) ?? '{}';
  if (run.status !== 0) throw new Error(`${command.join(' ')} failed:\n${run.stderr.slice(-2000)}`);
  return { stdout: run.stdout, usage: JSON.parse(lastLine) as Usage };
}

const round = (value: number, digits = 2): number => Number(value.toFixed(digits));

const workDir = mkdtempSync(path.join(tmpdir(), 'verbatim-offline-'));
try {
  const { python, ct2 } = peers();
  const long = buildLongFile(workDir, Number(values.minutes));
  console.log(
    `${path.basename(long.file)}: ${(long.seconds / 60).toFixed(1)} min of English speech with pauses, ${long.reference.split(/\s+/).length} reference words`,
  );
  const results: Record<string, unknown> = {};
  for (const mode of modes) {
    const ours = runMeasured(
      python,
      [
        process.execPath,
        // The flags and the environment the app's engine child transcribes with.
        ...ENGINE_CHILD_EXEC_ARGV,
        '--import',
        'tsx',
        path.join(REPO_ROOT, 'tests/bench/offline-run.ts'),
        long.file,
        '--model-dir',
        modelDir,
        '--beam-size',
        String(mode.beamSize),
        '--threads',
        String(values.threads),
      ],
      engineChildEnv(),
    );
    const report = JSON.parse(ours.stdout.trim().split('\n').at(-1) ?? '{}') as {
      text: string;
      stagesMs: Record<string, number>;
      windows: number;
      fellBack: number;
      encoderRuns: number;
      decoderRuns: number;
    };
    const oursWer = round(wordErrorRate(long.reference, report.text), 4);
    const entry: Record<string, unknown> = {
      ours: {
        ...ours.usage,
        wer: oursWer,
        stagesMs: report.stagesMs,
        windows: report.windows,
        fellBack: report.fellBack,
        encoderRuns: report.encoderRuns,
        decoderRuns: report.decoderRuns,
      },
    };
    console.log(
      `${mode.name} ours: ${ours.usage.cpuSeconds} CPU s, ${ours.usage.wallSeconds} s wall, peak ${ours.usage.peakRssMB} MB, WER ${oursWer}; ${report.windows} windows, ${report.encoderRuns} encoder runs; stages ${JSON.stringify(report.stagesMs)}`,
    );
    if (!values['skip-peer']) {
      const peer = runMeasured(python, [
        python,
        path.join(REPO_ROOT, 'tools/peers/faster_whisper_transcribe.py'),
        long.file,
        '--model',
        path.join(ct2, modelId),
        '--beam-size',
        String(mode.beamSize),
        '--threads',
        String(values.threads),
      ]);
      const peerText = (JSON.parse(peer.stdout) as { segments: { text: string }[] }).segments.map((segment) => segment.text).join(' ');
      const peerWer = round(wordErrorRate(long.reference, peerText), 4);
      entry.fasterWhisper = { ...peer.usage, wer: peerWer };
      entry.cpuRatio = round(ours.usage.cpuSeconds / peer.usage.cpuSeconds, 3);
      console.log(
        `${mode.name} faster-whisper: ${peer.usage.cpuSeconds} CPU s, ${peer.usage.wallSeconds} s wall, peak ${peer.usage.peakRssMB} MB, WER ${peerWer}; CPU ratio ours/theirs ${String(entry.cpuRatio)}`,
      );
    }
    results[mode.name] = entry;
  }
  console.log(
    JSON.stringify({ bench: 'offline', model: modelId, audioSeconds: round(long.seconds, 1), threads: Number(values.threads), ...results }),
  );
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
