import type { MeetingStatus } from '../../../../src-shared/library';

const LABELS: Record<MeetingStatus, string> = {
  recording: 'Recording',
  queued: 'Queued',
  transcribing: 'Transcribing',
  ready: 'Ready',
  failed: 'Failed',
};

export function MeetingStatusBadge({ status }: { status: MeetingStatus }): React.JSX.Element {
  return <span className={`badge badge-${status}`}>{LABELS[status]}</span>;
}
