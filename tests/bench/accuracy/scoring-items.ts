/** What the scorer (tools/peers/score_asr.py) reads for one model's runs. */
import { transcriptText, type EngineSegment, type EngineWord } from './our-engine';
import type { TextItem, WordItem } from './python';
import type { ModelPlan, RunSet } from './summary';

/** Key of a passage of the long file: the clip at `index` in its parts. */
export const passageKey = (modelId: string, config: string, longId: string, index: number): string =>
  `${modelId}|${config}|${longId}#${index}`;

/** Words with text (no [inaudible] markers); a segment without word times counts as one word at its middle. */
function spokenWords(segments: readonly EngineSegment[]): EngineWord[] {
  return segments
    .filter((segment) => !segment.inaudible)
    .flatMap((segment) => (segment.words.length > 0 ? segment.words : [{ text: segment.text, start: segment.start, end: segment.end }]));
}

export function scoringItems(plan: ModelPlan, runs: RunSet): { texts: TextItem[]; words: WordItem[] } {
  const texts: TextItem[] = [];
  const words: WordItem[] = [];
  const clipLanguage = new Map(plan.clips.map((clip) => [clip.id, clip]));
  for (const [config, results] of runs) {
    for (const clip of plan.clips) {
      const run = results.get(clip.id);
      if (run)
        texts.push({
          key: `${plan.modelId}|${config}|${clip.id}`,
          language: clip.language,
          kind: 'clip',
          reference: clip.reference,
          hypothesis: run.ok ? transcriptText(run.segments) : '',
        });
    }
    const long = plan.long;
    const run = long ? results.get(long.id) : undefined;
    if (long?.reference && run) {
      // The multilingual long file is scored as one mixed text; the English-only one as English.
      texts.push({
        key: `${plan.modelId}|${config}|${long.id}`,
        language: plan.multilingual ? 'mul' : 'en',
        kind: plan.multilingual ? 'mixed' : 'clip',
        reference: long.reference,
        hypothesis: run.ok ? transcriptText(run.segments) : '',
      });
      // Passages: the words whose middle falls from half a second before a clip to half a second before the next
      // (approximate at the edges), scored with the clip's own rules, to show where the errors are.
      const heard = run.ok ? spokenWords(run.segments) : [];
      long.parts.forEach((part, index) => {
        const clip = clipLanguage.get(part.clip);
        if (!clip) return;
        const from = part.start - 0.5;
        const to = (long.parts[index + 1]?.start ?? Infinity) - 0.5;
        const hypothesis = heard
          .filter((word) => (word.start + word.end) / 2 >= from && (word.start + word.end) / 2 < to)
          .map((word) => word.text)
          .join('');
        texts.push({
          key: passageKey(plan.modelId, config, long.id, index),
          language: clip.language,
          kind: 'clip',
          reference: clip.reference,
          hypothesis,
        });
      });
    }
    if (!config.startsWith('ours/')) continue;
    const peer = runs.get(`faster-whisper/int8/${config.split('/')[2]}`);
    for (const clip of plan.clips) {
      const ours = results.get(clip.id);
      const theirs = peer?.get(clip.id);
      if (ours?.ok && theirs?.ok)
        words.push({
          key: `${plan.modelId}|${config}|${clip.id}`,
          language: clip.language,
          ours: spokenWords(ours.segments),
          theirs: spokenWords(theirs.segments),
        });
    }
  }
  return { texts, words };
}
