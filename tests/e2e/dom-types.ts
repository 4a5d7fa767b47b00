/**
 * The few DOM shapes the end-to-end tests read inside the page (the test code is compiled without the DOM
 * library, so as not to let browser globals into the engine's compilation). Use them as casts inside
 * functions handed to `evaluate`: type-only, nothing is imported into the page.
 */
export interface AudioElementLike {
  currentTime: number;
  duration: number;
  paused: boolean;
  readyState: number;
  error: unknown;
  pause(): void;
}

export interface ElementLike {
  getAttribute(name: string): string | null;
  closest(selector: string): ElementLike | null;
  scrollWidth: number;
  clientWidth: number;
}

export interface WindowLike {
  document: { activeElement: ElementLike | null; documentElement: { scrollWidth: number } };
  getComputedStyle(element: unknown): { opacity: string };
}
