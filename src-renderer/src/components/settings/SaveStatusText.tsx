import { ErrorMessage } from '../ErrorMessage';
import type { SaveStatus } from './use-save-status';

export function SaveStatusText({ status }: { status: SaveStatus }): React.JSX.Element | null {
  switch (status.kind) {
    case 'idle':
      return null;
    case 'saving':
      return <span className="save-status muted">Saving…</span>;
    case 'saved':
      return (
        <span className="save-status save-ok" role="status">
          Saved
        </span>
      );
    case 'failed':
      return <ErrorMessage error={status.error} prefix="Could not save:" />;
  }
}
