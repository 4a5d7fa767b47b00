import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CrashSafeWavWriter } from '../../../src-main/record/disk/crash-safe-wav-writer';
import { currentProcessIdentity } from '../../../src-main/record/disk/durable-fs';
import { recoverInterruptedRecordings } from '../../../src-main/record/disk/recover';
import type { RecordingSidecar } from '../../../src-main/record/disk/recording-sidecar';
import { cleanTempFiles } from '../../../src-main/record/disk/temp-files';
import { makeTempDir } from '../../audio/helpers';
import { counterSamples, decodeS16, firstCounterBreak } from './wav-test-helpers';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function tempDir(): Promise<string> {
  const { dir, cleanup } = await makeTempDir('wav-recovery');
  cleanups.push(cleanup);
  return dir;
}

/** The pid of a process that has exited (and been reaped). */
function deadPid(): number {
  const finished = spawnSync(process.execPath, ['-e', '']);
  if (finished.pid === undefined) throw new Error('could not spawn');
  return finished.pid;
}

async function record(
  dir: string,
  name: string,
  frames: number,
  maxSegmentBytes: number,
): Promise<{ writer: CrashSafeWavWriter; paths: string[] }> {
  const opened = await CrashSafeWavWriter.open({ dir, name, format: { sampleRate: 8000, channels: 2 }, maxSegmentBytes });
  if (!opened.ok) throw new Error(opened.error.message);
  const written = opened.value.write(counterSamples(0, frames * 2));
  if (!written.ok) throw new Error(written.error.message);
  return { writer: opened.value, paths: [...opened.value.segmentPaths] };
}

function readSidecar(file: string): RecordingSidecar {
  return JSON.parse(readFileSync(file, 'utf8')) as RecordingSidecar;
}

