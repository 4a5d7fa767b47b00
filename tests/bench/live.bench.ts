/**
 * `npm run bench:live [-- --model-dir <dir>] [--seconds 180] [--rate 48000]`: a meeting-like recording
 * (the shared clips, each followed by a pause) is fed in real time through a capture source into
 * `createEngine().recorder` — real resampler, ring buffer, crash-safe writer, Silero VAD and Whisper on
 * onnxruntime-node. Prints end-of-speech → committed latency (p50/p95), partial cadence, CPU share and
 * RSS over time. Real weights from ../shared/models are used when present, the generated model
 * otherwise. The last line is one JSON object.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { RecordingEvent } from '../../src-shared/recording-events';
import { ok, type CodedError, type Result } from '../../src-shared/result';
import { FfmpegAudioDecoder } from '../../src-main/audio/decoder';
import type { AudioSource, CaptureBackend } from '../../src-main/record/capture-types';
import { StreamingResampler } from '../../src-main/record/capture/resampler';
import { SyntheticSource, type SignalGenerator } from '../../src-main/record/capture/synthetic-source';
import { createEngine } from '../../src-main/app/engine';
import { ensureTinyModels } from '../setup/generate-models';
import { anyRealWhisper, SHARED_AUDIO, TINY_MULTILINGUAL } from '../support/paths';
import { treeCpuSeconds, treeRssMb } from '../support/process-tree';

const { values } = parseArgs({
  options: { 'model-dir': { type: 'string' }, seconds: { type: 'string', default: '180' }, rate: { type: 'string', default: '48000' } },
});
const real = anyRealWhisper();
let modelDir = values['model-dir'] ?? real?.dir;
if (!modelDir) {
  ensureTinyModels();
  modelDir = TINY_MULTILINGUAL;
}
const config = JSON.parse(readFileSync(path.join(modelDir, 'config.json'), 'utf8')) as { _name_or_path?: string };
const hasRealWeights = !(config._name_or_path ?? '').startsWith('verbatim/');
const totalSeconds = Number(values.seconds);
const captureRate = Number(values.rate);
const ASR_RATE = 16_000;

const created = FfmpegAudioDecoder.create();
if (!created.ok) throw new Error(created.error.message);
const decoder = created.value;

async function decode(file: string): Promise<Float32Array> {
  const parts: Float32Array[] = [];
  for await (const item of decoder.decode(path.join(SHARED_AUDIO, file))) {
    if (!item.ok) throw new Error(item.error.message);
    parts.push(item.value.samples);
  }
  return concat(parts);
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Where the speech in a clip really starts and ends (20 ms frames above −40 dBFS RMS). */
function speechBounds(clip: Float32Array): { start: number; end: number } {
  const frame = ASR_RATE / 50;
  let first = -1;
  let last = -1;
  for (let at = 0; at + frame <= clip.length; at += frame) {
    let energy = 0;
    for (let n = at; n < at + frame; n += 1) energy += (clip[n] as number) ** 2;
    if (Math.sqrt(energy / frame) > 0.01) {
      if (first < 0) first = at;
      last = at + frame;
    }
  }
  return { start: Math.max(0, first), end: Math.max(0, last) };
}

/**
 * The meeting: clips separated by 2 s pauses with faint noise, looped to the requested length. Played
 * block by block through a streaming upsampler, as a microphone delivers it: the bench holds the clips,
 * not the meeting, so the memory it reports is the recorder's.
 */
