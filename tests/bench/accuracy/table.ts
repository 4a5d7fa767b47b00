/** The readable part of `bench:accuracy`'s output: one block of tables per model. */
import type { ErrorTotal } from './measures';
import type { ConfigSummary, ModelSummary } from './summary';

const short = (config: string): string =>
  config
    .replace('faster-whisper-multilingual/int8/', 'fw-multi ')
    .replace('faster-whisper/int8/', 'fw ')
    .replace('ours/', 'ours ')
    .replace('/', ' ');

function cell(figures: ErrorTotal | null | undefined): string {
  if (!figures) return '–';
  return `${figures.errors}/${figures.units} ${figures.rate === null ? '–' : figures.rate.toFixed(3)}`;
}

const num = (value: number | null | undefined, digits = 2): string => (value === null || value === undefined ? '–' : value.toFixed(digits));

function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (row: string[]): string => row.map((value, column) => value.padEnd(widths[column] as number)).join(' | ');
  return [line(header), widths.map((width) => '-'.repeat(width)).join('-|-'), ...rows.map(line)].join('\n');
}

export function printModel(summary: ModelSummary): void {
  const ours = summary.configs.filter((config) => config.config.startsWith('ours/'));
  const byName = new Map(summary.configs.map((config) => [config.config, config]));
  const paired = new Set(ours.flatMap((config) => (config.peer ? [config.peer] : [])));
  const others = summary.configs.filter(
    (config) =>
      !config.config.startsWith('ours/') && !paired.has(config.config) && !config.config.startsWith('faster-whisper-multilingual/'),
  );
  // Columns: each of our configurations, its faster-whisper peer and the ratio; then unpaired ones.
  const header = ['errors/units rate'];
  for (const config of ours) {
    const peer = config.peer ? byName.get(config.peer) : undefined;
    header.push(short(config.config));
    if (peer) header.push(short(peer.config), 'ratio');
  }
  for (const config of others) header.push(short(config.config));
  const row = (
    label: string,
    pick: (config: ConfigSummary) => ErrorTotal | null | undefined,
    pickRatio: (config: ConfigSummary) => number | null | undefined,
  ): string[] => {
    const cells = [label];
    for (const config of ours) {
      const peer = config.peer ? byName.get(config.peer) : undefined;
      cells.push(cell(pick(config)));
      if (peer) cells.push(cell(pick(peer)), num(pickRatio(config)));
    }
    for (const config of others) cells.push(cell(pick(config)));
    return cells;
  };
  const languages = [...new Set(summary.configs.flatMap((config) => Object.keys(config.perLanguage)))];
  const unitOf = (language: string): string =>
    summary.configs.find((config) => config.perLanguage[language])?.perLanguage[language]?.unit ?? 'word';
  const rows = languages.map((language) =>
    row(
      `${language} (${unitOf(language) === 'char' ? 'CER' : 'WER'})`,
      (config) => config.perLanguage[language],
      (config) => config.ratios?.perLanguage[language],
    ),
  );
  rows.push(
    row(
      'dev set total',
      (config) => config.dev,
      (config) => config.ratios?.dev,
    ),
  );
  rows.push(
    row(
      'jfk.wav',
      (config) => config.jfk,
      (config) => config.ratios?.jfk,
    ),
  );
  if (summary.longFile)
    rows.push(
      row(
        `${summary.longFile.id} (${summary.longFile.seconds} s)`,
        (config) => config.long,
        (config) => config.ratios?.long,
      ),
    );
  const multilingual = summary.configs.filter((config) => config.config.startsWith('faster-whisper-multilingual/') && config.long);

  console.log(
    `\n=== ${summary.modelId} (language ${summary.language}); ${summary.clips} clips; ${summary.longFile ? `long file ${summary.longFile.seconds} s of ${summary.longFile.clips} clips` : 'no long file'} ===`,
  );
  console.log(table(header, rows));
  for (const config of multilingual) {
    const ourSame = ours.find((entry) => entry.config.endsWith(`/${config.config.split('/')[2]}`) && entry.config.startsWith('ours/q8'));
    console.log(
      `${short(config.config)} on the long file: ${cell(config.long)}; ours ${ourSame ? `${short(ourSame.config)} ratio ${num(ourSame.ratios?.longVsMultilingual)}` : ''}`,
    );
  }

  const longLanguages = [...new Set(summary.configs.flatMap((config) => Object.keys(config.longPerLanguage)))];
  if (summary.longFile && longLanguages.length > 1) {
    console.log(
      `\n${summary.longFile.id} by the language of its passages (words assigned to clips by their times, so approximate at the edges):`,
    );
    console.log(
      table(
        ['config', ...longLanguages],
        summary.configs.map((config) => [short(config.config), ...longLanguages.map((language) => cell(config.longPerLanguage[language]))]),
      ),
    );
  }

  console.log('\nWord timestamps against faster-whisper (same mode), per clip, matched words:');
  console.log(
    table(
      ['config', 'clips', 'ours words', 'fw words', 'matched', '|Δstart| median', 'p95', '|Δend| median', 'p95'],
      ours.flatMap((config) => {
        const timing = config.wordTiming;
        return timing
          ? [
              [
                short(config.config),
                String(timing.clips),
                String(timing.ourWords),
                String(timing.theirWords),
                String(timing.matched),
                num(timing.start.median, 3),
                num(timing.start.p95, 3),
                num(timing.end.median, 3),
                num(timing.end.p95, 3),
              ],
            ]
          : [];
      }),
    ),
  );

  for (const [file, figures] of Object.entries(summary.speechFiles)) {
    console.log(
      `\nCoverage of the speech our VAD finds in ${file} (${figures.seconds} s, ${figures.speechSeconds} s of speech in ${figures.vadSpans} spans):`,
    );
    console.log(
      table(
        ['config', 'covered', 'with [inaudible]', 'uncovered stretches > 2 s'],
        summary.configs.flatMap((config) => {
          const covered = config.coverage[file];
          if (!covered) return [];
          const gaps = covered.uncovered.map((gap) => `${gap.start.toFixed(1)}–${gap.end.toFixed(1)} s (${gap.seconds.toFixed(1)} s)`);
          return [
            [
              short(config.config),
              `${covered.percent.toFixed(2)} %`,
              `${covered.percentWithInaudible.toFixed(2)} %`,
              gaps.length > 8
                ? `${gaps.length} stretches, ${covered.uncovered.reduce((sum, gap) => sum + gap.seconds, 0).toFixed(1)} s: ${gaps.slice(0, 6).join(', ')}, …`
                : gaps.join(', ') || 'none',
            ],
          ];
        }),
      ),
    );
  }

  console.log('\nFallback (every file of the run):');
  console.log(
    table(
      [
        'config',
        'windows / segments',
        'fell back',
        'all temperatures failed',
        'no-speech',
        '[inaudible]',
        'max compression ratio',
        '> 2.4',
        'where',
      ],
      summary.configs.map((config) => {
        const figures = config.fallback;
        if (!figures) return [short(config.config), 'not recorded', '', '', '', '', '', '', ''];
        if ('windows' in figures)
          return [
            short(config.config),
            String(figures.windows),
            String(figures.fellBack),
            String(figures.failedChecks),
            String(figures.noSpeech),
            String(figures.inaudible),
            num(figures.maxCompressionRatio, 3),
            String(figures.over2_4),
            figures.maxAt ?? '',
          ];
        return [
          short(config.config),
          `${figures.segments} segments`,
          `${figures.fellBack} segments at T > 0`,
          '',
          '',
          '',
          num(figures.maxCompressionRatio, 3),
          String(figures.over2_4),
          '',
        ];
      }),
    ),
  );

  console.log('\nSpeed (under load; audio seconds of the files that ran, wall seconds summed over files):');
  console.log(
    table(
      ['config', 'audio s', 'wall s', 'RTF', 'failures'],
      summary.configs.map((config) => [
        short(config.config),
        num(config.audioSeconds, 1),
        num(config.wallSeconds, 1),
        config.audioSeconds > 0 ? num(config.wallSeconds / config.audioSeconds, 3) : '–',
        config.failures.map((failure) => `${failure.file}: ${failure.error}`).join('; ') || '0',
      ]),
    ),
  );

  for (const [config, worst] of Object.entries(summary.worstClips)) {
    if (worst.length === 0) continue;
    console.log(`\nWorst clips, ${short(config)} (our errors − faster-whisper's):`);
    for (const clip of worst) {
      console.log(`  ${clip.clip} [${clip.language}] ours ${clip.ours} vs ${clip.theirs} of ${clip.units}`);
      console.log(`    reference: ${clip.reference.slice(0, 240)}`);
      console.log(`    ours:      ${clip.oursText.slice(0, 240)}`);
      console.log(`    fw:        ${clip.theirsText.slice(0, 240)}`);
    }
  }
  for (const [config, worst] of Object.entries(summary.worstPassages)) {
    if (worst.length === 0) continue;
    console.log(
      `\nWorst passages of ${summary.longFile?.id ?? 'the long file'}, ${short(config)} (our errors − faster-whisper's; normalised text):`,
    );
    for (const passage of worst) {
      console.log(
        `  ${passage.clip} at ${passage.at.toFixed(1)} s [${passage.language}] ours ${passage.ours} vs ${passage.theirs} of ${passage.units}`,
      );
      console.log(`    ours: ${passage.oursText.slice(0, 200)}`);
      console.log(`    fw:   ${passage.theirsText.slice(0, 200)}`);
    }
  }
  if (summary.fp32Check) console.log(`\nfp32 vs q8 logits (jfk.wav, teacher-forced): ${JSON.stringify(summary.fp32Check)}`);
}
