/**
 * The Python side of `bench:accuracy`: the peers' venv (tools/peers/setup.sh), faster-whisper runs
 * (tools/peers/faster_whisper_run.py), scoring (tools/peers/score_asr.py) and fp32 weights
 * (tools/models/dequantize_whisper.py, in the tooling venv).
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EngineSegment } from './our-engine';

const REPO_TOOLS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../tools');

export interface Peers {
  python: string;
  ct2: string;
}

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a program, optionally feeding stdin; stderr is passed through as it comes when `echo` is set. */
function execute(command: string, args: string[], input?: string, echo = false): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      err.push(chunk);
      if (echo) process.stderr.write(chunk);
    });
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }),
    );
    child.stdin.end(input ?? '');
  });
}

function lastJsonLine<T>(finished: Finished, what: string): T {
  const line = finished.stdout.trim().split('\n').at(-1) ?? '';
  if (finished.code !== 0 || !line.startsWith('{')) {
    throw new Error(`${what} failed (exit ${finished.code}): ${finished.stderr.trim().split('\n').slice(-5).join(' | ')}`);
  }
  return JSON.parse(line) as T;
}

export async function setupPeers(repoRoot: string): Promise<Peers> {
  const finished = await execute('bash', [path.join(repoRoot, 'tools/peers/setup.sh')], undefined, true);
  if (finished.code !== 0) throw new Error(`tools/peers/setup.sh failed (exit ${finished.code})`);
  const value = (key: string): string => {
    const line = finished.stdout.split('\n').find((entry) => entry.startsWith(`${key}=`));
    if (!line) throw new Error(`tools/peers/setup.sh printed no ${key}=`);
    return line.slice(key.length + 1);
  };
  return { python: value('python'), ct2: value('ct2') };
}

export interface PeerRunRequest {
  id: string;
  audio: string;
  beamSize: number;
  language: string | null;
  multilingual: boolean;
}

interface PeerSegment {
  start: number;
  end: number;
  text: string;
  temperature: number;
  compressionRatio: number;
  avgLogprob: number;
  noSpeechProb: number;
  words: { start: number; end: number; text: string; probability: number }[];
}

export type PeerRun =
  | { id: string; ok: true; wallSeconds: number; duration: number; language: string; languageProbability: number; segments: PeerSegment[] }
  | { id: string; ok: false; error: string };

/** One faster-whisper process per model (one load), int8 on CPU with `cpuThreads` threads. */
export async function runFasterWhisper(
  peers: Peers,
  modelDir: string,
  runs: PeerRunRequest[],
  jobFile: string,
  cpuThreads: number,
): Promise<{ loadSeconds: number; runs: PeerRun[] }> {
  writeFileSync(jobFile, JSON.stringify({ model: modelDir, computeType: 'int8', cpuThreads, runs }));
  const finished = await execute(peers.python, [path.join(REPO_TOOLS, 'peers/faster_whisper_run.py'), jobFile], undefined, true);
  return lastJsonLine(finished, 'faster_whisper_run.py');
}

export function peerSegments(run: PeerRun & { ok: true }): EngineSegment[] {
  return run.segments.map((segment) => ({
    start: segment.start,
    end: segment.end,
    text: segment.text,
    words: segment.words.map((word) => ({ text: word.text, start: word.start, end: word.end })),
    quality: { temperature: segment.temperature, compressionRatio: segment.compressionRatio },
  }));
}

export interface TextItem {
  key: string;
  language: string;
  kind: 'clip' | 'mixed';
  reference: string;
  hypothesis: string;
}

export interface WordItem {
  key: string;
  language: string;
  ours: { text: string; start: number; end: number }[];
  theirs: { text: string; start: number; end: number }[];
}

export interface TextScore {
  key: string;
  unit: 'word' | 'char';
  units: number;
  errors: number;
  substitutions: number;
  deletions: number;
  insertions: number;
  normalizedReference: string;
  normalizedHypothesis: string;
}

export interface WordScore {
  key: string;
  ours: number;
  theirs: number;
  matched: number;
  startDiffs: number[];
  endDiffs: number[];
}

export async function score(peers: Peers, texts: TextItem[], words: WordItem[]): Promise<{ texts: TextScore[]; words: WordScore[] }> {
  const finished = await execute(peers.python, [path.join(REPO_TOOLS, 'peers/score_asr.py')], JSON.stringify({ texts, words }));
  return lastJsonLine(finished, 'score_asr.py');
}

/** fp32 copies of a q8 model folder (cached: the script does nothing when its sources are unchanged). */
export async function dequantize(toolingPython: string, modelDir: string, outDir: string): Promise<{ cached: boolean }> {
  const finished = await execute(toolingPython, [path.join(REPO_TOOLS, 'models/dequantize_whisper.py'), modelDir, outDir], undefined, true);
  return lastJsonLine(finished, 'dequantize_whisper.py');
}
