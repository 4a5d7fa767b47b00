import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { errorMessage } from '../../../src-shared/errors';
import { fail, ok, type Result } from '../../../src-shared/result';
import { writeFileAtomic, type ProcessIdentity } from './durable-fs';
import { validateLayout, type WavSampleFormat } from './wav-format';

/**
 * `<name>.recording.json`, next to the audio: present from the first byte of a recording, rewritten
 * atomically when a segment starts and at the end. `finalized: false` with a dead owner = interrupted.
 */
export interface RecordingSidecar {
  format: 'verbatim-recording';
  version: 1;
  name: string;
  sampleRate: number;
  channels: number;
  sampleFormat: WavSampleFormat;
  maxSegmentBytes: number;
  startedAt: string;
  owner: ProcessIdentity;
  /** Segment file names (in the same folder), in playing order. */
  segments: string[];
  finalized: boolean;
  finishedAt?: string;
  frames?: number;
  seconds?: number;
  /** Set when recovery, not the recorder, finished the recording. */
  recovered?: { at: string; fixes: string[] };
}

export const SIDECAR_SUFFIX = '.recording.json';

export function sidecarPath(dir: string, name: string): string {
  return path.join(dir, `${name}${SIDECAR_SUFFIX}`);
}

export function segmentFileName(name: string, index: number): string {
  return `${name}.part-${String(index).padStart(3, '0')}.wav`;
}

/** Segment number of `file` if it is one of `name`'s segments. */
export function segmentIndexOf(name: string, file: string): number | undefined {
  const prefix = `${name}.part-`;
  if (!file.startsWith(prefix) || !file.endsWith('.wav')) return undefined;
  const digits = file.slice(prefix.length, -'.wav'.length);
  return /^\d{3,}$/.test(digits) ? Number(digits) : undefined;
}

export function validateRecordingName(name: string): Result<string, 'BAD_NAME'> {
  if (name === '' || name === '.' || name === '..' || /[/\\\0]/.test(name) || name.endsWith('.tmp')) {
    return fail('BAD_NAME', `"${name}" is not usable as a file name`);
  }
  return ok(name);
}

export async function writeSidecar(dir: string, sidecar: RecordingSidecar): Promise<void> {
  await writeFileAtomic(sidecarPath(dir, sidecar.name), `${JSON.stringify(sidecar, null, 2)}\n`);
}

export type SidecarReadCode = 'SIDECAR_UNREADABLE' | 'SIDECAR_INVALID';

export async function readSidecar(file: string): Promise<Result<RecordingSidecar, SidecarReadCode>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return fail('SIDECAR_UNREADABLE', errorMessage(error), file);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return fail('SIDECAR_INVALID', 'not JSON', file);
  }
  return isSidecar(value) ? ok(value) : fail('SIDECAR_INVALID', 'not a verbatim-recording v1 document', file);
}

function isSidecar(value: unknown): value is RecordingSidecar {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<RecordingSidecar>;
  return (
    v.format === 'verbatim-recording' &&
    v.version === 1 &&
    typeof v.name === 'string' &&
    validateRecordingName(v.name).ok &&
    validateLayout({ sampleRate: Number(v.sampleRate), channels: Number(v.channels), sampleFormat: v.sampleFormat as WavSampleFormat })
      .ok &&
    typeof v.maxSegmentBytes === 'number' &&
    typeof v.startedAt === 'string' &&
    typeof v.owner === 'object' &&
    v.owner !== null &&
    typeof v.owner.pid === 'number' &&
    Array.isArray(v.segments) &&
    v.segments.every((segment) => typeof segment === 'string' && segmentIndexOf(v.name ?? '', segment) !== undefined) &&
    typeof v.finalized === 'boolean'
  );
}
