/**
 * `npm run bench:accuracy [-- --models whisper-base,whisper-tiny.en --modes beam5,greedy --weights q8,fp32
 *   --skip-peer --threads 2 --minutes 10 --only <clip regex> --no-long --out <file> --from <earlier results.json>]`
 *
 * This engine and faster-whisper (same CTranslate2 weights, int8) side by side in one run, on the dev clips,
 * jfk.wav, a ≥ 10-minute file made of the dev clips with pauses, and issue 13's 2 min 51 s concatenation:
 * per-language WER (CER for Chinese and Korean) after Whisper's normalisers and the error ratio to
 * faster-whisper, word-timestamp differences to faster-whisper's, coverage of the speech our VAD finds, and
 * how many windows fell back. fp32 weights (dequantised from the 8-bit files) run beam 5, this engine only.
 * Everything goes to --out (default .cache/bench-accuracy/results.json); the last line is one JSON object.
 * --from scores the transcripts of an earlier run again (the inputs are rebuilt; no engine runs).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadWhisperRecognizer } from '../../src-main/asr/whisper-recognizer';
import type { ModelDtype } from '../../src-main/models/catalog';
import { createSpeechFinder } from '../../src-main/pipeline/find-speech';
import type { SpeechSpan } from '../../src-main/pipeline/window-planner';
import { decodeAll, realDecoder } from '../audio/helpers';
import { REPO_ROOT, SHARED_AUDIO, SHARED_MODELS } from '../support/paths';
import { buildCoverageFile, buildDevLongFile, loadClips, round, type Clip, type LongFile } from './accuracy/inputs';
import { compareLogits, type LogitCheck } from './accuracy/logit-check';
import { runOurs, type EngineRun } from './accuracy/our-engine';
import { dequantize, peerSegments, runFasterWhisper, score, setupPeers, type PeerRunRequest, type Peers } from './accuracy/python';
import { scoringItems } from './accuracy/scoring-items';
import { summarize, type ModelPlan, type ModelSummary, type RunSet } from './accuracy/summary';
import { printModel } from './accuracy/table';

const { values } = parseArgs({
  options: {
    models: { type: 'string', default: 'whisper-base,whisper-tiny.en' },
    modes: { type: 'string', default: 'beam5,greedy' },
    weights: { type: 'string', default: 'q8,fp32' },
    'skip-peer': { type: 'boolean', default: false },
    threads: { type: 'string', default: '2' },
    minutes: { type: 'string', default: '10' },
    only: { type: 'string' },
    'no-long': { type: 'boolean', default: false },
    out: { type: 'string', default: path.join(REPO_ROOT, '.cache/bench-accuracy/results.json') },
    from: { type: 'string' },
  },
});
const list = (value: string): string[] =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
const BEAMS: Record<string, number> = { beam5: 5, greedy: 1 };
const modes = list(values.modes);
for (const mode of modes) if (!(mode in BEAMS)) throw new Error(`--modes: unknown mode ${mode} (beam5, greedy)`);
const weights = list(values.weights) as ModelDtype[];
for (const dtype of weights) if (dtype !== 'q8' && dtype !== 'fp32') throw new Error(`--weights: unknown ${dtype} (q8, fp32)`);
const threads = Number(values.threads);
const only = values.only ? new RegExp(values.only) : null;
const toolingPython = process.env.VERBATIM_PYTHON ?? path.join(REPO_ROOT, '.cache/venv/bin/python');
const fp32Root = process.env.VERBATIM_FP32_MODELS ?? path.join(REPO_ROOT, '.cache/fp32-models');

const started = performance.now();
const load = { start: loadavg()[0] as number, samples: [] as number[] };
const loadTimer = setInterval(() => load.samples.push(loadavg()[0] as number), 30_000);
const decoder = realDecoder();
const speech = createSpeechFinder(decoder);
const work = mkdtempSync(path.join(tmpdir(), 'verbatim-accuracy-'));
const log = (message: string): void => console.log(`[${((performance.now() - started) / 1000).toFixed(0)} s] ${message}`);

/** ours: fp32 passes run beam 5 only (issue 13: the fp32 check is about loops, not a second comparison). */
function ourConfigs(): { config: string; dtype: ModelDtype; mode: string }[] {
  return weights.flatMap((dtype) =>
    (dtype === 'q8' ? modes : modes.filter((mode) => mode === 'beam5')).map((mode) => ({ config: `ours/${dtype}/${mode}`, dtype, mode })),
  );
}