async function buildMeeting(): Promise<{ frames: number; utterances: { start: number; end: number }[]; signal: SignalGenerator }> {
  const clips = await Promise.all(['jfk.wav', 'stereo-two-speakers.wav', 'french.mp3', 'two-speakers.wav'].map(decode));
  const pause = 2 * ASR_RATE;
  const gap = new Float32Array(pause);
  for (let n = 0; n < gap.length; n += 1) gap[n] = (Math.random() - 0.5) * 2e-4;
  const parts: Float32Array[] = [];
  const utterances: { start: number; end: number }[] = [];
  let at = 0;
  for (let index = 0; at < totalSeconds * ASR_RATE; index += 1) {
    const clip = clips[index % clips.length] as Float32Array;
    const bounds = speechBounds(clip);
    parts.push(gap, clip);
    utterances.push({ start: (at + pause + bounds.start) / ASR_RATE, end: (at + pause + bounds.end) / ASR_RATE });
    at += pause + clip.length;
  }
  parts.push(new Float32Array(pause));
  const asrLength = totalSeconds * ASR_RATE + pause;
  const upsampler = new StreamingResampler(ASR_RATE, 1, captureRate);
  const pending: Float32Array[] = [];
  let pendingAt = 0;
  let partIndex = 0;
  let partAt = 0;
  let asrAt = 0;
  const nextAsrBlock = (): Float32Array | null => {
    if (asrAt >= asrLength) return null;
    const block = new Float32Array(Math.min(ASR_RATE / 50, asrLength - asrAt));
    for (let filled = 0; filled < block.length;) {
      const part = parts[partIndex] as Float32Array;
      const take = Math.min(block.length - filled, part.length - partAt);
      block.set(part.subarray(partAt, partAt + take), filled);
      filled += take;
      partAt += take;
      if (partAt === part.length) {
        partIndex += 1;
        partAt = 0;
      }
    }
    asrAt += block.length;
    return block;
  };
  let flushed = false;
  const signal: SignalGenerator = (_startFrame, into) => {
    let wrote = 0;
    while (wrote < into.length) {
      const head = pending[0];
      if (!head) {
        const block = nextAsrBlock();
        if (block) {
          pending.push(upsampler.process(block));
        } else if (!flushed) {
          flushed = true;
          pending.push(upsampler.flush());
        } else break;
        continue;
      }
      const take = Math.min(into.length - wrote, head.length - pendingAt);
      into.set(head.subarray(pendingAt, pendingAt + take), wrote);
      wrote += take;
      pendingAt += take;
      if (pendingAt === head.length) {
        pending.shift();
        pendingAt = 0;
      }
    }
    return wrote;
  };
  return {
    frames: Math.ceil((asrLength * captureRate) / ASR_RATE),
    utterances: utterances.filter((utterance) => utterance.end < asrLength / ASR_RATE),
    signal,
  };
}

/** Notes the wall time at which each block of frames was delivered, to time "end of speech". */
class TimedSource implements AudioSource {
  readonly delivered: { at: number; frames: number }[] = [];
  private frames = 0;
  constructor(private readonly inner: SyntheticSource) {}
  get format() {
    return this.inner.format;
  }
  get deviceName() {
    return this.inner.deviceName;
  }
  start(onFrames: (interleaved: Float32Array) => void, onError: (error: CodedError) => void): Promise<Result<void>> {
    return this.inner.start((interleaved) => {
      this.frames += interleaved.length;
      this.delivered.push({ at: performance.now(), frames: this.frames });
      onFrames(interleaved);
    }, onError);
  }
  stop(): Promise<void> {
    return this.inner.stop();
  }
  /** Wall time at which the frame at `seconds` had been delivered. */
  wallTimeOf(seconds: number): number | null {
    const frame = seconds * captureRate;
    return this.delivered.find((entry) => entry.frames >= frame)?.at ?? null;
  }
}

const percentile = (sorted: number[], p: number): number | null =>
  sorted.length === 0 ? null : (sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number);
const round = (value: number | null, digits = 3): number | null => (value === null ? null : Number(value.toFixed(digits)));

const meeting = await buildMeeting();
const source = new TimedSource(new SyntheticSource({ format: { sampleRate: captureRate, channels: 1 }, signal: meeting.signal, speed: 1 }));
const capture: CaptureBackend = { listDevices: () => Promise.resolve(ok([])), open: () => Promise.resolve(ok(source)) };
const workDir = mkdtempSync(path.join(tmpdir(), 'verbatim-bench-live-'));
const engine = createEngine({ recordingsDir: workDir, modelsDir: path.join(workDir, 'models'), device: 'auto', adapters: { capture } });

const events: { at: number; event: RecordingEvent }[] = [];
engine.onRecordingEvent((event) => events.push({ at: performance.now(), event }));
/** The whole recording's memory (this process, which captures and writes, and the transcriber process), and each part. */
const rssOverTime: { seconds: number; rssMB: number; appMB: number; transcriberMB: number }[] = [];
const loadStarted = performance.now();
const started = await engine.recorder.start({ modelDir, language: null });
if (!started.ok) throw new Error(`${started.error.code}: ${started.error.message}`);
const recordingStarted = performance.now();
const cpuStart = treeCpuSeconds();
console.error(
  `bench:live: ${path.basename(modelDir)}${hasRealWeights ? '' : ' (generated weights)'}, ${totalSeconds} s at ${captureRate} Hz, model load ${((recordingStarted - loadStarted) / 1000).toFixed(2)} s`,
);
const sampler = setInterval(() => {
  const seconds = (performance.now() - recordingStarted) / 1000;
  const { own, children } = treeRssMb();
  rssOverTime.push({
    seconds: Math.round(seconds),
    rssMB: Math.round(own + children),
    appMB: Math.round(own),
    transcriberMB: Math.round(children),
  });
}, 5000);
await new Promise((resolve) => setTimeout(resolve, (meeting.frames / captureRate) * 1000 + 500));
const cpuSeconds = treeCpuSeconds() - cpuStart;
const wallSeconds = (performance.now() - recordingStarted) / 1000;
clearInterval(sampler);
const summary = await engine.recorder.stop();
await engine.dispose();
rmSync(workDir, { recursive: true, force: true });
if (!summary.ok) throw new Error(summary.error.message);

