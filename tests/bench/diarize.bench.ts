/**
 * `npm run bench:diarize [-- --minutes 10 --hours 2 --no-peer --no-vad --no-worker --threads N]`: who spoke when, ours beside
 * sherpa-onnx on the same two ONNX files (../shared/models: pyannote segmentation-3.0 and 3D-Speaker CAM++). The models load
 * as in the app (embedding model in a worker thread; `--no-worker` keeps it on the main thread, `--threads` sets the intra-op
 * threads per model, default half the cores).
 *
 * 1. Accuracy: DER on two-speakers.wav and the ami-dev excerpts, collar 0 with overlap scored (as pyannote
 *    reports it) and collar 0.25 s, with missed / false alarm / confusion and the speaker count.
 * 2. Speed: a meeting of `--minutes` (the clips above looped), diarized by both: wall time, CPU seconds of
 *    the whole process (all threads) per audio second, × real time, and ours' busiest thread with the load
 *    average. The machine may be shared: CPU seconds are the figure to re-check on a quiet one.
 * 3. Memory: ours on a `--hours` file streamed from ffmpeg (two-speakers.wav looped), peak RSS.
 *
 * The peer runs from the Python venv tools/peers/setup.sh makes (sherpa_diarize.py adds sherpa-onnx's
 * metadata keys to copies of the two files). Without real models the generated stand-ins run (their DER
 * says nothing about real accuracy) and the peer is skipped. Last line: one JSON object.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { FfmpegAudioDecoder } from '../../src-main/audio/decoder';
import { scoreDiarization, type DiarizationScore } from '../../src-main/diarization/der';
import { embeddingProfile } from '../../src-main/diarization/diarization-models';
import { diarizeChunks, diarizeSamples, type DiarizationModels } from '../../src-main/diarization/diarize-audio';
import { loadOnnxEmbedder } from '../../src-main/diarization/embedding-model';
import { parseRttm } from '../../src-main/diarization/rttm';
import { defaultDiarizationThreads, loadDiarizationModels } from '../../src-main/diarization/file-diarizer';
import type { SpeakerTurn } from '../../src-main/diarization/types';
import { ensureTinyDiarizationModels } from '../setup/generate-models';
import { REAL_EMBEDDING_MODEL, REAL_SEGMENTATION_MODEL, REPO_ROOT, SHARED_AUDIO, TINY_DIARIZATION } from '../support/paths';

const { values } = parseArgs({
  options: {
    hours: { type: 'string', default: '2' },
    minutes: { type: 'string', default: '10' },
    'no-peer': { type: 'boolean', default: false },
    'no-vad': { type: 'boolean', default: false },
    'no-worker': { type: 'boolean', default: false },
    threads: { type: 'string' },
  },
});
const hours = Number(values.hours);
const minutes = Number(values.minutes);
const real = existsSync(REAL_SEGMENTATION_MODEL) && existsSync(REAL_EMBEDDING_MODEL);
if (!real) ensureTinyDiarizationModels();
const segmentationPath = real ? REAL_SEGMENTATION_MODEL : path.join(TINY_DIARIZATION, 'pyannote-segmentation-3.0/onnx/model.onnx');
const embeddingPath = real ? REAL_EMBEDDING_MODEL : path.join(TINY_DIARIZATION, 'campplus-3dspeaker-zh_en-common/onnx/model.onnx');
const profile = embeddingProfile('campplus-3dspeaker-zh_en-common');

const decoderResult = FfmpegAudioDecoder.create();
if (!decoderResult.ok) throw new Error(decoderResult.error.message);
const decoder = decoderResult.value;
// Loaded as the app loads them (embedding model in a worker thread, intra-op threads: half the cores per model).
const threads = values.threads === undefined ? defaultDiarizationThreads() : Number(values.threads);
const loaded = await loadDiarizationModels(
  { segmentation: segmentationPath, embedding: embeddingPath, embeddingProfile: profile },
  { device: 'cpu', threads },
);
if (!loaded.ok) throw new Error(loaded.error.message);
let embedder = loaded.value.embedder;
if (values['no-worker']) {
  // The embedding model on the main thread instead: what the worker buys.
  await embedder.dispose();
  const inThread = await loadOnnxEmbedder({ modelPath: embeddingPath, execution: 'cpu', threads, frontEnd: profile.frontEnd });
  if (!inThread.ok) throw new Error(inThread.error.message);
  embedder = inThread.value.embedder;
}
if (values['no-vad']) await loaded.value.vad?.dispose();
const models: DiarizationModels = {
  segmenter: loaded.value.segmenter,
  embedder,
  ...(values['no-vad'] || !loaded.value.vad ? {} : { vad: loaded.value.vad }),
};
const options = { clusteringThreshold: profile.speakerThreshold };

/**
 * CPU seconds of each thread of this process (Linux /proc; empty elsewhere). The busiest thread's share of a run
 * bounds its wall time from below on an idle machine with a core per busy thread: the figure to compare with the
 * wall time measured on a shared one.
 */
