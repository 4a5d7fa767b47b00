/** One model's figures in `bench:accuracy`: per engine configuration, and ours against faster-whisper. */
import type { SpeechSpan } from '../../../src-main/pipeline/window-planner';
import type { Clip, LongFile } from './inputs';
import { round } from './inputs';
import type { LogitCheck } from './logit-check';
import {
  coverage,
  fallback,
  peerFallback,
  ratio,
  total,
  wordTiming,
  type Coverage,
  type ErrorTotal,
  type Fallback,
  type PeerFallback,
  type WordTiming,
} from './measures';
import { transcriptText, type EngineRun } from './our-engine';
import type { TextScore, WordScore } from './python';
import { passageKey } from './scoring-items';

/** config ("ours/q8/beam5", "faster-whisper/int8/greedy", …) → file id → run. */
export type RunSet = Map<string, Map<string, EngineRun>>;

export interface ModelPlan {
  modelId: string;
  dir: string;
  multilingual: boolean;
  /** null: detected (window by window for ours); "en" for English-only models. */
  language: string | null;
  clips: Clip[];
  long: LongFile | null;
  coverage: LongFile | null;
}

export interface ConfigSummary {
  config: string;
  /** The faster-whisper configuration ours is compared with (same decoding mode). */
  peer: string | null;
  perLanguage: Record<string, ErrorTotal & { unit: string }>;
  dev: ErrorTotal;
  jfk: ErrorTotal | null;
  long: ErrorTotal | null;
  /** The long file's errors by the language of its passages (words assigned to clips by time: approximate). */
  longPerLanguage: Record<string, ErrorTotal>;
  ratios: {
    perLanguage: Record<string, number | null>;
    dev: number | null;
    jfk: number | null;
    long: number | null;
    longVsMultilingual: number | null;
  } | null;
  wordTiming: WordTiming | null;
  /** Per long file (the dev-clip file and the concatenation): the speech our VAD finds that segments cover. */
  coverage: Record<string, Coverage>;
  fallback: Fallback | PeerFallback | null;
  failures: { file: string; error: string }[];
  audioSeconds: number;
  wallSeconds: number;
}

export interface WorstClip {
  clip: string;
  language: string;
  ours: number;
  theirs: number;
  units: number;
  reference: string;
  oursText: string;
  theirsText: string;
}

export interface WorstPassage {
  clip: string;
  /** Where the clip starts in the long file (seconds). */
  at: number;
  language: string;
  ours: number;
  theirs: number;
  units: number;
  oursText: string;
  theirsText: string;
}

export interface ModelSummary {
  modelId: string;
  language: string;
  clips: number;
  longFile: { id: string; seconds: number; clips: number } | null;
  /** The files whose coverage is measured: length, speech our VAD finds in them, and in how many spans. */
  speechFiles: Record<string, { seconds: number; speechSeconds: number; vadSpans: number }>;
  fp32Check: LogitCheck | null;
  configs: ConfigSummary[];
  worstClips: Record<string, WorstClip[]>;
  /** Passages of the long file where ours makes the most errors more than faster-whisper (same mode). */
  worstPassages: Record<string, WorstPassage[]>;
}

