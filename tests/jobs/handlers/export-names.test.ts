/**
 * Export files are named by the one file-name rule on both paths that name them: the export job (files in
 * a folder) and renderExport (the name the app's save dialog and the browser's download offer). Long
 * Hangul, NFD Korean, emoji, dot-prefixed, bidi-override, control-character and Windows-device titles all
 * export, under the same name on both paths, with no hidden or leftover temporary file.
 */
import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderMeetingExport } from '../../../src-main/api/export-rendering';
import { createExportHandler } from '../../../src-main/jobs/export-handler';
import type { JobHandlerDeps } from '../../../src-main/jobs/handler-deps';
import type { SqliteLibraryStore } from '../../../src-main/library/sqlite-library-store';
import { safeFileName } from '../../../src-main/util/safe-file-name';
import { makeTempDir } from '../../audio/helpers';
import { transcriptOf, unwrap } from '../../library/library-fixtures';
import { expectSafeName, HOSTILE_TITLES } from '../../support/hostile-names';
import { contextFor, jobOf, openTestLibrary } from './handler-fixtures';

let root: string;
let cleanup: () => Promise<void>;
let library: SqliteLibraryStore;

beforeAll(async () => {
  ({ dir: root, cleanup } = await makeTempDir('export-names'));
  library = openTestLibrary(path.join(root, 'library'));
});

afterAll(async () => {
  library?.close();
  await cleanup?.();
});

describe('export file names', () => {
  it.each(Object.entries(HOSTILE_TITLES))('a %s title exports under one safe name on both paths', async (_kind, title) => {
    const meeting = unwrap(library.createMeeting({ id: randomUUID(), title }));
    unwrap(library.replaceTranscript(meeting.id, transcriptOf(['회의를 시작하겠습니다.', 'Ask not what your country can do for you.'])));
    const outDir = path.join(root, 'out', meeting.id);
    const { context } = await contextFor(
      jobOf({ kind: 'export', meetingId: meeting.id, formats: ['srt', 'txt', 'json'], outDir }, meeting.id),
      root,
    );
    const exported = await createExportHandler({ library } as unknown as JobHandlerDeps)(context);
    const files = unwrap(exported);
    expect(files.kind).toBe('export');

    const names = ['srt', 'txt', 'json'].map((extension) => safeFileName(title, { extension, fallback: meeting.id }));
    for (const name of names) expectSafeName(name, `${JSON.stringify(title)} → ${name}`);
    expect((await readdir(outDir)).sort()).toEqual([...names].sort());
    expect(await readFile(path.join(outDir, names[1] as string), 'utf8')).toContain('회의를 시작하겠습니다.');

    for (const format of ['srt', 'txt', 'json'] as const) {
      const rendered = unwrap(await renderMeetingExport(library, meeting.id, format));
      expect(rendered.fileName).toBe(names[['srt', 'txt', 'json'].indexOf(format)]);
    }
  });

  it('names a dot-prefixed title the same on both paths, never as a hidden file', async () => {
    const meeting = unwrap(library.createMeeting({ id: randomUUID(), title: '.notes' }));
    unwrap(library.replaceTranscript(meeting.id, transcriptOf(['hello'])));
    const outDir = path.join(root, 'dot');
    const { context } = await contextFor(jobOf({ kind: 'export', meetingId: meeting.id, formats: ['srt'], outDir }, meeting.id), root);
    unwrap(await createExportHandler({ library } as unknown as JobHandlerDeps)(context));
    expect(await readdir(outDir)).toEqual(['notes.srt']);
    expect(unwrap(await renderMeetingExport(library, meeting.id, 'srt')).fileName).toBe('notes.srt');
  });
});
