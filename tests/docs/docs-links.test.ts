/**
 * The README stays short and the docs stay true to the tree: every relative link (and its #anchor) in
 * README.md and docs/*.md reaches an existing file and heading, every repository path written in backticks
 * exists, and every `npm run <script>` names a script of package.json. Files move (a composition folder, a
 * renamed stage); a doc that still names the old place fails here instead of misleading the next reader.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/paths';

const README_MAX_LINES = 150;
/** Backticked text starting with one of these is a repository path and must exist. */
const REPO_DIRS = [
  'src-main/',
  'src-shared/',
  'src-preload/',
  'src-renderer/',
  'tests/',
  'tools/',
  'scripts/',
  'models/',
  'docs/',
  'build/',
  'bin/',
  '.ci/',
];

interface DocFile {
  /** Relative to the repository root, with forward slashes. */
  name: string;
  text: string;
}

function docFiles(): DocFile[] {
  const docs = readdirSync(path.join(REPO_ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`);
  return ['README.md', ...docs].map((name) => ({ name, text: readFileSync(path.join(REPO_ROOT, name), 'utf8') }));
}

/** The text outside fenced code blocks (a tree drawing or a shell session is not a claim about links). */
function proseOf(text: string): string {
  let fenced = false;
  return text
    .split('\n')
    .map((line) => {
      if (line.trimStart().startsWith('```')) {
        fenced = !fenced;
        return '';
      }
      return fenced ? '' : line;
    })
    .join('\n');
}

/** GitHub's heading anchors (github-slugger): lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of proseOf(markdown).split('\n')) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading?.[1]) continue;
    const text = heading[1].replace(/\[([^\]]*)\]\([^)]*\)/g, '$1');
    const base = text
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
      .replace(/ /g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

/** Every problem with the links, backticked paths and npm scripts of one markdown file. */
export function docProblems(file: DocFile, root: string, scripts: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  const prose = proseOf(file.text);
  const dir = path.posix.dirname(file.name);

  for (const match of prose.matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
    const target = match[1] as string;
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
    const [filePart = '', anchor] = target.split('#');
    if (filePart === '') {
      if (anchor !== undefined && !headingAnchors(file.text).has(anchor)) problems.push(`${file.name}: link to ${target}: no such heading`);
      continue;
    }
    const resolved = path.posix.normalize(path.posix.join(dir, filePart));
    const absolute = path.join(root, resolved);
    if (resolved.startsWith('..') || !existsSync(absolute)) {
      problems.push(`${file.name}: link to ${target}: no such file`);
      continue;
    }
    if (anchor !== undefined && resolved.endsWith('.md') && statSync(absolute).isFile()) {
      if (!headingAnchors(readFileSync(absolute, 'utf8')).has(anchor))
        problems.push(`${file.name}: link to ${target}: no heading #${anchor} in ${resolved}`);
    }
  }

  for (const match of prose.matchAll(/`([^`\n]+)`/g)) {
    const code = (match[1] as string).trim();
    const run = /^npm run ([\w:-]+)(\*?)/.exec(code);
    if (run?.[1] && run[2] === '' && !scripts.has(run[1]))
      problems.push(`${file.name}: \`${code}\`: package.json has no script "${run[1]}"`);
    if (!REPO_DIRS.some((prefix) => code.startsWith(prefix))) continue;
    // Placeholders and patterns (`<model-id>`, `*`, `…`) and commands with arguments are not single paths.
    if (/[<>*…\s]/.test(code)) continue;
    const repoPath = code.replace(/[.,;:]$/, '');
    if (!existsSync(path.join(root, repoPath))) problems.push(`${file.name}: \`${repoPath}\`: no such path`);
  }
  return problems;
}

function packageScripts(): Set<string> {
  const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  return new Set(Object.keys(pkg.scripts));
}

describe('the docs', () => {
  it(`keep the README at most ${README_MAX_LINES} lines`, () => {
    const lines = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8').trimEnd().split('\n').length;
    expect(lines).toBeLessThanOrEqual(README_MAX_LINES);
  });

  it('link only to files and headings that exist, name only paths and npm scripts that exist', () => {
    const scripts = packageScripts();
    const problems = docFiles().flatMap((file) => docProblems(file, REPO_ROOT, scripts));
    expect(problems).toEqual([]);
  });

  it('catch a planted bad link, a bad anchor, a missing path and an unknown script', () => {
    const planted: DocFile = {
      name: 'docs/planted.md',
      text: [
        '# Planted',
        'Good: [the app](app.md), [setup](setup.md#tests), [here](#planted), [README](../README.md), [web](https://example.com).',
        'Bad: [gone](gone.md), [no heading](setup.md#no-such-heading) and [none here](#nowhere).',
        'Paths: `src-shared/ipc-contract.ts` exists, `src-main/no-such-file.ts` does not; `npm run build` and `npm run no-such-script`.',
        '```',
        '[inside a fence](not-checked.md) `src-main/not-checked.ts`',
        '```',
      ].join('\n'),
    };
    expect(docProblems(planted, REPO_ROOT, packageScripts())).toEqual([
      'docs/planted.md: link to gone.md: no such file',
      'docs/planted.md: link to setup.md#no-such-heading: no heading #no-such-heading in docs/setup.md',
      'docs/planted.md: link to #nowhere: no such heading',
      'docs/planted.md: `src-main/no-such-file.ts`: no such path',
      'docs/planted.md: `npm run no-such-script`: package.json has no script "no-such-script"',
    ]);
  });

  it('make GitHub’s anchors from headings', () => {
    const anchors = headingAnchors(
      '# Accuracy against faster-whisper: `npm run bench:accuracy`\n## "You" and "others"\n## Tests\n## Tests\n',
    );
    expect([...anchors]).toEqual(['accuracy-against-faster-whisper-npm-run-benchaccuracy', 'you-and-others', 'tests', 'tests-1']);
  });
});
