/** `verbatim import`, `jobs` and `search` as a user runs them: a real data folder, queue and child transcriber. */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLibraryDatabase } from '../../src-main/library/open-library-database';
import { SqliteLibraryStore } from '../../src-main/library/sqlite-library-store';
import { makeTempDir } from '../audio/helpers';
import { REPO_ROOT, SHARED_AUDIO, TINY_DIARIZATION, TINY_MULTILINGUAL } from '../support/paths';

const exec = promisify(execFile);

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'src-main/cli/main.ts'), ...args], {
      cwd: REPO_ROOT,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let dataDir: string;
let notes: string;

beforeAll(async () => {
  temp = await makeTempDir('queue-cli');
  dataDir = path.join(temp.dir, 'data');
  notes = path.join(temp.dir, 'notes.m4a');
  await writeFile(notes, 'not a recording\n'.repeat(20));
});

afterAll(async () => {
  await temp?.cleanup();
});

describe('verbatim import / jobs / search', () => {
  it('imports what it can, names what it cannot, and the library answers afterwards', async () => {
    const jfk = path.join(SHARED_AUDIO, 'jfk.wav');
    const imported = await cli([
      'import',
      jfk,
      notes,
      '--data-dir',
      dataDir,
      '--model-dir',
      TINY_MULTILINGUAL,
      '--dtype',
      'fp32',
      '--device',
      'cpu',
    ]);
    expect(imported.code).toBe(1);
    expect(imported.stderr).toMatch(/^done jfk\.wav → meeting [0-9a-f-]{36}$/m);
    expect(imported.stderr).toContain(`error NOT_MEDIA: ${notes}:`);

    const jobs = await cli(['jobs', '--data-dir', dataDir]);
    expect(jobs.code).toBe(0);
    const rows = jobs.stdout.trim().split('\n');
    expect(rows).toHaveLength(2);
    expect(rows.some((row) => /import\s+succeeded\s+100% attempts 1\/\d jfk\.wav$/.test(row))).toBe(true);
    expect(rows.some((row) => /import\s+failed .* notes\.m4a NOT_MEDIA: /.test(row))).toBe(true);

    // A phrase the import stored, looked up through the CLI.
    const db = openLibraryDatabase(dataDir);
    if (!db.ok) throw new Error(db.error.message);
    const library = new SqliteLibraryStore(db.value);
    const meetings = library.listMeetings();
    const ready = meetings.ok ? meetings.value.find((meeting) => meeting.status === 'ready') : undefined;
    const transcript = ready ? library.getTranscript(ready.id) : null;
    db.value.close();
    const segment = transcript?.ok
      ? transcript.value.segments.find((candidate) => candidate.text.trim().split(/\s+/).length >= 2)
      : undefined;
    if (!segment || !ready) throw new Error('nothing stored to search for');
    const phrase = segment.text.trim().split(/\s+/).slice(0, 2).join(' ');
    const found = await cli(['search', phrase, '--data-dir', dataDir]);
    expect(found.code).toBe(0);
    expect(found.stdout).toContain(`(meeting ${ready.id}, segment ${segment.id})`);
    const nothing = await cli(['search', 'qqqzzzxxx', '--data-dir', dataDir]);
    expect(nothing.code).toBe(1);
  }, 180_000);

  it('with --diarize, waits for who-spoke-when too and stores the speaker turns', async () => {
    const separate = path.join(temp.dir, 'diarized');
    const twoSpeakers = path.join(SHARED_AUDIO, 'two-speakers.wav');
    const imported = await cli([
      'import',
      twoSpeakers,
      '--diarize',
      '--data-dir',
      separate,
      '--model-dir',
      TINY_MULTILINGUAL,
      '--models-dir',
      TINY_DIARIZATION,
      '--dtype',
      'fp32',
      '--device',
      'cpu',
    ]);
    expect(imported.code).toBe(0);
    expect(imported.stderr).toMatch(/^done two-speakers\.wav → meeting [0-9a-f-]{36}$/m);
    expect(imported.stderr).toMatch(/^done speakers of two-speakers → meeting [0-9a-f-]{36}$/m);
    const jobs = await cli(['jobs', '--data-dir', separate]);
    expect(jobs.stdout).toMatch(/diarize\s+succeeded\s+100%/);
    const db = openLibraryDatabase(separate);
    if (!db.ok) throw new Error(db.error.message);
    const library = new SqliteLibraryStore(db.value);
    const meeting = library.listMeetings();
    const turns = meeting.ok && meeting.value[0] ? library.getSpeakerTurns(meeting.value[0].id) : null;
    db.value.close();
    expect(turns?.ok && turns.value.length).toBeGreaterThan(0);
  }, 180_000);
});
