/** The built renderer (`out/renderer`, made by `npm run build`), served read-only from inside its folder. */
import { createReadStream, existsSync } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, relative, resolve, isAbsolute, sep } from 'node:path';
import { sendText } from './http-responses';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

export const RENDERER_MISSING = 'The renderer is not built yet: run `npm run build` once, then start `npm run serve` again.';

export function rendererBuilt(rendererDir: string): boolean {
  return existsSync(join(rendererDir, 'index.html'));
}

/** `urlPath` is the request's path, still percent-encoded. */
export async function serveStatic(rendererDir: string, urlPath: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (!rendererBuilt(rendererDir)) return sendText(response, 503, RENDERER_MISSING);
  const named = resolveInside(rendererDir, urlPath === '/' ? '/index.html' : urlPath);
  // A symbolic link inside the folder may point anywhere: what is served is where it really leads, and only inside.
  const file = named ? await realPathInside(rendererDir, named) : null;
  const info = file ? await stat(file).catch(() => null) : null;
  if (!file || !info?.isFile()) return sendText(response, 404, 'Not found.');
  response.writeHead(200, {
    'Content-Type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': info.size,
    // Vite fingerprints assets; index.html must be fetched fresh to pick up a new build.
    'Cache-Control': file.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  if (request.method === 'HEAD') return void response.end();
  createReadStream(file)
    .on('error', () => response.destroy())
    .pipe(response);
}

/** The file a URL path names inside `root`, or null for anything that would leave it or names a dotfile. */
function resolveInside(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const base = resolve(root);
  const file = resolve(base, `.${decoded}`);
  const rel = relative(base, file);
  if (rel.length === 0 || rel.startsWith('..') || isAbsolute(rel)) return null;
  if (rel.split(sep).some((part) => part.startsWith('.'))) return null;
  return file;
}

/** The file's real path (every symbolic link followed), or null when it lies outside the folder's real path. */
async function realPathInside(root: string, file: string): Promise<string | null> {
  try {
    const [realRoot, realFile] = await Promise.all([realpath(root), realpath(file)]);
    const rel = relative(realRoot, realFile);
    return rel.length === 0 || rel.startsWith('..') || isAbsolute(rel) ? null : realFile;
  } catch {
    return null;
  }
}
