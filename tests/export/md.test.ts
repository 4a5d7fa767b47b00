import type { Nodes, Paragraph, Root } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { describe, expect, it } from 'vitest';
import { renderMd } from '../../src-main/export/md';
import type { Transcript } from '../../src-shared/transcript';
import { FIXTURE } from './fixtures';
import { parseMarkdown } from './parsers';

function clock(seconds: number): string {
  const whole = Math.floor(seconds);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${pad(Math.floor(whole / 3600))}:${pad(Math.floor((whole % 3600) / 60))}:${pad(whole % 60)}`;
}

function nodeTypes(node: Nodes): string[] {
  return 'children' in node ? [node.type, ...node.children.flatMap((child) => nodeTypes(child))] : [node.type];
}

function paragraphs(root: Root): Paragraph[] {
  return root.children.filter((node): node is Paragraph => node.type === 'paragraph');
}

describe('renderMd', () => {
  const output = renderMd(FIXTURE);
  const root = parseMarkdown(output);

  it('has the title, a metadata list and one paragraph per non-empty segment, nothing else', () => {
    expect(root.children.map((node) => node.type)).toEqual([
      'heading',
      'list',
      ...FIXTURE.segments.filter((segment) => segment.text.trim() !== '').map(() => 'paragraph'),
    ]);
    expect(toString(root.children[0])).toBe('Quarterly planning #3 (회의)');
    const list = root.children[1];
    expect(list?.type === 'list' ? list.children.map((item) => toString(item)) : []).toEqual([
      'Language: ko',
      'Model: whisper-base',
      'Task: transcribe',
      'Duration: 100:00:12',
    ]);
  });

  it('reads back each segment as literal text with a timestamp and a bold speaker', () => {
    const segments = FIXTURE.segments.filter((segment) => segment.text.trim() !== '');
    paragraphs(root).forEach((paragraph, index) => {
      const segment = segments[index];
      if (segment === undefined) throw new Error('more paragraphs than segments');
      const speaker = segment.speaker === null ? '' : `${segment.speaker}: `;
      expect(toString(paragraph)).toBe(`[${clock(segment.start)}] ${speaker}${segment.text.replace(/\s+/g, ' ').trim()}`);
      const strong = paragraph.children.filter((child) => child.type === 'strong');
      expect(strong.map((node) => toString(node))).toEqual(segment.speaker === null ? [] : [`${segment.speaker}:`]);
      expect(new Set(nodeTypes(paragraph))).toEqual(
        new Set(segment.speaker === null ? ['paragraph', 'text'] : ['paragraph', 'text', 'strong']),
      );
    });
  });

  it('escapes markdown so hostile text stays literal, even at the start of a paragraph', () => {
    const texts = [
      '*emphasis* __strong__ `code` [link](http://example.com) ![img](x.png)',
      '<b>html</b> &amp; &#65; <http://autolink.example> ~~strike~~ | a | b |',
      '# not a heading',
      '1. not a list',
      '2) nor this',
      '- nor this',
      '+ nor this',
      '> not a quote',
      '=== not a setext underline',
      '*** not a rule',
      'ends with a backslash \\',
      '[^note] [ref]: http://example.com "title"',
      '회의록 *중요* _강조_',
    ];
    const hostile: Transcript = {
      ...FIXTURE,
      source: '*bold* [x](y) # title #',
      segments: texts.map((text, id) => ({ id, start: id, end: id + 1, text, speaker: null })),
    };
    for (const options of [{}, { includeTimestamps: false }]) {
      const tree = parseMarkdown(renderMd(hostile, options));
      expect(toString(tree.children[0])).toBe('*bold* [x](y) # title #');
      const found = paragraphs(tree);
      expect(found).toHaveLength(texts.length);
      found.forEach((paragraph, index) => {
        const stamp = 'includeTimestamps' in options ? '' : `[${clock(index)}] `;
        expect(toString(paragraph)).toBe(`${stamp}${texts[index]}`);
        expect(new Set(nodeTypes(paragraph))).toEqual(new Set(['paragraph', 'text']));
      });
    }
  });

  it('escapes speaker names inside the bold label', () => {
    const tree = parseMarkdown(renderMd({ ...FIXTURE, segments: [{ id: 0, start: 0, end: 1, text: 'hi', speaker: '*Dr.* `X` **' }] }));
    const paragraph = paragraphs(tree)[0];
    expect(paragraph?.children.map((child) => child.type)).toEqual(['text', 'strong', 'text']);
    expect(toString(paragraph)).toBe('[00:00:00] *Dr.* `X` **: hi');
  });
});