function threadCpuSeconds(): Map<string, number> {
  const seconds = new Map<string, number>();
  try {
    for (const tid of readdirSync('/proc/self/task')) {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      seconds.set(tid, (Number(fields[11]) + Number(fields[12])) / 100);
    }
  } catch {
    // Not Linux: no per-thread figure.
  }
  return seconds;
}
function busiestThreadSeconds(before: Map<string, number>, after: Map<string, number>): number {
  let busiest = 0;
  for (const [tid, seconds] of after) busiest = Math.max(busiest, seconds - (before.get(tid) ?? 0));
  return busiest;
}

const round = (value: number, digits = 1): number => Number(value.toFixed(digits));
const cpuSeconds = (): number => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
};

async function decodeAll(file: string): Promise<Float32Array> {
  const parts: Float32Array[] = [];
  for await (const item of decoder.decode(file)) {
    if (!item.ok) throw new Error(item.error.message);
    parts.push(item.value.samples);
  }
  const audio = new Float32Array(parts.reduce((total, part) => total + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    audio.set(part, offset);
    offset += part.length;
  }
  return audio;
}

interface Clip {
  name: string;
  audio: Float32Array;
  reference: SpeakerTurn[];
  ami: boolean;
}

function reference(rttm: string, fileId?: string): SpeakerTurn[] {
  const parsed = parseRttm(readFileSync(rttm, 'utf8'), fileId);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}

const amiRttm = path.join(SHARED_AUDIO, 'ami-dev/debug.development.rttm');
const clips: Clip[] = [
  {
    name: 'two-speakers',
    audio: await decodeAll(path.join(SHARED_AUDIO, 'two-speakers.wav')),
    reference: reference(path.join(SHARED_AUDIO, 'two-speakers.rttm')),
    ami: false,
  },
  {
    name: 'ami-dev/dev00',
    audio: await decodeAll(path.join(SHARED_AUDIO, 'ami-dev/dev00.wav')),
    reference: reference(amiRttm, 'dev00'),
    ami: true,
  },
  {
    name: 'ami-dev/dev01',
    audio: await decodeAll(path.join(SHARED_AUDIO, 'ami-dev/dev01.wav')),
    reference: reference(amiRttm, 'dev01'),
    ami: true,
  },
];

interface ClipScore {
  speakers: number;
  referenceSpeakers: number;
  collar0: { der: number; missed: number; falseAlarm: number; confusion: number; speech: number };
  collar25: { der: number };
}

function scoreOf(clip: Clip, turns: SpeakerTurn[]): ClipScore {
  const strict = scoreDiarization(clip.reference, turns, { collar: 0 });
  const forgiving = scoreDiarization(clip.reference, turns, { collar: 0.25 });
  if (!strict.ok || !forgiving.ok) throw new Error('scoring failed');
  const s: DiarizationScore = strict.value;
  return {
    speakers: new Set(turns.map((turn) => turn.speaker)).size,
    referenceSpeakers: new Set(clip.reference.map((turn) => turn.speaker)).size,
    collar0: { der: s.der, missed: s.missed, falseAlarm: s.falseAlarm, confusion: s.confusion, speech: s.scoredSpeech },
    collar25: { der: forgiving.value.der },
  };
}

function pooled(scores: readonly ClipScore[]): number {
  const errors = scores.reduce((sum, s) => sum + s.collar0.missed + s.collar0.falseAlarm + s.collar0.confusion, 0);
  return errors / scores.reduce((sum, s) => sum + s.collar0.speech, 0);
}

function describe(who: string, clip: Clip, score: ClipScore): void {
  const { der, missed, falseAlarm, confusion, speech } = score.collar0;
  const pct = (seconds: number): string => ((100 * seconds) / speech).toFixed(1);
  console.log(
    `${who.padEnd(10)} ${clip.name.padEnd(14)} ${score.speakers}/${score.referenceSpeakers} speakers  DER ${(100 * der).toFixed(1).padStart(5)} % ` +
      `(missed ${pct(missed)} / false alarm ${pct(falseAlarm)} / confusion ${pct(confusion)} %)  collar 0.25: ${(100 * score.collar25.der).toFixed(1)} %`,
  );
}

// 1. Accuracy, ours.
const ours: Record<string, ClipScore> = {};
for (const clip of clips) {
  const result = await diarizeSamples(clip.audio, models, options);
  if (!result.ok) throw new Error(result.error.message);
  ours[clip.name] = scoreOf(clip, result.value.turns);
  describe('verbatim', clip, ours[clip.name]!);
}
const oursAmi = pooled(clips.filter((clip) => clip.ami).map((clip) => ours[clip.name]!));
console.log(`verbatim   ami-dev pooled DER ${(100 * oursAmi).toFixed(1)} % (collar 0)`);

// The meeting for the speed runs: the clips one after another, looped to `minutes`.
const meetingSamples = Math.round(minutes * 60 * 16_000);
const meeting = new Float32Array(meetingSamples);
for (let offset = 0, k = 0; offset < meetingSamples; k += 1) {
  const part = clips[k % clips.length]!.audio;
  meeting.set(part.subarray(0, Math.min(part.length, meetingSamples - offset)), offset);
  offset += part.length;
}

// 2. Speed, ours.
const loadBefore = loadavg()[0]!;
const threadsBefore = threadCpuSeconds();
const startedWall = performance.now();
const startedCpu = cpuSeconds();
const meetingRun = await diarizeSamples(meeting, models, options);
const oursWall = (performance.now() - startedWall) / 1000;
const oursCpu = cpuSeconds() - startedCpu;
const busiestThread = busiestThreadSeconds(threadsBefore, threadCpuSeconds());
const loadAfter = loadavg()[0]!;
if (!meetingRun.ok) throw new Error(meetingRun.error.message);
console.log(
  `verbatim   ${minutes}-minute meeting: ${oursWall.toFixed(1)} s wall (${(meeting.length / 16_000 / oursWall).toFixed(0)}× real time), ` +
    `${oursCpu.toFixed(1)} CPU s (${(oursCpu / (meeting.length / 16_000)).toFixed(4)} CPU s per audio second), busiest thread ${busiestThread.toFixed(1)} CPU s ` +
    `(${(meeting.length / 16_000 / busiestThread).toFixed(0)}× real time if nothing else ran), load average ${loadBefore.toFixed(1)} → ${loadAfter.toFixed(1)}, ` +
    `${meetingRun.value.windowCount} windows, ${meetingRun.value.embeddingCount} embeddings, ${meetingRun.value.speakerCount} speakers`,
);

// 1 + 2 for the peer.
interface PeerResult {
  durationSeconds: number;
  wallSeconds: number;
  cpuSeconds: number;
  turns: SpeakerTurn[];
}
let peer: { version: string; scores: Record<string, ClipScore>; ami: number; wall: number; cpu: number } | { skipped: string } = {
  skipped: 'no real models',
};
if (real && values['no-peer']) peer = { skipped: '--no-peer' };
else if (real) {
  const work = mkdtempSync(path.join(tmpdir(), 'verbatim-peer-'));
  try {
    const setup = execFileSync('bash', [path.join(REPO_ROOT, 'tools/peers/setup.sh')], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const python = /^python=(.*)$/m.exec(setup)?.[1];
    if (!python) throw new Error('tools/peers/setup.sh printed no python');
    const files = [...clips.map((clip) => ({ name: clip.name, audio: clip.audio })), { name: 'meeting', audio: meeting }].map(
      ({ name, audio }) => {
        const file = path.join(work, `${name.replace('/', '-')}.f32`);
        writeFileSync(file, Buffer.from(audio.buffer, audio.byteOffset, audio.byteLength));
        return file;
      },
    );
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn(
        python,
        [
          path.join(REPO_ROOT, 'tools/peers/sherpa_diarize.py'),
          '--segmentation',
          segmentationPath,
          '--embedding',
          embeddingPath,
          '--work',
          work,
          '--threads',
          '2',
          ...files,
        ],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      let text = '';
      child.stdout.on('data', (data: Buffer) => (text += data.toString('utf8')));
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve(text) : reject(new Error(`sherpa_diarize.py exited with ${code}`))));
    });
    const parsed = JSON.parse(output.trim().split('\n').at(-1)!) as { sherpaOnnx: string; results: PeerResult[] };
    const scores: Record<string, ClipScore> = {};
    clips.forEach((clip, index) => {
      scores[clip.name] = scoreOf(clip, parsed.results[index]!.turns);
      describe('sherpa', clip, scores[clip.name]!);
    });
    const ami = pooled(clips.filter((clip) => clip.ami).map((clip) => scores[clip.name]!));
    const run = parsed.results[clips.length]!;
    console.log(`sherpa     ami-dev pooled DER ${(100 * ami).toFixed(1)} % (collar 0)`);
    console.log(
      `sherpa     ${minutes}-minute meeting: ${run.wallSeconds.toFixed(1)} s wall (${(run.durationSeconds / run.wallSeconds).toFixed(0)}× real time), ${run.cpuSeconds.toFixed(1)} CPU s (${(run.cpuSeconds / run.durationSeconds).toFixed(4)} CPU s per audio second)`,
    );
    peer = { version: parsed.sherpaOnnx, scores, ami, wall: run.wallSeconds, cpu: run.cpuSeconds };
  } catch (error) {
    peer = { skipped: error instanceof Error ? error.message : String(error) };
    console.log(`sherpa-onnx skipped: ${(peer as { skipped: string }).skipped}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

// 3. Memory on a long file streamed from ffmpeg, ours only.
let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 100);
const mb = (bytes: number): number => Math.round(bytes / 1e5) / 10;
async function* looped(file: string, loops: number): AsyncGenerator<Float32Array> {
  const child = spawn(
    decoder.binaries.ffmpeg.path,
    ['-v', 'error', '-stream_loop', String(loops), '-i', file, '-f', 'f32le', '-ac', '1', '-ar', '16000', 'pipe:1'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let pending = Buffer.alloc(0);
  for await (const data of child.stdout as AsyncIterable<Buffer>) {
    pending = Buffer.concat([pending, data]);
    const whole = pending.length - (pending.length % 4);
    if (whole >= 64_000) {
      const bytes = pending.subarray(0, whole);
      yield new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
      pending = pending.subarray(whole);
    }
  }
  if (pending.length >= 4) {
    const bytes = pending.subarray(0, pending.length - (pending.length % 4));
    yield new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
  }
}
const rssBeforeLong = process.memoryUsage().rss;
peakRss = rssBeforeLong;
const longWall = performance.now();
const longCpu = cpuSeconds();
const long =
  hours > 0
    ? await diarizeChunks(
        looped(path.join(SHARED_AUDIO, 'two-speakers.wav'), Math.max(0, Math.round((hours * 3600) / 30) - 1)),
        models,
        options,
      )
    : null;
const longSeconds = (performance.now() - longWall) / 1000;
const longCpuSeconds = cpuSeconds() - longCpu;
clearInterval(sampler);
if (long && !long.ok) throw new Error(long.error.message);
if (long?.ok) {
  console.log(
    `verbatim   ${(long.value.durationSeconds / 3600).toFixed(2)} h streamed: ${long.value.speakerCount} speakers, ${long.value.embeddingCount} embeddings in ${longSeconds.toFixed(1)} s (${(long.value.durationSeconds / longSeconds).toFixed(0)}× real time, ${longCpuSeconds.toFixed(1)} CPU s), RSS ${mb(rssBeforeLong)} → peak ${mb(peakRss)} MB`,
  );
}
await Promise.all([models.segmenter.dispose(), models.embedder.dispose(), models.vad?.dispose()]);

const compact = (scores: Record<string, ClipScore>): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(scores).map(([name, s]) => [
      name,
      {
        der: round(100 * s.collar0.der),
        derCollar25: round(100 * s.collar25.der),
        missed: round((100 * s.collar0.missed) / s.collar0.speech),
        falseAlarm: round((100 * s.collar0.falseAlarm) / s.collar0.speech),
        confusion: round((100 * s.collar0.confusion) / s.collar0.speech),
        speakers: s.speakers,
        referenceSpeakers: s.referenceSpeakers,
      },
    ]),
  );
const meetingSeconds = meeting.length / 16_000;
console.log(
  JSON.stringify({
    models: real ? 'real (segmentation-3.0 + CAM++)' : 'generated stand-ins',
    voiceActivity: models.vad ? 'silero' : 'none',
    derUnit: 'percent',
    verbatim: {
      clips: compact(ours),
      amiPooledDer: round(100 * oursAmi),
      speed: {
        audioSeconds: meetingSeconds,
        wallSeconds: round(oursWall, 2),
        cpuSeconds: round(oursCpu, 2),
        cpuSecondsPerAudioSecond: round(oursCpu / meetingSeconds, 4),
        busiestThreadCpuSeconds: round(busiestThread, 2),
        realTimeFactor: round(meetingSeconds / oursWall),
        cpuRealTimeFactor: round(meetingSeconds / oursCpu),
        idleRealTimeFactorBound: round(meetingSeconds / busiestThread),
        threads,
        embeddingInWorker: !values['no-worker'],
        loadAverage: [round(loadBefore, 2), round(loadAfter, 2)],
      },
      long: long?.ok
        ? {
            hours: round(long.value.durationSeconds / 3600, 2),
            wallSeconds: round(longSeconds),
            cpuSeconds: round(longCpuSeconds),
            realTimeFactor: round(long.value.durationSeconds / longSeconds),
            embeddings: long.value.embeddingCount,
            speakers: long.value.speakerCount,
            rssBeforeMB: mb(rssBeforeLong),
            peakRssMB: mb(peakRss),
            growthMB: mb(peakRss - rssBeforeLong),
          }
        : null,
    },
    sherpaOnnx:
      'skipped' in peer
        ? peer
        : {
            version: peer.version,
            clips: compact(peer.scores),
            amiPooledDer: round(100 * peer.ami),
            speed: {
              audioSeconds: meetingSeconds,
              wallSeconds: round(peer.wall, 2),
              cpuSeconds: round(peer.cpu, 2),
              cpuSecondsPerAudioSecond: round(peer.cpu / meetingSeconds, 4),
              realTimeFactor: round(meetingSeconds / peer.wall),
              cpuRealTimeFactor: round(meetingSeconds / peer.cpu),
            },
          },
  }),
);
