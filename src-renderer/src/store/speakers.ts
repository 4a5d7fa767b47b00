/** Speaker names and stable colours, shared by the timeline, the chips and the segments. */
import type { Speaker } from '../../../src-shared/library';

const PALETTE = ['#2563eb', '#d97706', '#059669', '#db2777', '#7c3aed', '#0891b2', '#65a30d', '#dc2626'] as const;
/** The same hues, dark enough for text on white and on the highlighted line (contrast ≥ 4.5:1). */
const TEXT_PALETTE = ['#1d4ed8', '#92400e', '#065f46', '#9d174d', '#6d28d9', '#155e75', '#3f6212', '#991b1b'] as const;

export const NO_SPEAKER_COLOR = '#94a3b8';

function paletteIndex(label: string): number {
  // Diarizer labels end in their number ("SPEAKER_03"): consecutive speakers get distinct colours.
  const numbered = /(\d+)$/.exec(label);
  if (numbered?.[1] !== undefined) return Number(numbered[1]) % PALETTE.length;
  let hash = 0;
  for (const char of label) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) >>> 0;
  return hash % PALETTE.length;
}

/** For marks (timeline blocks, dots). */
export function speakerColor(label: string | null): string {
  if (label === null) return NO_SPEAKER_COLOR;
  return PALETTE[paletteIndex(label)] ?? NO_SPEAKER_COLOR;
}

/** For a speaker's name written in its colour. */
export function speakerTextColor(label: string | null): string {
  if (label === null) return '#4b5563';
  return TEXT_PALETTE[paletteIndex(label)] ?? '#4b5563';
}

/** "SPEAKER_00" → "Speaker 1" until the user names them. */
export function speakerDisplayName(label: string, speakers: readonly Speaker[]): string {
  const named = speakers.find((speaker) => speaker.label === label)?.name;
  if (named !== null && named !== undefined && named.trim() !== '') return named;
  const numbered = /^SPEAKER_(\d+)$/.exec(label);
  return numbered?.[1] !== undefined ? `Speaker ${Number(numbered[1]) + 1}` : label;
}

/** Index of the segment playing at `time` (segments sorted by start), or -1. */
export function segmentIndexAt(segments: readonly { start: number; end: number }[], time: number): number {
  let low = 0;
  let high = segments.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const segment = segments[middle];
    if (segment === undefined) break;
    if (segment.start <= time) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  const candidate = found >= 0 ? segments[found] : undefined;
  return candidate !== undefined && time < candidate.end ? found : -1;
}