// Latency: the wall time when the last segment of an utterance was committed, minus when its last
// spoken sample was delivered by the "microphone".
const committed = events.flatMap(({ at, event }) => (event.type === 'committed' ? [{ at, segment: event.segment }] : []));
const latencies: number[] = [];
/** Each utterance's latency in meeting order, with its clip's length: where a slow commit comes from. */
const perUtterance: { seconds: number; latency: number }[] = [];
for (const utterance of meeting.utterances) {
  const spokenAt = source.wallTimeOf(utterance.end);
  const last = committed.filter(({ segment }) => segment.start < utterance.end + 0.2 && segment.end > utterance.start - 0.5).at(-1);
  if (spokenAt === null || !last) continue;
  latencies.push((last.at - spokenAt) / 1000);
  perUtterance.push({ seconds: round(utterance.end - utterance.start, 1) ?? 0, latency: round((last.at - spokenAt) / 1000) ?? 0 });
}
latencies.sort((a, b) => a - b);

// Partial cadence: wall-time intervals between updates while an utterance is being spoken.
const intervals: number[] = [];
let previousUpdate: number | null = null;
for (const { at, event } of events) {
  if (event.type === 'partial' && event.text !== '') {
    if (previousUpdate !== null) intervals.push((at - previousUpdate) / 1000);
    previousUpdate = at;
  } else if (event.type === 'committed' || (event.type === 'partial' && event.text === '')) previousUpdate = null;
}
intervals.sort((a, b) => a - b);
const gaps = events.filter(({ event }) => event.type === 'gap').length;
const rss = rssOverTime.map((sample) => sample.rssMB);
const half = Math.floor(rss.length / 2);
const slopeMBPerMinute =
  rss.length > 2
    ? ((rss.at(-1) as number) - (rss[half] as number)) /
      (((rssOverTime.at(-1) as { seconds: number }).seconds - (rssOverTime[half] as { seconds: number }).seconds) / 60)
    : null;

const figures = {
  bench: 'live',
  model: path.basename(modelDir),
  realWeights: hasRealWeights,
  audioSeconds: round(meeting.frames / captureRate, 1),
  captureRate,
  utterances: meeting.utterances.length,
  utterancesCommitted: latencies.length,
  segmentsCommitted: summary.value.segmentsCommitted,
  commitLatencySeconds: {
    p50: round(percentile(latencies, 0.5)),
    p95: round(percentile(latencies, 0.95)),
    max: round(latencies.at(-1) ?? null),
  },
  perUtterance,
  partialIntervalSeconds: {
    p50: round(percentile(intervals, 0.5)),
    p95: round(percentile(intervals, 0.95)),
    max: round(intervals.at(-1) ?? null),
  },
  gapEvents: gaps,
  cpuShareOfOneCore: round(cpuSeconds / wallSeconds),
  cpuShareOfMachine: round(cpuSeconds / wallSeconds / cpus().length),
  rssMB: {
    start: rss[0] ?? null,
    max: rss.length ? Math.max(...rss) : null,
    end: rss.at(-1) ?? null,
    slopeMBPerMinuteSecondHalf: round(slopeMBPerMinute, 2),
    transcriberMax: rssOverTime.length ? Math.max(...rssOverTime.map((sample) => sample.transcriberMB)) : null,
    appMax: rssOverTime.length ? Math.max(...rssOverTime.map((sample) => sample.appMB)) : null,
  },
  rssOverTime,
};
console.log(
  `commit latency p50 ${figures.commitLatencySeconds.p50} s, p95 ${figures.commitLatencySeconds.p95} s over ${latencies.length} utterances; partial interval p50 ${figures.partialIntervalSeconds.p50} s; CPU ${(100 * (figures.cpuShareOfMachine ?? 0)).toFixed(0)} % of the machine; RSS ${figures.rssMB.start} → ${figures.rssMB.end} MB (max ${figures.rssMB.max}: transcriber process ≤ ${figures.rssMB.transcriberMax}, capture and app ≤ ${figures.rssMB.appMax})`,
);
console.log(JSON.stringify(figures));