async function planModel(modelId: string, allClips: Clip[], coverageFile: LongFile | null): Promise<ModelPlan> {
  const dir = path.join(SHARED_MODELS, modelId);
  if (!existsSync(path.join(dir, 'config.json'))) throw new Error(`${dir} holds no model (see ../shared/models/README.md)`);
  const generation = JSON.parse(readFileSync(path.join(dir, 'generation_config.json'), 'utf8')) as {
    is_multilingual?: boolean;
    lang_to_id?: object;
  };
  const multilingual = generation.is_multilingual ?? generation.lang_to_id !== undefined;
  const clips = allClips.filter((clip) => multilingual || clip.language === 'en');
  let long: LongFile | null = null;
  if (!values['no-long']) {
    const devClips = clips.filter((clip) => clip.dev);
    long = await buildDevLongFile(decoder, work, `dev-long-${multilingual ? 'all' : 'en'}`, devClips, Number(values.minutes) * 60);
    log(`${long.id}: ${long.seconds.toFixed(1)} s from ${long.parts.length} clips`);
  }
  return { modelId, dir, multilingual, language: multilingual ? null : 'en', clips, long, coverage: coverageFile };
}

function files(plan: ModelPlan): { id: string; path: string }[] {
  return [...plan.clips, ...(plan.long ? [plan.long] : []), ...(plan.coverage ? [plan.coverage] : [])];
}

async function runPeer(peers: Peers, plan: ModelPlan, runs: RunSet): Promise<void> {
  const requests: PeerRunRequest[] = [];
  for (const mode of modes) {
    for (const file of files(plan))
      requests.push({
        id: `faster-whisper/int8/${mode}|${file.id}`,
        audio: file.path,
        beamSize: BEAMS[mode] as number,
        language: null,
        multilingual: false,
      });
    // Mixed-language files: faster-whisper detects the language once unless multilingual=True.
    if (plan.multilingual) {
      for (const file of [plan.long, plan.coverage]) {
        if (file)
          requests.push({
            id: `faster-whisper-multilingual/int8/${mode}|${file.id}`,
            audio: file.path,
            beamSize: BEAMS[mode] as number,
            language: null,
            multilingual: true,
          });
      }
    }
  }
  log(`faster-whisper ${plan.modelId}: ${requests.length} runs`);
  const result = await runFasterWhisper(
    peers,
    path.join(peers.ct2, plan.modelId),
    requests,
    path.join(work, `${plan.modelId}-job.json`),
    threads,
  );
  for (const run of result.runs) {
    const [config, fileId] = run.id.split('|') as [string, string];
    const engineRun: EngineRun = run.ok
      ? { ok: true, wallSeconds: run.wallSeconds, language: run.language, segments: peerSegments(run), windows: [] }
      : { ok: false, error: run.error };
    if (!runs.has(config)) runs.set(config, new Map());
    runs.get(config)?.set(fileId, engineRun);
  }
}

async function runOurEngine(plan: ModelPlan, runs: RunSet): Promise<LogitCheck | null> {
  let check: LogitCheck | null = null;
  // fp32 runs only where it has a configuration (beam 5 among the modes).
  for (const dtype of weights.filter((weight) => ourConfigs().some((entry) => entry.dtype === weight))) {
    let modelDir = plan.dir;
    if (dtype === 'fp32') {
      modelDir = path.join(fp32Root, plan.modelId);
      const made = await dequantize(toolingPython, plan.dir, modelDir);
      log(`fp32 ${plan.modelId}: ${made.cached ? 'cached' : 'dequantised'} in ${modelDir}`);
      const jfk = plan.clips.find((clip) => clip.id === 'jfk.wav') ?? plan.clips[0];
      if (jfk) {
        check = await compareLogits(plan.dir, modelDir, await decodeAll(decoder, jfk.path), jfk.reference, threads);
        log(`fp32 vs q8 logits on ${jfk.id}: ${JSON.stringify(check)}`);
      }
    }
    const loaded = await loadWhisperRecognizer({ modelId: plan.modelId, modelDir, dtype, execution: 'cpu', threads });
    if (!loaded.ok) throw new Error(loaded.error.message);
    const engine = { decoder, recognizer: loaded.value, speech };
    try {
      for (const { config, mode } of ourConfigs().filter((entry) => entry.dtype === dtype)) {
        const results = new Map<string, EngineRun>();
        runs.set(config, results);
        for (const file of files(plan)) {
          const run = await runOurs(engine, file.path, plan.language, BEAMS[mode] as number);
          results.set(file.id, run);
          if (!run.ok) log(`${plan.modelId} ${config} ${file.id}: FAILED ${run.error}`);
          else if (file.id === plan.long?.id || file.id === plan.coverage?.id)
            log(`${plan.modelId} ${config} ${file.id}: ${run.wallSeconds.toFixed(1)} s, ${run.windows.length} windows`);
        }
        log(`${plan.modelId} ${config}: done`);
      }
    } finally {
      await loaded.value.dispose();
    }
  }
  return check;
}

