/**
 * `npm run bench:live-labels [-- --model-dir <dir>]`: how often the provisional live speaker label agrees
 * with the final diarization. The shared multi-speaker clips (two-speakers.wav, ami-dev dev00 and dev01) are
 * played in real time, one recording each, through `createEngine().recorder` as bench:live plays its meeting
 * (real resampler, ring buffer, Silero, Whisper and the live CAM++ labeller in the live transcription process); then the saved
 * file is diarized offline. Agreement: the share of committed speech (seconds) whose live label, mapped
 * one-to-one onto the final speakers (the mapping that agrees most), is the final speaker that talks most
 * during that segment. The same against the reference RTTM says how right each is. Last line: one JSON object.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { RecordingEvent } from '../../src-shared/recording-events';
import { ok } from '../../src-shared/result';
import type { SpeakerTurn, TranscriptSegment } from '../../src-shared/transcript';
import { FfmpegAudioDecoder } from '../../src-main/audio/decoder';
import { embeddingProfile } from '../../src-main/diarization/diarization-models';
import { diarizeSamples } from '../../src-main/diarization/diarize-audio';
import { loadOnnxEmbedder } from '../../src-main/diarization/embedding-model';
import { parseRttm } from '../../src-main/diarization/rttm';
import { loadOnnxSegmenter } from '../../src-main/diarization/segmentation-model';
import { SileroLaneVad } from '../../src-main/diarization/silero-lanes';
import type { CaptureBackend } from '../../src-main/record/capture-types';
import { SyntheticSource } from '../../src-main/record/capture/synthetic-source';
import { createEngine } from '../../src-main/app/engine';
import { anyRealWhisper, REAL_EMBEDDING_MODEL, REAL_SEGMENTATION_MODEL, SHARED_AUDIO, SHARED_MODELS } from '../support/paths';

const { values } = parseArgs({ options: { 'model-dir': { type: 'string' } } });
const modelDir = values['model-dir'] ?? anyRealWhisper()?.dir;
if (!modelDir) throw new Error('bench:live-labels needs a real Whisper model (../shared/models or --model-dir)');
const RATE = 16_000;

const created = FfmpegAudioDecoder.create();
if (!created.ok) throw new Error(created.error.message);
const decoder = created.value;
async function decode(file: string): Promise<Float32Array> {
  const parts: Float32Array[] = [];
  for await (const item of decoder.decode(file)) {
    if (!item.ok) throw new Error(item.error.message);
    parts.push(item.value.samples);
  }
  const out = new Float32Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

const profile = embeddingProfile('campplus-3dspeaker-zh_en-common');
const segmentation = await loadOnnxSegmenter({ modelPath: REAL_SEGMENTATION_MODEL, execution: 'cpu', threads: 2 });
const embedding = await loadOnnxEmbedder({ modelPath: REAL_EMBEDDING_MODEL, execution: 'cpu', threads: 2, frontEnd: profile.frontEnd });
const vad = await SileroLaneVad.load();
if (!segmentation.ok || !embedding.ok || !vad.ok) throw new Error('the real diarization models did not load');
// The final diarization as the app runs it (OnnxFileDiarizer): with Silero.
const models = { segmenter: segmentation.value.segmenter, embedder: embedding.value.embedder, vad: vad.value };

/** Seconds each speaker of `turns` talks during [start, end). */
function talkers(turns: readonly SpeakerTurn[], start: number, end: number): Map<string, number> {
  const seconds = new Map<string, number>();
  for (const turn of turns) {
    const overlap = Math.min(end, turn.end) - Math.max(start, turn.start);
    if (overlap > 0) seconds.set(turn.speaker, (seconds.get(turn.speaker) ?? 0) + overlap);
  }
  return seconds;
}

/** Share of labelled segment time on which the live label, mapped one-to-one (greedy on co-occurrence), names the main talker of `turns`. */
function agreement(segments: readonly TranscriptSegment[], turns: readonly SpeakerTurn[]): { agreed: number; labelled: number } {
  const pairs = new Map<string, number>();
  const main: { live: string; final: string | null; seconds: number }[] = [];
  for (const segment of segments) {
    if (segment.speaker === null) continue;
    const talking = [...talkers(turns, segment.start, segment.end)].sort((a, b) => b[1] - a[1])[0];
    const seconds = segment.end - segment.start;
    main.push({ live: segment.speaker, final: talking?.[0] ?? null, seconds });
    if (talking) pairs.set(`${segment.speaker}\u0000${talking[0]}`, (pairs.get(`${segment.speaker}\u0000${talking[0]}`) ?? 0) + seconds);
  }
  const mapping = new Map<string, string>();
  const used = new Set<string>();
  for (const [key] of [...pairs].sort((a, b) => b[1] - a[1])) {
    const [live, final] = key.split('\u0000') as [string, string];
    if (mapping.has(live) || used.has(final)) continue;
    mapping.set(live, final);
    used.add(final);
  }
  const labelled = main.reduce((sum, entry) => sum + entry.seconds, 0);
  const agreed = main
    .filter((entry) => entry.final !== null && mapping.get(entry.live) === entry.final)
    .reduce((sum, entry) => sum + entry.seconds, 0);
  return { agreed, labelled };
}

