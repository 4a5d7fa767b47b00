/** Opening a real workspace (SQLite, ffmpeg, the transcriber child on the generated tiny Whisper) and waiting on its jobs. */
import type { JobState, JobSummary } from '../../../src-shared/jobs';
import { openWorkspace, type WorkspaceOptions } from '../../../src-main/app/workspace';
import type { Workspace } from '../../../src-main/jobs/workspace';
import { TINY_MULTILINGUAL } from '../../support/paths';

export const FINAL_STATES: readonly JobState[] = ['succeeded', 'failed', 'cancelled'];

/** The tiny generated model for every job, on CPU. */
export async function openTestWorkspace(dataDir: string, options: Partial<WorkspaceOptions> = {}): Promise<Workspace> {
  const opened = await openWorkspace({ dataDir, device: 'cpu', defaults: { modelDir: TINY_MULTILINGUAL, dtype: 'fp32' }, ...options });
  if (!opened.ok) throw new Error(`${opened.error.code}: ${opened.error.message}`);
  return opened.value;
}

/** Resolves with each job's final row once every one of `jobIds` has ended (or throws after `timeoutMs`). */
export function untilFinal(workspace: Workspace, jobIds: readonly string[], timeoutMs: number): Promise<Map<string, JobSummary>> {
  const finished = new Map<string, JobSummary>();
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      for (const id of jobIds) {
        if (finished.has(id)) continue;
        const job = workspace.jobs.get(id);
        if (job.ok && FINAL_STATES.includes(job.value.state)) finished.set(id, job.value);
      }
      return finished.size === jobIds.length;
    };
    const done = (): void => {
      clearTimeout(timer);
      unsubscribe();
      resolve(finished);
    };
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`${jobIds.length - finished.size} of ${jobIds.length} jobs still open after ${timeoutMs} ms`));
    }, timeoutMs);
    const unsubscribe = workspace.jobs.onEvent((event) => {
      if (event.type === 'changed' && FINAL_STATES.includes(event.job.state) && check()) done();
    });
    if (check()) done();
  });
}

export function enqueuedIds(results: ReturnType<Workspace['importFiles']>): string[] {
  return results.map((result) => {
    if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
    return result.value.id;
  });
}
