/** Job rows and recorder events for the renderer's store tests. */
import type { JobSummary } from '../../src-shared/jobs';
import type { TranscriptSegment } from '../../src-shared/transcript';

export function jobRow(id: string, overrides: Partial<JobSummary> = {}): JobSummary {
  return {
    id,
    kind: 'import',
    state: 'queued',
    payload: { kind: 'import', path: `/media/${id}.m4a` },
    meetingId: `meeting-${id}`,
    title: `${id}.m4a`,
    progress: 0,
    stage: null,
    attempts: 0,
    maxAttempts: 3,
    lastError: null,
    result: null,
    cancelRequested: false,
    createdAt: '2025-01-01T10:00:00.000Z',
    updatedAt: '2025-01-01T10:00:00.000Z',
    startedAt: null,
    finishedAt: null,
    nextRunAt: null,
    ...overrides,
  };
}

export function segment(id: number, start: number, end: number, text: string): TranscriptSegment {
  return { id, start, end, text, speaker: null };
}
