import { open, readdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import { errorMessage } from '../../../src-shared/errors';
import type { CodedError } from '../../../src-shared/result';
import { fail } from '../../../src-shared/result';
import { fsyncDirectory, isProcessAlive } from './durable-fs';
import { readSidecar, segmentIndexOf, SIDECAR_SUFFIX, writeSidecar, type RecordingSidecar } from './recording-sidecar';
import { cleanTempFiles } from './temp-files';
import { buildWavHeader, parseWavHeader, RIFF_SIZE_OFFSET, type WavLayout } from './wav-format';

export type RecoveryErrorCode = 'SIDECAR_UNREADABLE' | 'SIDECAR_INVALID' | 'RECOVERY_FAILED';

export interface RecoveryReport {
  name: string;
  sidecarPath: string;
  /** `owner-alive`: the recording process still runs; nothing was touched. */
  status: 'recovered' | 'owner-alive' | 'failed';
  paths: string[];
  frames: number;
  seconds: number;
  startedAt: string | null;
  ownerPid: number | null;
  /** What was repaired, one line each (empty when the files were already consistent). */
  fixes: string[];
  error?: CodedError<RecoveryErrorCode>;
}

export interface RecoveryResult {
  recordings: RecoveryReport[];
  removedTempFiles: string[];
}

/**
 * At start-up: finishes every recording in `dir` whose process died before `finalize` (sidecar not
 * finalized, owner gone). Each segment is repaired from its real length (RIFF size = file size − 8,
 * `data` size = the bytes after its header, cut to whole frames), fsynced, and the sidecar is marked
 * finalized. A recording whose owner still runs is reported and left alone. Leftover temp files go too.
 */
export async function recoverInterruptedRecordings(dir: string): Promise<RecoveryResult> {
  const removedTempFiles = await cleanTempFiles(dir);
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch {
    return { recordings: [], removedTempFiles };
  }
  const recordings: RecoveryReport[] = [];
  for (const entry of entries.filter((file) => file.endsWith(SIDECAR_SUFFIX)).sort()) {
    const report = await recoverOne(dir, entry, entries);
    if (report) recordings.push(report);
  }
  return { recordings, removedTempFiles };
}

async function recoverOne(dir: string, sidecarFile: string, entries: string[]): Promise<RecoveryReport | undefined> {
  const file = path.join(dir, sidecarFile);
  const base: RecoveryReport = {
    name: sidecarFile.slice(0, -SIDECAR_SUFFIX.length),
    sidecarPath: file,
    status: 'failed',
    paths: [],
    frames: 0,
    seconds: 0,
    startedAt: null,
    ownerPid: null,
    fixes: [],
  };
  const read = await readSidecar(file);
  if (!read.ok) return { ...base, error: read.error };
  const sidecar = read.value;
  if (sidecar.finalized) return undefined;
  const report: RecoveryReport = { ...base, name: sidecar.name, startedAt: sidecar.startedAt, ownerPid: sidecar.owner.pid };
  if (isProcessAlive(sidecar.owner))
    return { ...report, status: 'owner-alive', paths: sidecar.segments.map((segment) => path.join(dir, segment)) };
  try {
    return await repairRecording(dir, sidecar, entries, report);
  } catch (error) {
    // The sidecar stays unfinalized: the next start tries again.
    return { ...report, error: fail('RECOVERY_FAILED', errorMessage(error), file).error };
  }
}

async function repairRecording(dir: string, sidecar: RecordingSidecar, entries: string[], report: RecoveryReport): Promise<RecoveryReport> {
  // The folder is the truth: a crash between creating a segment and rewriting the sidecar leaves one unlisted.
  const onDisk = entries.filter((entry) => segmentIndexOf(sidecar.name, entry) !== undefined);
  const names = [...new Set([...sidecar.segments, ...onDisk])].sort(
    (a, b) => (segmentIndexOf(sidecar.name, a) ?? 0) - (segmentIndexOf(sidecar.name, b) ?? 0),
  );
  const expected: WavLayout = { sampleRate: sidecar.sampleRate, channels: sidecar.channels, sampleFormat: sidecar.sampleFormat };
  const fixes: string[] = [];
  const kept: string[] = [];
  let frames = 0;
  for (const [position, name] of names.entries()) {
    if (!onDisk.includes(name)) {
      fixes.push(`${name}: listed but missing`);
      continue;
    }
    const segment = path.join(dir, name);
    const repaired = await repairWavFile(segment, expected);
    // An empty trailing segment (crash right after a rollover) holds nothing; the first one stays as the recording.
    if (repaired.frames === 0 && position > 0) {
      await unlink(segment);
      fixes.push(`${name}: removed (no audio)`);
      continue;
    }
    fixes.push(...repaired.fixes.map((fix) => `${name}: ${fix}`));
    kept.push(name);
    frames += repaired.frames;
  }
  await fsyncDirectory(dir);
  const now = new Date().toISOString();
  const seconds = frames / sidecar.sampleRate;
  await writeSidecar(dir, { ...sidecar, segments: kept, finalized: true, finishedAt: now, frames, seconds, recovered: { at: now, fixes } });
  return { ...report, status: 'recovered', paths: kept.map((name) => path.join(dir, name)), frames, seconds, fixes };
}

export interface RepairedWav {
  frames: number;
  fixes: string[];
}

/**
 * Makes a WAV's header agree with its real length, dropping a trailing partial frame. A header that
 * never reached the disk (power loss just after the file was created) is rebuilt from `expected`, the
 * layout the writer used. Idempotent: a consistent file is not written to.
 */
export async function repairWavFile(file: string, expected: WavLayout): Promise<RepairedWav> {
  const handle = await open(file, 'r+');
  try {
    const { size } = await handle.stat();
    const head = Buffer.alloc(Math.min(size, 64 * 1024));
    await handle.read(head, 0, head.length, 0);
    const fixes: string[] = [];
    const parsed = parseWavHeader(head);
    let header: { dataStart: number; dataSizeOffset: number; blockAlign: number };
    let declaredRiff: number | undefined;
    let declaredData: number | undefined;
    if (parsed.ok) {
      header = parsed.value;
      declaredRiff = parsed.value.declaredRiffBytes;
      declaredData = parsed.value.declaredDataBytes;
    } else {
      const rebuilt = buildWavHeader(expected);
      await handle.write(rebuilt.bytes, 0, rebuilt.bytes.length, 0);
      fixes.push(`rebuilt the header (${parsed.error.message})`);
      header = rebuilt;
    }
    const available = Math.max(0, size - header.dataStart);
    const dataBytes = available - (available % header.blockAlign);
    if (dataBytes < available) {
      await handle.truncate(header.dataStart + dataBytes);
      fixes.push(`dropped ${available - dataBytes} bytes of a partial frame`);
    }
    const riffBytes = header.dataStart - 8 + dataBytes;
    const field = Buffer.alloc(4);
    // A rebuilt header gets its sizes here too; that is part of "rebuilt", not a separate fix.
    const sizesWereRead = parsed.ok;
    if (declaredRiff !== riffBytes) {
      field.writeUInt32LE(riffBytes, 0);
      await handle.write(field, 0, 4, RIFF_SIZE_OFFSET);
      if (sizesWereRead) fixes.push(`RIFF size ${declaredRiff} → ${riffBytes}`);
    }
    if (declaredData !== dataBytes) {
      field.writeUInt32LE(dataBytes, 0);
      await handle.write(field, 0, 4, header.dataSizeOffset);
      if (sizesWereRead) fixes.push(`data size ${declaredData} → ${dataBytes}`);
    }
    if (fixes.length > 0 || !parsed.ok) await handle.sync();
    return { frames: dataBytes / header.blockAlign, fixes };
  } finally {
    await handle.close();
  }
}
