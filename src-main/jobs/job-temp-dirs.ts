/** Per-attempt temporary folders under one root that only this queue uses. */
import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { errorMessage } from '../../src-shared/errors';
import type { JobSummary } from '../../src-shared/jobs';
import { fail, ok, type Result } from '../../src-shared/result';

export function attemptTempDir(tempRoot: string, job: Pick<JobSummary, 'id' | 'attempts'>): string {
  return path.join(tempRoot, `${job.id}-${job.attempts}`);
}

/** Creates the root and empties it: whatever is there was left by a process that died mid-attempt. */
export async function sweepTempRoot(tempRoot: string): Promise<Result<void>> {
  try {
    await mkdir(tempRoot, { recursive: true });
    const entries = await readdir(tempRoot);
    await Promise.all(entries.map((entry) => rm(path.join(tempRoot, entry), { recursive: true, force: true })));
    return ok(undefined);
  } catch (error) {
    return fail('JOB_TEMP_DIR_FAILED', `cannot clear the jobs' temporary folder: ${errorMessage(error)}`, tempRoot);
  }
}
