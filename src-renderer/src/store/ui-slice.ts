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

export interface Notice {
  id: number;
  text: string;
  tone: NoticeTone;
  /** A screen the notice offers to go to ("See queue"). */
  goTo: NavScreen | null;
}

export interface UiSlice {
  route: Route;
  notices: Notice[];
  navigate(screen: NavScreen): void;
  openMeeting(meetingId: string, seekTo?: number | null): void;
  pushNotice(text: string, tone?: NoticeTone, goTo?: NavScreen | null): void;
  dismissNotice(id: number): void;
}

const MAX_NOTICES = 4;

export const createUiSlice: SliceCreator<UiSlice> = (set) => {
  let nextNoticeId = 1;
  return {
    route: { screen: 'record', meetingId: null, seekTo: null, seekRequest: 0 },
    notices: [],
    navigate(screen) {
      set((state) => ({ route: { ...state.route, screen, seekTo: null } }));
    },
    openMeeting(meetingId, seekTo = null) {
      set((state) => ({ route: { screen: 'meeting', meetingId, seekTo, seekRequest: state.route.seekRequest + 1 } }));
    },
    pushNotice(text, tone = 'info', goTo = null) {
      const notice: Notice = { id: nextNoticeId, text, tone, goTo };
      nextNoticeId += 1;
      set((state) => ({ notices: [...state.notices, notice].slice(-MAX_NOTICES) }));
    },
    dismissNotice(id) {
      set((state) => ({ notices: state.notices.filter((notice) => notice.id !== id) }));
    },
  };
};