interface SavedModel {
  plan: ModelPlan;
  runs: Record<string, Record<string, EngineRun>>;
  summary: ModelSummary;
}

/** An earlier run's transcripts, checked against the rebuilt inputs (the long file is built from a seed). */
function savedRuns(saved: SavedModel | undefined, plan: ModelPlan): { runs: RunSet; fp32Check: LogitCheck | null; summary: ModelSummary } {
  if (!saved) throw new Error(`--from ${values.from}: no ${plan.modelId} in it`);
  if (JSON.stringify(saved.plan.long?.parts ?? null) !== JSON.stringify(plan.long?.parts ?? null))
    throw new Error(`--from: the rebuilt long file differs from ${values.from}'s (other --minutes or --only?)`);
  const runs: RunSet = new Map(Object.entries(saved.runs).map(([config, results]) => [config, new Map(Object.entries(results))]));
  return { runs, fp32Check: saved.summary.fp32Check, summary: saved.summary };
}

async function speechSpans(file: LongFile): Promise<SpeechSpan[]> {
  const spans = await speech.findSpeech(file.path, () => undefined);
  if (!spans.ok) throw new Error(spans.error.message);
  return spans.value;
}

try {
  const models = list(values.models);
  const earlier = values.from ? (JSON.parse(readFileSync(values.from, 'utf8')) as Record<string, SavedModel>) : null;
  // The peers' venv also holds the scorer's normalisers, so it is set up even with --skip-peer.
  const peers = await setupPeers(REPO_ROOT);
  log(`peers: ${peers.python}, ${peers.ct2}`);
  const allClips = (await loadClips(decoder, SHARED_AUDIO)).filter((clip) => !only || only.test(clip.id));
  const coverageFile = values['no-long'] ? null : await buildCoverageFile(decoder, work, SHARED_AUDIO);
  const vad = new Map<string, SpeechSpan[]>();
  if (coverageFile) {
    vad.set(coverageFile.id, await speechSpans(coverageFile));
    log(`${coverageFile.id}: ${coverageFile.seconds.toFixed(1)} s, ${vad.get(coverageFile.id)?.length} VAD spans`);
  }
  const summaries = [];
  const everything: Record<string, unknown> = {};
  for (const modelId of models.filter((model) => !earlier || model in earlier)) {
    const plan = await planModel(modelId, allClips, coverageFile);
    if (plan.long && !vad.has(plan.long.id)) vad.set(plan.long.id, await speechSpans(plan.long));
    let runs: RunSet = new Map();
    let fp32Check: LogitCheck | null = null;
    let previous: ModelSummary | undefined;
    if (earlier) ({ runs, fp32Check, summary: previous } = savedRuns(earlier[modelId], plan));
    else {
      if (!values['skip-peer']) await runPeer(peers, plan, runs);
      fp32Check = await runOurEngine(plan, runs);
    }
    const { texts, words } = scoringItems(plan, runs);
    const scores = await score(peers, texts, words);
    const summary = summarize(plan, runs, scores, vad, fp32Check, previous);
    printModel(summary);
    summaries.push(summary);
    everything[modelId] = {
      plan,
      runs: Object.fromEntries([...runs].map(([config, results]) => [config, Object.fromEntries(results)])),
      scores,
      summary,
    };
    // Written after each model, so a later failure keeps what was measured.
    mkdirSync(path.dirname(values.out), { recursive: true });
    writeFileSync(values.out, JSON.stringify(everything));
  }
  clearInterval(loadTimer);
  const wallSeconds = round((performance.now() - started) / 1000, 1);
  const loadAverage =
    load.samples.length > 0 ? round(load.samples.reduce((a, b) => a + b, 0) / load.samples.length, 2) : round(load.start, 2);
  log(`details in ${values.out}`);
  console.log(
    JSON.stringify({
      bench: 'accuracy',
      date: new Date().toISOString(),
      rescoredFrom: values.from || undefined,
      wallSeconds,
      loadAverage,
      threads,
      peer: values['skip-peer'] ? null : 'faster-whisper 1.2.1 int8, cpu_threads 2, VAD on',
      models: summaries,
    }),
  );
} finally {
  clearInterval(loadTimer);
  await speech.dispose();
  rmSync(work, { recursive: true, force: true });
}
