/**
 * `npm run bench:offline [-- --model-dir <dir>] [--minutes 10] [--modes greedy,beam5] [--threads 2] [--rounds 1] [--skip-peer] [--peer-defaults]`
 *
 * This engine and faster-whisper (same weights: the CTranslate2 folder tools/peers/setup.sh rebuilds, int8,
 * VAD on) on one ≥ 10-minute file of real English speech (the shared clips with known text, shuffled, with
 * pauses), each as a whole process of its own (model load included): CPU seconds, wall seconds, peak RSS, word
 * error rate, and for this engine where the wall time went. faster-whisper runs with word timestamps, the
 * transcript this engine delivers (segments with word times); `--peer-defaults` also runs it as its defaults
 * have it (no word times), for the ratio to that. `--rounds N` runs them N times, alternating,
 * and reports the median of the rounds' CPU ratios (this shared machine's speed drifts by ± 20 % within
 * minutes, both engines alike, so a pair run back to back is compared, not two single runs) and the highest
 * peak. The last line is one JSON object.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { FfmpegAudioDecoder } from '../../src-main/audio/decoder';
import { ENGINE_CHILD_EXEC_ARGV, engineChildEnv } from '../../src-main/util/engine-child/engine-child-process';
import { anyRealWhisper, REPO_ROOT, SHARED_AUDIO } from '../support/paths';
import { wordErrorRate } from '../support/wer';

const { values } = parseArgs({
  options: {
    'model-dir': { type: 'string' },
    minutes: { type: 'string', default: '10' },
    modes: { type: 'string', default: 'greedy,beam5' },
    threads: { type: 'string', default: '2' },
    rounds: { type: 'string', default: '1' },
    'skip-peer': { type: 'boolean', default: false },
    'peer-defaults': { type: 'boolean', default: false },
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

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};
const rounds = Math.max(1, Math.floor(Number(values.rounds)) || 1);

interface OursRun {
  usage: Usage;
  wer: number;
  report: {
    text: string;
    stagesMs: Record<string, number>;
    stagesCpuMs: Record<string, number>;
    windows: number;
    fellBack: number;
    encoderRuns: number;
    decoderRuns: number;
  };
}

function runOurs(python: string, file: string, reference: string, beamSize: number): OursRun {
  const ours = runMeasured(
    python,
    [
      process.execPath,
      // The flags and the environment the app's engine child transcribes with.
      ...ENGINE_CHILD_EXEC_ARGV,
      '--import',
      'tsx',
      path.join(REPO_ROOT, 'tests/bench/offline-run.ts'),
      file,
      '--model-dir',
      modelDir,
      '--beam-size',
      String(beamSize),
      '--threads',
      String(values.threads),
    ],
    engineChildEnv(),
  );
  const report = JSON.parse(ours.stdout.trim().split('\n').at(-1) ?? '{}') as OursRun['report'];
  return { usage: ours.usage, wer: round(wordErrorRate(reference, report.text), 4), report };
}

function runPeer(
  python: string,
  ct2: string,
  file: string,
  reference: string,
  beamSize: number,
  wordTimestamps: boolean,
): { usage: Usage; wer: number } {
  const peer = runMeasured(python, [
    python,
    path.join(REPO_ROOT, 'tools/peers/faster_whisper_transcribe.py'),
    file,
    '--model',
    path.join(ct2, modelId),
    '--beam-size',
    String(beamSize),
    '--threads',
    String(values.threads),
    ...(wordTimestamps ? ['--word-timestamps'] : []),
  ]);
  const peerText = (JSON.parse(peer.stdout) as { segments: { text: string }[] }).segments.map((segment) => segment.text).join(' ');
  return { usage: peer.usage, wer: round(wordErrorRate(reference, peerText), 4) };
}

/** Every round's usage, with the median CPU time and the highest peak (the figures the goals are about). */
function summarizeRounds(usages: readonly Usage[]): Record<string, unknown> {
  return {
    cpuSecondsMedian: round(median(usages.map((usage) => usage.cpuSeconds))),
    peakRssMBMax: Math.max(...usages.map((usage) => usage.peakRssMB)),
    rounds: usages,
  };
}

