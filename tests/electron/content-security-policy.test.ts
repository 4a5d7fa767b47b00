import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, withContentSecurityPolicy } from '../../src-main/electron/content-security-policy';

/** Parses a policy the way a browser reads it: directives separated by ';', sources by whitespace. */
function parsePolicy(policy: string): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name === undefined || name === '') continue;
    expect(directives.has(name), `directive ${name} given twice`).toBe(false);
    directives.set(name, sources);
  }
  return directives;
}

describe('content security policy of the built app', () => {
  const directives = parsePolicy(contentSecurityPolicy({ devServerOrigin: null }));

  it('runs scripts from the app only: no eval, no inline script, no other origin', () => {
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('default-src')).toEqual(["'self'"]);
  });

  it('never allows unsafe-eval, and unsafe-inline only for styles', () => {
    for (const [name, sources] of directives) {
      expect(sources, name).not.toContain("'unsafe-eval'");
      if (name !== 'style-src') expect(sources, name).not.toContain("'unsafe-inline'");
    }
    expect(directives.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
  });

  it('plays meeting media from verbatim-media: and blobs, and connects nowhere else', () => {
    expect(directives.get('media-src')).toEqual(["'self'", 'verbatim-media:', 'blob:']);
    expect(directives.get('img-src')).toEqual(["'self'", 'data:', 'blob:']);
    expect(directives.get('connect-src')).toEqual(["'self'"]);
  });

  it('shuts plugins, base rewriting, forms and framing', () => {
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('form-action')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
  });

  it('names exactly these directives', () => {
    expect([...directives.keys()].sort()).toEqual([
      'base-uri',
      'connect-src',
      'default-src',
      'form-action',
      'frame-ancestors',
      'img-src',
      'media-src',
      'object-src',
      'script-src',
      'style-src',
    ]);
  });
});

describe('content security policy in development', () => {
  const directives = parsePolicy(contentSecurityPolicy({ devServerOrigin: 'http://localhost:5173' }));

  it('lets the page reach the dev server (HTTP and its hot-reload WebSocket)', () => {
    expect(directives.get('connect-src')).toEqual(["'self'", 'http://localhost:5173', 'ws://localhost:5173']);
  });

  it('keeps scripts to the page itself', () => {
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
  });
});

describe('the CSP response header', () => {
  it('replaces a policy the response brought, whatever its case, and keeps the other headers', () => {
    const headers = withContentSecurityPolicy(
      { 'content-security-policy': ['default-src *'], 'Content-Type': ['text/html'] },
      "default-src 'self'",
    );
    expect(headers).toEqual({ 'Content-Type': ['text/html'], 'Content-Security-Policy': ["default-src 'self'"] });
  });

  it('adds the policy when the response had no headers', () => {
    expect(withContentSecurityPolicy(undefined, "default-src 'self'")).toEqual({ 'Content-Security-Policy': ["default-src 'self'"] });
  });
});