describe('recoverInterruptedRecordings', () => {
  it('repairs every segment of a dead recording from its real length and finalizes the sidecar', async () => {
    const dir = await tempDir();
    // 44 + 250 frames · 4 bytes per segment; 1000 frames → 4 full segments.
    const { writer } = await record(dir, 'crashed', 1000, 44 + 1000);
    const finalized = await writer.finalize();
    if (!finalized.ok) throw new Error(finalized.error.message);
    const [first, second, third, fourth] = finalized.value.paths;
    if (!first || !second || !third || !fourth) throw new Error('expected 4 segments');
    // Make it look like a process that died at different moments of each segment's life:
    const patch = (file: string, offset: number, bytes: Buffer): void => {
      const content = readFileSync(file);
      bytes.copy(content, offset);
      writeFileSync(file, content);
    };
    patch(first, 4, Buffer.alloc(4)); // RIFF size never patched
    patch(first, 40, Buffer.alloc(4)); // data size never patched
    patch(second, 0, Buffer.alloc(44)); // header lost (power cut just after the file was created)
    appendFileSync(third, Buffer.from([1, 2, 3])); // a partial frame at the end (RIFF size was patched before it)
    patch(third, 40, Buffer.from([0x10, 0, 0, 0])); // data size behind
    // A rollover the sidecar never heard of, holding nothing.
    writeFileSync(path.join(dir, 'crashed.part-005.wav'), readFileSync(fourth).subarray(0, 44));
    const sidecarFile = path.join(dir, 'crashed.recording.json');
    const sidecar = readSidecar(sidecarFile);
    const dead = deadPid();
    writeFileSync(
      sidecarFile,
      JSON.stringify({
        ...sidecar,
        finalized: false,
        frames: undefined,
        segments: sidecar.segments.slice(0, 2),
        owner: { pid: dead, startTicks: null },
      }),
    );

    const result = await recoverInterruptedRecordings(dir);
    expect(result.recordings).toHaveLength(1);
    const report = result.recordings[0];
    expect(report).toMatchObject({
      name: 'crashed',
      status: 'recovered',
      frames: 1000,
      seconds: 1000 / 8000,
      ownerPid: dead,
      paths: [first, second, third, fourth],
    });
    expect(report?.fixes).toEqual([
      'crashed.part-001.wav: RIFF size 0 → 1036',
      'crashed.part-001.wav: data size 0 → 1000',
      'crashed.part-002.wav: rebuilt the header (no RIFF/WAVE signature)',
      'crashed.part-003.wav: dropped 3 bytes of a partial frame',
      'crashed.part-003.wav: data size 16 → 1000',
      'crashed.part-005.wav: removed (no audio)',
    ]);
    const decoded = await decodeS16(report?.paths ?? []);
    expect(decoded.length).toBe(2000);
    expect(firstCounterBreak(decoded)).toBe(-1);
    expect(existsSync(path.join(dir, 'crashed.part-005.wav'))).toBe(false);
    expect(readSidecar(sidecarFile)).toMatchObject({
      finalized: true,
      frames: 1000,
      segments: report?.paths.map((file) => path.basename(file)),
    });
    // Idempotent: nothing left to recover.
    expect((await recoverInterruptedRecordings(dir)).recordings).toEqual([]);
  });

  it('does not touch a recording whose process is alive, but does recover one whose pid was reused', async () => {
    const dir = await tempDir();
    const { writer, paths } = await record(dir, 'live', 4000, 2 ** 31 - 1);
    expect((await writer.sync()).ok).toBe(true);
    const sidecarFile = path.join(dir, 'live.recording.json');
    const audioBefore = readFileSync(paths[0] ?? '');
    const sidecarBefore = readFileSync(sidecarFile);
    const result = await recoverInterruptedRecordings(dir);
    expect(result.recordings).toEqual([expect.objectContaining({ name: 'live', status: 'owner-alive', ownerPid: process.pid, fixes: [] })]);
    expect(readFileSync(paths[0] ?? '').equals(audioBefore)).toBe(true);
    expect(readFileSync(sidecarFile).equals(sidecarBefore)).toBe(true);
    // Still recording fine afterwards.
    expect(writer.write(counterSamples(8000, 2000)).ok).toBe(true);
    const finalized = await writer.finalize();
    expect(finalized.ok && finalized.value.frames).toBe(5000);

    // Same pid, different process start time: the pid was reused, the recorder is gone.
    if (currentProcessIdentity().startTicks === null) return; // no /proc: only the pid is known
    const { writer: orphan } = await record(dir, 'reused', 800, 2 ** 31 - 1);
    expect((await orphan.sync()).ok).toBe(true);
    const orphanSidecar = path.join(dir, 'reused.recording.json');
    writeFileSync(orphanSidecar, JSON.stringify({ ...readSidecar(orphanSidecar), owner: { pid: process.pid, startTicks: '1' } }));
    const recovered = await recoverInterruptedRecordings(dir);
    expect(recovered.recordings).toMatchObject([{ name: 'reused', status: 'recovered', frames: 800 }]);
    await orphan.finalize(); // closes its descriptor; the sidecar was already finalized by recovery
  });

  it('removes stale temp files (dead owner or no owner) and keeps a live process write in flight', async () => {
    const dir = await tempDir();
    const dead = deadPid();
    const stale = [`a.recording.json.${dead}-1.tmp`, 'leftover.tmp'];
    const live = `b.recording.json.${process.pid}-7.tmp`;
    for (const file of [...stale, live, 'keep.wav']) writeFileSync(path.join(dir, file), '{"partial":');
    const result = await recoverInterruptedRecordings(dir);
    expect(result.removedTempFiles.sort()).toEqual(stale.map((file) => path.join(dir, file)).sort());
    expect(readdirSync(dir).sort()).toEqual([live, 'keep.wav'].sort());
    // The owner itself removes its own, once it is done writing them.
    expect(await cleanTempFiles(dir, { ownPid: process.pid })).toEqual([path.join(dir, live)]);
  });

  it('reports an unreadable sidecar and leaves its files alone', async () => {
    const dir = await tempDir();
    writeFileSync(path.join(dir, 'broken.recording.json'), '{"format": "verbatim-rec');
    writeFileSync(path.join(dir, 'broken.part-001.wav'), 'RIFF');
    const result = await recoverInterruptedRecordings(dir);
    expect(result.recordings).toMatchObject([{ name: 'broken', status: 'failed', error: { code: 'SIDECAR_INVALID' } }]);
    expect(readFileSync(path.join(dir, 'broken.part-001.wav'), 'utf8')).toBe('RIFF');
  });
});