/** A peer's entry beside ours: its first run (and every round's), and the median of the rounds' CPU ratios. */
function comparedTo(
  peerRuns: readonly { usage: Usage; wer: number }[],
  ourRuns: readonly OursRun[],
): { entry: Record<string, unknown>; ratio: number; ratios: number[] } | null {
  const first = peerRuns[0];
  if (!first) return null;
  const ratios = peerRuns.map((peer, index) => round((ourRuns[index] as OursRun).usage.cpuSeconds / peer.usage.cpuSeconds, 3));
  const entry = { ...first.usage, wer: first.wer, ...(rounds > 1 ? summarizeRounds(peerRuns.map((run) => run.usage)) : {}) };
  return { entry, ratio: round(median(ratios), 3), ratios };
}

const workDir = mkdtempSync(path.join(tmpdir(), 'verbatim-offline-'));
try {
  const { python, ct2 } = peers();
  const long = buildLongFile(workDir, Number(values.minutes));
  console.log(
    `${path.basename(long.file)}: ${(long.seconds / 60).toFixed(1)} min of English speech with pauses, ${long.reference.split(/\s+/).length} reference words`,
  );
  const results: Record<string, unknown> = {};
  for (const mode of modes) {
    const ourRuns: OursRun[] = [];
    const peerRuns: { usage: Usage; wer: number }[] = [];
    const defaultRuns: { usage: Usage; wer: number }[] = [];
    for (let index = 0; index < rounds; index += 1) {
      const ours = runOurs(python, long.file, long.reference, mode.beamSize);
      ourRuns.push(ours);
      const { report } = ours;
      console.log(
        `${mode.name} ours: ${ours.usage.cpuSeconds} CPU s, ${ours.usage.wallSeconds} s wall, peak ${ours.usage.peakRssMB} MB, WER ${ours.wer}; ${report.windows} windows, ${report.encoderRuns} encoder runs; stages (wall ms) ${JSON.stringify(report.stagesMs)}, (CPU ms) ${JSON.stringify(report.stagesCpuMs)}`,
      );
      if (values['skip-peer']) continue;
      const peer = runPeer(python, ct2, long.file, long.reference, mode.beamSize, true);
      peerRuns.push(peer);
      console.log(
        `${mode.name} faster-whisper (word timestamps): ${peer.usage.cpuSeconds} CPU s, ${peer.usage.wallSeconds} s wall, peak ${peer.usage.peakRssMB} MB, WER ${peer.wer}; CPU ratio ours/theirs ${round(ours.usage.cpuSeconds / peer.usage.cpuSeconds, 3)}`,
      );
      if (!values['peer-defaults']) continue;
      const plain = runPeer(python, ct2, long.file, long.reference, mode.beamSize, false);
      defaultRuns.push(plain);
      console.log(
        `${mode.name} faster-whisper (its defaults, no word times): ${plain.usage.cpuSeconds} CPU s, ${plain.usage.wallSeconds} s wall, peak ${plain.usage.peakRssMB} MB, WER ${plain.wer}; CPU ratio ours/theirs ${round(ours.usage.cpuSeconds / plain.usage.cpuSeconds, 3)}`,
      );
    }
    const first = ourRuns[0] as OursRun;
    const entry: Record<string, unknown> = {
      ours: {
        ...first.usage,
        wer: first.wer,
        stagesMs: first.report.stagesMs,
        stagesCpuMs: first.report.stagesCpuMs,
        windows: first.report.windows,
        fellBack: first.report.fellBack,
        encoderRuns: first.report.encoderRuns,
        decoderRuns: first.report.decoderRuns,
        ...(rounds > 1 ? summarizeRounds(ourRuns.map((run) => run.usage)) : {}),
      },
    };
    const peer = comparedTo(peerRuns, ourRuns);
    if (peer) {
      entry.fasterWhisper = peer.entry;
      entry.cpuRatio = peer.ratio;
      if (rounds > 1) {
        entry.cpuRatioRounds = peer.ratios;
        console.log(`${mode.name}: CPU ratio ours/theirs, median of ${rounds} rounds ${peer.ratio} (${peer.ratios.join(', ')})`);
      }
    }
    const defaults = comparedTo(defaultRuns, ourRuns);
    if (defaults) {
      entry.fasterWhisperDefaults = defaults.entry;
      entry.cpuRatioToDefaults = defaults.ratio;
      if (rounds > 1) entry.cpuRatioToDefaultsRounds = defaults.ratios;
    }
    results[mode.name] = entry;
  }
  console.log(
    JSON.stringify({
      bench: 'offline',
      model: modelId,
      audioSeconds: round(long.seconds, 1),
      threads: Number(values.threads),
      rounds,
      ...results,
    }),
  );
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