const clips = [
  {
    name: 'two-speakers',
    file: path.join(SHARED_AUDIO, 'two-speakers.wav'),
    rttm: path.join(SHARED_AUDIO, 'two-speakers.rttm'),
    id: undefined,
  },
  {
    name: 'ami-dev/dev00',
    file: path.join(SHARED_AUDIO, 'ami-dev/dev00.wav'),
    rttm: path.join(SHARED_AUDIO, 'ami-dev/debug.development.rttm'),
    id: 'dev00',
  },
  {
    name: 'ami-dev/dev01',
    file: path.join(SHARED_AUDIO, 'ami-dev/dev01.wav'),
    rttm: path.join(SHARED_AUDIO, 'ami-dev/debug.development.rttm'),
    id: 'dev01',
  },
];
const results: Record<string, unknown> = {};
let totals = {
  final: { agreed: 0, labelled: 0 },
  liveVsReference: { agreed: 0, labelled: 0 },
  finalVsReference: { agreed: 0, labelled: 0 },
  committed: 0,
};
for (const clip of clips) {
  const audio = await decode(clip.file);
  const signal = new Float32Array(audio.length + 2 * RATE);
  signal.set(audio, RATE / 2);
  const source = new SyntheticSource({ format: { sampleRate: RATE, channels: 1 }, signal, speed: 1 });
  const capture: CaptureBackend = { listDevices: () => Promise.resolve(ok([])), open: () => Promise.resolve(ok(source)) };
  const workDir = mkdtempSync(path.join(tmpdir(), 'verbatim-bench-labels-'));
  const engine = createEngine({
    recordingsDir: workDir,
    modelsDir: path.join(workDir, 'models'),
    extraModelDirs: [SHARED_MODELS],
    device: 'cpu',
    adapters: { capture },
  });
  const events: RecordingEvent[] = [];
  engine.onRecordingEvent((event) => events.push(event));
  const started = await engine.recorder.start({ modelDir, language: 'en' });
  if (!started.ok) throw new Error(`${started.error.code}: ${started.error.message}`);
  await new Promise((resolve) => setTimeout(resolve, (signal.length / RATE) * 1000 + 500));
  const summary = await engine.recorder.stop();
  await engine.dispose();
  if (!summary.ok) throw new Error(summary.error.message);
  const recorded = await decode(summary.value.paths[0]!);
  rmSync(workDir, { recursive: true, force: true });
  // The recording starts when capture starts: shift the segments back onto the clip's timeline.
  const segments = events.flatMap((event) =>
    event.type === 'committed' ? [{ ...event.segment, start: event.segment.start - 0.5, end: event.segment.end - 0.5 }] : [],
  );
  const final = await diarizeSamples(recorded, models, { clusteringThreshold: profile.speakerThreshold });
  if (!final.ok) throw new Error(final.error.message);
  const finalTurns = final.value.turns.map((turn) => ({ ...turn, start: turn.start - 0.5, end: turn.end - 0.5 }));
  const reference = parseRttm(readFileSync(clip.rttm, 'utf8'), clip.id);
  if (!reference.ok) throw new Error(reference.error.message);
  const vsFinal = agreement(segments, finalTurns);
  const vsReference = agreement(segments, reference.value);
  const finalSegments = segments.map((segment) => ({
    ...segment,
    speaker: [...talkers(finalTurns, segment.start, segment.end)].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null,
  }));
  const finalVsReference = agreement(finalSegments, reference.value);
  const liveSpeakers = new Set(segments.flatMap((segment) => (segment.speaker ? [segment.speaker] : []))).size;
  const pct = (part: { agreed: number; labelled: number }): number =>
    Number(((100 * part.agreed) / Math.max(1e-9, part.labelled)).toFixed(1));
  console.log(
    `${clip.name}: ${segments.length} committed segments, ${liveSpeakers} live speakers, ${final.value.speakerCount} final; live agrees with final on ${pct(vsFinal)} % of labelled speech; vs reference: live ${pct(vsReference)} %, final ${pct(finalVsReference)} %`,
  );
  results[clip.name] = {
    segments: segments.length,
    liveSpeakers,
    finalSpeakers: final.value.speakerCount,
    agreementWithFinal: pct(vsFinal),
    liveVsReference: pct(vsReference),
    finalVsReference: pct(finalVsReference),
    labelledSeconds: Number(vsFinal.labelled.toFixed(1)),
  };
  totals = {
    final: { agreed: totals.final.agreed + vsFinal.agreed, labelled: totals.final.labelled + vsFinal.labelled },
    liveVsReference: {
      agreed: totals.liveVsReference.agreed + vsReference.agreed,
      labelled: totals.liveVsReference.labelled + vsReference.labelled,
    },
    finalVsReference: {
      agreed: totals.finalVsReference.agreed + finalVsReference.agreed,
      labelled: totals.finalVsReference.labelled + finalVsReference.labelled,
    },
    committed: totals.committed + segments.length,
  };
}
await Promise.all([models.segmenter.dispose(), models.embedder.dispose(), models.vad.dispose()]);
const share = (part: { agreed: number; labelled: number }): number =>
  Number(((100 * part.agreed) / Math.max(1e-9, part.labelled)).toFixed(1));
console.log(
  `all clips: live label agrees with the final diarization on ${share(totals.final)} % of labelled speech (live vs reference ${share(totals.liveVsReference)} %, final vs reference ${share(totals.finalVsReference)} %)`,
);
console.log(
  JSON.stringify({
    whisper: path.basename(modelDir),
    liveThreshold: profile.speakerThreshold,
    agreementWithFinal: share(totals.final),
    liveVsReference: share(totals.liveVsReference),
    finalVsReference: share(totals.finalVsReference),
    committedSegments: totals.committed,
    clips: results,
  }),
);
