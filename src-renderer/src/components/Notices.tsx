import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useApp } from '../store/store-context';
import type { Notice } from '../store/ui-slice';

function NoticeItem({ notice }: { notice: Notice }): React.JSX.Element {
  const { dismissNotice, navigate } = useApp(useShallow((state) => ({ dismissNotice: state.dismissNotice, navigate: state.navigate })));

  useEffect(() => {
    if (notice.tone === 'error') return undefined;
    const timer = window.setTimeout(() => dismissNotice(notice.id), notice.visibleMs);
    return () => window.clearTimeout(timer);
  }, [notice, dismissNotice]);

  return (
    <div className={`notice-toast notice-${notice.tone}`} role={notice.tone === 'error' ? 'alert' : 'status'} data-testid="notice">
      <span>{notice.text}</span>
      {notice.action !== null && (
        <button
          type="button"
          className="btn btn-small"
          data-testid="notice-action"
          onClick={() => {
            notice.action?.run();
            dismissNotice(notice.id);
          }}
        >
          {notice.action.label}
        </button>
      )}
      {notice.goTo !== null && (
        <button
          type="button"
          className="btn-link"
          onClick={() => {
            if (notice.goTo !== null) navigate(notice.goTo);
            dismissNotice(notice.id);
          }}
        >
          Show {notice.goTo}
        </button>
      )}
      <button type="button" className="btn-icon" aria-label="Dismiss" onClick={() => dismissNotice(notice.id)}>
        ×
      </button>
    </div>
  );
}

export function Notices(): React.JSX.Element {
  const notices = useApp((state) => state.notices);
  return (
    <section className="notices" aria-label="Notifications">
      {notices.map((notice) => (
        <NoticeItem key={notice.id} notice={notice} />
      ))}
    </section>
  );
}
