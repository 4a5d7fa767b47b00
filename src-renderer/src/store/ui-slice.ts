/** Navigation and transient notices. */
import type { SliceCreator } from './types';

export type NavScreen = 'record' | 'library' | 'queue' | 'settings';
export type ScreenName = NavScreen | 'meeting';

export interface Route {
  screen: ScreenName;
  meetingId: string | null;
  /** Where the meeting view should start playing from (a search hit), in seconds. */
  seekTo: number | null;
  /** Bumped on every openMeeting, so opening the same time twice seeks twice. */
  seekRequest: number;
}

export type NoticeTone = 'info' | 'error';

export interface NoticeAction {
  label: string;
  run(): void;
}

export interface Notice {
  id: number;
  text: string;
  tone: NoticeTone;
  /** A screen the notice offers to go to ("See queue"). */
  goTo: NavScreen | null;
  /** A button on the notice ("Undo"). */
  action: NoticeAction | null;
  /** How long an info notice stays; errors stay until dismissed. */
  visibleMs: number;
}

export interface NoticeOptions {
  goTo?: NavScreen | null;
  action?: NoticeAction | null;
  visibleMs?: number;
}

export interface UiSlice {
  route: Route;
  notices: Notice[];
  /** Whether the engine is reachable (the bridge's socket is up); Electron is always connected. */
  connected: boolean;
  navigate(screen: NavScreen): void;
  openMeeting(meetingId: string, seekTo?: number | null): void;
  /** Returns the notice's id. `goTo` may be given alone for the common "Show queue" case. */
  pushNotice(text: string, tone?: NoticeTone, options?: NavScreen | null | NoticeOptions): number;
  dismissNotice(id: number): void;
  setConnected(connected: boolean): void;
}

export const NOTICE_VISIBLE_MS = 6000;

const MAX_NOTICES = 4;

export const createUiSlice: SliceCreator<UiSlice> = (set) => {
  let nextNoticeId = 1;
  return {
    route: { screen: 'record', meetingId: null, seekTo: null, seekRequest: 0 },
    notices: [],
    connected: true,
    navigate(screen) {
      set((state) => ({ route: { ...state.route, screen, seekTo: null } }));
    },
    openMeeting(meetingId, seekTo = null) {
      set((state) => ({ route: { screen: 'meeting', meetingId, seekTo, seekRequest: state.route.seekRequest + 1 } }));
    },
    pushNotice(text, tone = 'info', options = null) {
      const given: NoticeOptions = options === null || typeof options === 'string' ? { goTo: options } : options;
      const notice: Notice = {
        id: nextNoticeId,
        text,
        tone,
        goTo: given.goTo ?? null,
        action: given.action ?? null,
        visibleMs: given.visibleMs ?? NOTICE_VISIBLE_MS,
      };
      nextNoticeId += 1;
      set((state) => ({ notices: [...state.notices, notice].slice(-MAX_NOTICES) }));
      return notice.id;
    },
    dismissNotice(id) {
      set((state) => ({ notices: state.notices.filter((notice) => notice.id !== id) }));
    },
    setConnected(connected) {
      set({ connected });
    },
  };
};
