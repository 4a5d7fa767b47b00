/**
 * The app page's Content-Security-Policy. Scripts only from the app itself (no eval, no inline script),
 * media from the app and the verbatim-media: protocol (meeting playback), nothing embeddable, no forms.
 */

export interface CspOptions {
  /** The Vite dev server's origin (http://localhost:5173) in development; null in the built app. */
  devServerOrigin: string | null;
}

export type CspDirectives = ReadonlyArray<readonly [directive: string, sources: readonly string[]]>;

export function contentSecurityPolicyDirectives(options: CspOptions): CspDirectives {
  const dev = options.devServerOrigin;
  // Vite's client reaches its dev server over HTTP and a WebSocket (hot reload); the built app connects nowhere.
  const devConnect = dev === null ? [] : [dev, dev.replace(/^http/, 'ws')];
  return [
    ['default-src', ["'self'"]],
    ['script-src', ["'self'"]],
    // React sets style attributes; inline styles cannot run code.
    ['style-src', ["'self'", "'unsafe-inline'"]],
    ['img-src', ["'self'", 'data:', 'blob:']],
    ['media-src', ["'self'", 'verbatim-media:', 'blob:']],
    ['connect-src', ["'self'", ...devConnect]],
    ['object-src', ["'none'"]],
    ['base-uri', ["'none'"]],
    ['form-action', ["'none'"]],
    ['frame-ancestors', ["'none'"]],
  ];
}

export function contentSecurityPolicy(options: CspOptions): string {
  return contentSecurityPolicyDirectives(options)
    .map(([directive, sources]) => `${directive} ${sources.join(' ')}`)
    .join('; ');
}

/** Response headers with the app's CSP replacing any the response brought (header names are case-insensitive). */
export function withContentSecurityPolicy(
  responseHeaders: Readonly<Record<string, string | string[]>> | undefined,
  policy: string,
): Record<string, string | string[]> {
  const kept = Object.entries(responseHeaders ?? {}).filter(([name]) => name.toLowerCase() !== 'content-security-policy');
  return { ...Object.fromEntries(kept), 'Content-Security-Policy': [policy] };
}