export function summarize(
  plan: ModelPlan,
  runs: RunSet,
  scores: { texts: TextScore[]; words: WordScore[] },
  vad: ReadonlyMap<string, SpeechSpan[]>,
  fp32Check: LogitCheck | null,
  previous?: ModelSummary,
): ModelSummary {
  const textScore = new Map(scores.texts.map((entry) => [entry.key, entry]));
  const scoreOf = (config: string, file: string): TextScore | undefined => textScore.get(`${plan.modelId}|${config}|${file}`);
  const base = new Map<string, Omit<ConfigSummary, 'ratios' | 'wordTiming'>>();
  const long = plan.long;
  const speechFiles = [long, plan.coverage].flatMap((file) => (file && vad.has(file.id) ? [file] : []));
  const passages = (config: string): { index: number; score: TextScore }[] =>
    long
      ? long.parts.flatMap((_, index) => {
          const found = textScore.get(passageKey(plan.modelId, config, long.id, index));
          return found ? [{ index, score: found }] : [];
        })
      : [];
  for (const [config, results] of runs) {
    const perLanguage: ConfigSummary['perLanguage'] = {};
    const languages = [...new Set(plan.clips.filter((clip) => clip.dev).map((clip) => clip.language))];
    for (const language of languages) {
      const clipScores = plan.clips
        .filter((clip) => clip.dev && clip.language === language)
        .flatMap((clip) => scoreOf(config, clip.id) ?? []);
      if (clipScores.length > 0) perLanguage[language] = { ...total(clipScores), unit: clipScores[0]?.unit ?? 'word' };
    }
    const dev = total(plan.clips.filter((clip) => clip.dev).flatMap((clip) => scoreOf(config, clip.id) ?? []));
    const jfkScore = scoreOf(config, 'jfk.wav');
    const longScore = long ? scoreOf(config, long.id) : undefined;
    const longPerLanguage: Record<string, ErrorTotal> = {};
    const byLanguage = new Map<string, TextScore[]>();
    for (const { index, score } of passages(config)) {
      const language = plan.clips.find((clip) => clip.id === long?.parts[index]?.clip)?.language ?? '?';
      byLanguage.set(language, [...(byLanguage.get(language) ?? []), score]);
    }
    for (const [language, entries] of byLanguage) longPerLanguage[language] = total(entries);
    const coverages: Record<string, Coverage> = {};
    for (const file of speechFiles) {
      const run = results.get(file.id);
      if (run?.ok) coverages[file.id] = coverage(vad.get(file.id) ?? [], run.segments);
    }
    const ok = [...results.values()].filter((run): run is EngineRun & { ok: true } => run.ok);
    const durations = new Map(
      [...plan.clips, ...(plan.long ? [plan.long] : []), ...(plan.coverage ? [plan.coverage] : [])].map((file) => [file.id, file.seconds]),
    );
    base.set(config, {
      config,
      peer: null,
      perLanguage,
      dev,
      jfk: jfkScore ? total([jfkScore]) : null,
      long: longScore ? total([longScore]) : null,
      longPerLanguage,
      coverage: coverages,
      fallback: config.startsWith('ours/')
        ? fallback(results)
        : (peerFallback(results) ?? previous?.configs.find((entry) => entry.config === config)?.fallback ?? null),
      failures: [...results].flatMap(([file, run]) => (run.ok ? [] : [{ file, error: run.error }])),
      audioSeconds: round(
        [...results].reduce((sum, [file, run]) => sum + (run.ok ? (durations.get(file) ?? 0) : 0), 0),
        1,
      ),
      wallSeconds: round(
        ok.reduce((sum, run) => sum + run.wallSeconds, 0),
        1,
      ),
    });
  }

  const configs: ConfigSummary[] = [];
  const worstClips: Record<string, WorstClip[]> = {};
  const worstPassages: Record<string, WorstPassage[]> = {};
  for (const [config, entry] of base) {
    const mode = config.split('/')[2] as string;
    const peerConfig = config.startsWith('ours/') ? `faster-whisper/int8/${mode}` : null;
    const peer = peerConfig ? base.get(peerConfig) : undefined;
    if (!peerConfig || !peer) {
      configs.push({ ...entry, ratios: null, wordTiming: null });
      continue;
    }
    const perLanguage = Object.fromEntries(
      Object.entries(entry.perLanguage).map(([language, figures]) => [language, ratio(figures, peer.perLanguage[language])]),
    );
    const multilingual = base.get(`faster-whisper-multilingual/int8/${mode}`);
    configs.push({
      ...entry,
      peer: peerConfig,
      ratios: {
        perLanguage,
        dev: ratio(entry.dev, peer.dev),
        jfk: ratio(entry.jfk ?? undefined, peer.jfk ?? undefined),
        long: ratio(entry.long ?? undefined, peer.long ?? undefined),
        longVsMultilingual: ratio(entry.long ?? undefined, multilingual?.long ?? undefined),
      },
      wordTiming: wordTiming(scores.words.filter((item) => item.key.startsWith(`${plan.modelId}|${config}|`))),
    });
    worstClips[config] = plan.clips
      .flatMap((clip) => {
        const ours = scoreOf(config, clip.id);
        const theirs = scoreOf(peerConfig, clip.id);
        if (!ours || !theirs || ours.errors <= theirs.errors) return [];
        const text = (runConfig: string): string => {
          const run = runs.get(runConfig)?.get(clip.id);
          return run?.ok ? transcriptText(run.segments) : `(failed: ${run?.error ?? 'not run'})`;
        };
        return [
          {
            clip: clip.id,
            language: clip.language,
            ours: ours.errors,
            theirs: theirs.errors,
            units: ours.units,
            reference: clip.reference,
            oursText: text(config),
            theirsText: text(peerConfig),
          },
        ];
      })
      .sort((a, b) => b.ours - b.theirs - (a.ours - a.theirs))
      .slice(0, 6);
    const theirPassages = new Map(passages(peerConfig).map(({ index, score }) => [index, score]));
    worstPassages[config] = passages(config)
      .flatMap(({ index, score }) => {
        const theirs = theirPassages.get(index);
        const part = long?.parts[index];
        if (!theirs || !part || score.errors <= theirs.errors) return [];
        const language = plan.clips.find((clip) => clip.id === part.clip)?.language ?? '?';
        return [
          {
            clip: part.clip,
            at: part.start,
            language,
            ours: score.errors,
            theirs: theirs.errors,
            units: score.units,
            oursText: score.normalizedHypothesis,
            theirsText: theirs.normalizedHypothesis,
          },
        ];
      })
      .sort((a, b) => b.ours - b.theirs - (a.ours - a.theirs))
      .slice(0, 6);
  }
  return {
    modelId: plan.modelId,
    language: plan.language ?? 'auto',
    clips: plan.clips.length,
    longFile: long ? { id: long.id, seconds: round(long.seconds, 1), clips: long.parts.length } : null,
    speechFiles: Object.fromEntries(
      speechFiles.map((file) => {
        const spans = vad.get(file.id) ?? [];
        return [
          file.id,
          {
            seconds: round(file.seconds, 1),
            speechSeconds: round(
              spans.reduce((sum, span) => sum + span.end - span.start, 0),
              1,
            ),
            vadSpans: spans.length,
          },
        ];
      }),
    ),
    fp32Check,
    configs,
    worstClips,
    worstPassages,
  };
}
