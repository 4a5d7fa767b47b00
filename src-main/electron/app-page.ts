/**
 * Where the app's page comes from: the built index.html (file://), or the Vite dev server in development.
 * Whatever is loaded from here is the only page the main process trusts.
 */
import { pathToFileURL } from 'node:url';

export type AppPage = { kind: 'file'; url: string } | { kind: 'dev-server'; url: string; origin: string };

export interface AppPageInputs {
  isPackaged: boolean;
  /** ELECTRON_RENDERER_URL, set by `electron-vite dev`. */
  devServerUrl: string | undefined;
  rendererIndexPath: string;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

function parseUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

export function resolveAppPage(inputs: AppPageInputs): AppPage {
  const file: AppPage = { kind: 'file', url: pathToFileURL(inputs.rendererIndexPath).href };
  // A variable in the environment must not be able to point the installed app (and its trust) at another site.
  if (inputs.isPackaged || inputs.devServerUrl === undefined) return file;
  const dev = parseUrl(inputs.devServerUrl);
  if (dev === null || (dev.protocol !== 'http:' && dev.protocol !== 'https:') || !LOOPBACK_HOSTS.has(dev.hostname)) return file;
  return { kind: 'dev-server', url: dev.href, origin: dev.origin };
}

/** The dev server's origin, for the CSP; null for the built page. */
export function devServerOrigin(page: AppPage): string | null {
  return page.kind === 'dev-server' ? page.origin : null;
}

/** Whether a frame's URL (or a permission request's origin) is the app's own page. */
export function isAppUrl(url: string, page: AppPage): boolean {
  const candidate = parseUrl(url);
  if (candidate === null) return false;
  if (page.kind === 'dev-server') return candidate.origin === page.origin;
  // file:// URLs all share the opaque origin "null": only the app's own index.html counts, not any file on disk.
  const app = new URL(page.url);
  return candidate.protocol === 'file:' && candidate.host === app.host && candidate.pathname === app.pathname;
}
