/**
 * Segments of imports still being transcribed, held in memory so an open meeting can show them as they
 * come (the transcript is stored, as a whole, only when the file is done). One draft per meeting, dropped
 * when its job ends; a listener hears each batch of new segments.
 */
import type { TranscriptDraft } from '../../src-shared/ipc-contract';
import type { TranscriptSegment } from '../../src-shared/transcript';
import type { Logger } from '../../src-shared/logger';

export class TranscriptDrafts {
  private readonly drafts = new Map<string, { jobId: string; segments: TranscriptSegment[] }>();
  private readonly listeners = new Set<(draft: TranscriptDraft) => void>();

  constructor(private readonly logger: Logger) {}

  /** Starts the meeting's draft afresh (a retried attempt transcribes from the beginning again). */
  begin(meetingId: string, jobId: string): void {
    this.drafts.set(meetingId, { jobId, segments: [] });
  }

  append(meetingId: string, jobId: string, segments: readonly TranscriptSegment[]): void {
    let draft = this.drafts.get(meetingId);
    if (draft === undefined || draft.jobId !== jobId) {
      draft = { jobId, segments: [] };
      this.drafts.set(meetingId, draft);
    }
    const copies = segments.map((segment) => ({ ...segment }));
    draft.segments.push(...copies);
    for (const listener of this.listeners) {
      try {
        listener({ meetingId, jobId, segments: copies });
      } catch (error) {
        // A failing listener must not stop the transcription that feeds it.
        this.logger.warn(`A transcript draft listener threw for meeting ${meetingId}`, error);
      }
    }
  }

  get(meetingId: string): TranscriptSegment[] {
    return [...(this.drafts.get(meetingId)?.segments ?? [])];
  }

  end(meetingId: string): void {
    this.drafts.delete(meetingId);
  }

  onDraft(listener: (draft: TranscriptDraft) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
