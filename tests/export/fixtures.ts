import type { Transcript, TranscriptSegment, TranscriptWord } from '../../src-shared/transcript';

export const LONG_ENGLISH =
  'So the plan for the next quarter is to finish the migration of the billing service, ' +
  'hire two more engineers for the platform team, and make sure that every customer-facing ' +
  'dashboard loads in under two seconds even on the slowest connections we support.';

export const LONG_KOREAN =
  '다음 분기 계획은 결제 서비스 이전을 마무리하고 플랫폼 팀에 엔지니어 두 명을 더 채용하며 ' +
  '모든 고객용 대시보드가 가장 느린 연결에서도 2초 안에 열리도록 하는 것입니다.';

/** Words with Whisper-style leading spaces, spread evenly over [start, end]. */
export function wordsFor(text: string, start: number, end: number): TranscriptWord[] {
  const parts = text.split(' ');
  const step = (end - start) / parts.length;
  return parts.map((part, index) => ({
    start: round3(start + index * step),
    end: round3(start + (index + 1) * step),
    text: ` ${part}`,
    probability: 0.9,
  }));
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}

const segments: TranscriptSegment[] = [
  {
    id: 0,
    start: 0,
    end: 2.48,
    text: " Good morning, everyone. Let's get started.",
    speaker: 'SPEAKER_00',
    words: wordsFor("Good morning, everyone. Let's get started.", 0, 2.48),
  },
  {
    id: 1,
    start: 2.5,
    end: 6.2,
    text: '안녕하세요, 회의를 시작하겠습니다.',
    speaker: '김민지',
    words: wordsFor('안녕하세요, 회의를 시작하겠습니다.', 2.5, 6.2),
  },
  { id: 2, start: 6.5, end: 9, text: 'The arrow --> means\nnext step,\r\nthen ---> done', speaker: null },
  { id: 3, start: 9, end: 9.5, text: '  \n ', speaker: 'SPEAKER_01' },
  { id: 4, start: 10, end: 40, text: LONG_ENGLISH, speaker: 'SPEAKER_01', words: wordsFor(LONG_ENGLISH, 10, 40) },
  { id: 5, start: 41, end: 70, text: LONG_KOREAN, speaker: 'SPEAKER_00' },
  { id: 6, start: 360000, end: 360004.2505, text: 'We are past one hundred hours.', speaker: 'SPEAKER_01' },
  { id: 7, start: 360005.5, end: 360005.5, text: 'Okay.', speaker: null },
  {
    id: 8,
    start: 360010,
    end: 360012.0004,
    text: 'Tom & Jerry <i>not markup</i> café 👩‍💻 e\u0301',
    speaker: 'A&B > C',
  },
];

export const FIXTURE: Transcript = {
  source: 'Quarterly planning #3 (회의)',
  language: 'ko',
  modelId: 'whisper-base',
  task: 'transcribe',
  duration: 360012.5,
  segments,
};

/** How VTT carries a speaker name in `<v …>` (see vtt.ts: `>` cannot appear there). */
export function expectedVoice(speaker: string): string {
  return expectedCueText(speaker).replace(/>/g, '\u203A');
}

/** What a subtitle/plain-text reader should see of a segment: one line, single spaces, no cue arrows. */
export function expectedCueText(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/-{2,}>/g, '->');
}

/** Deterministic PRNG (mulberry32) so property-style failures reproduce from the seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VOCABULARY = [
  'the',
  'meeting',
  'budget',
  'Q3',
  'okay,',
  'right.',
  'we',
  'should',
  'ship',
  'it',
  'tomorrow?',
  '안녕하세요',
  '회의를',
  '시작하겠습니다.',
  '네,',
  '감사합니다',
  '예산',
  '다음',
  '주에',
  'A&B',
  '<tag>',
  'x>y',
  '-->',
  '--->',
  'e\u0301',
  '👩‍💻',
  'naïve',
  '"quoted"',
  '42',
  'internationalization',
];
const SPEAKERS = [null, 'SPEAKER_00', 'SPEAKER_01', '김민지', 'Dr. <Who> & Co'];
const SEPARATORS = [' ', ' ', ' ', ' ', '  ', '\n', '\r\n', '\t'];

export interface RandomTranscriptOptions {
  /** Allow overlapping, zero-length and empty segments (only invariants can be checked then). */
  messy: boolean;
}

export function randomTranscript(random: () => number, options: RandomTranscriptOptions): Transcript {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const count = 1 + Math.floor(random() * 25);
  const segments: TranscriptSegment[] = [];
  // Some transcripts start deep into a long recording (hours > 99).
  let cursor = random() < 0.2 ? 3600 * (90 + random() * 60) : random() * 5;
  for (let id = 0; id < count; id += 1) {
    const wordCount = options.messy && random() < 0.1 ? 0 : 1 + Math.floor(random() * 60);
    const parts = Array.from({ length: wordCount }, () => pick(VOCABULARY));
    let text = parts.map((part, index) => (index === 0 ? part : pick(SEPARATORS) + part)).join('');
    if (random() < 0.3) text = ` ${text} `;
    // Unrounded times on purpose: exercises millisecond rounding.
    const start = cursor + random() * 0.0015;
    const length = options.messy && random() < 0.15 ? 0 : 0.3 + random() * 12;
    const end = start + length;
    const segment: TranscriptSegment = { id, start, end, text, speaker: pick(SPEAKERS) };
    if (random() < 0.5 && wordCount > 0) segment.words = wordsFor(parts.join(' '), start, end);
    segments.push(segment);
    cursor = options.messy && random() < 0.3 ? start + random() * length : end + (random() < 0.3 ? 0 : random() * 3);
  }
  const last = segments[segments.length - 1] as TranscriptSegment;
  return { source: 'random', language: 'en', modelId: 'whisper-tiny', task: 'transcribe', duration: last.end, segments };
}
