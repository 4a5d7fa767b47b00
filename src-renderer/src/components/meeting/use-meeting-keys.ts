import { useEffect, useRef } from 'react';

/** Elements where Space types or activates something of their own. */
const SPACE_OWNERS =
  'input, textarea, select, button, a[href], summary, audio, video, [contenteditable="true"], [role="checkbox"], [role="radio"], [role="switch"], [role="button"]';

/**
 * Space plays and pauses from anywhere but a control that uses it; the transcript's own controls (play
 * from here, speaker, edit: the ones arrow keys move between) and the timeline count as the player's.
 */
function spaceBelongsTo(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.closest('[data-col], .timeline') !== null) return false;
  return target.closest(SPACE_OWNERS) !== null;
}

export interface MeetingKeyActions {
  togglePlayback(): void;
  openSearch(): void;
}

/**
 * The meeting view's keys: Space plays and pauses (unless focus is in a field or on a button of its own),
 * Ctrl+F / Cmd+F opens the search in this meeting. Nothing while a dialog is open.
 */
export function useMeetingKeys(actions: MeetingKeyActions, enabled: boolean): void {
  const latest = useRef(actions);
  latest.current = actions;
  useEffect(() => {
    if (!enabled) return undefined;
    const onKey = (event: KeyboardEvent): void => {
      if (event.defaultPrevented || document.querySelector('[role="dialog"][aria-modal="true"]') !== null) return;
      if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 'f') {
        event.preventDefault();
        latest.current.openSearch();
        return;
      }
      if (event.key === ' ' && !event.ctrlKey && !event.metaKey && !event.altKey && !spaceBelongsTo(event.target)) {
        event.preventDefault();
        latest.current.togglePlayback();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled]);
}
