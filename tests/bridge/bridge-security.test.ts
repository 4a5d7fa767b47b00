/**
 * The bridge lets in only this run's browser: no token, a wrong token, another site's origin or another
 * host name (DNS rebinding) get 403 on every route and on the WebSocket; it listens on loopback only.
 */
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { networkInterfaces } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppServices } from '../../src-main/api/types';
import { startBridge, type RunningBridge } from '../../src-main/bridge/bridge-server';
import { makeTempDir } from '../audio/helpers';
import { http, openTestServices, sessionCookie, upgradeStatus } from './bridge-helpers';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let services: AppServices;
let bridge: RunningBridge;
let origin: string;
const INDEX = '<!doctype html><title>Verbatim test page</title>';

beforeAll(async () => {
  temp = await makeTempDir('bridge-security');
  const rendererDir = path.join(temp.dir, 'renderer');
  await mkdir(path.join(rendererDir, 'assets'), { recursive: true });
  await writeFile(path.join(rendererDir, 'index.html'), INDEX);
  await writeFile(path.join(rendererDir, 'assets', 'app.js'), 'console.log("verbatim");');
  await writeFile(path.join(temp.dir, 'secret.txt'), 'outside the renderer');
  await symlink(path.join(temp.dir, 'secret.txt'), path.join(rendererDir, 'assets', 'linked.txt'));
  await mkdir(path.join(temp.dir, 'elsewhere'));
  await writeFile(path.join(temp.dir, 'elsewhere', 'secret.js'), 'outside the renderer');
  await symlink(path.join(temp.dir, 'elsewhere'), path.join(rendererDir, 'linked-dir'));
  await symlink(path.join(rendererDir, 'assets', 'app.js'), path.join(rendererDir, 'inside-link.js'));
  services = await openTestServices(path.join(temp.dir, 'data'));
  bridge = await startBridge({ services, rendererDir });
  origin = `http://127.0.0.1:${bridge.port}`;
});

afterAll(async () => {
  await bridge?.close();
  await services?.dispose();
  await temp?.cleanup();
});

describe('the browser bridge refuses strangers', () => {
  it('answers 403 on every route without the token', async () => {
    for (const call of [
      { path: '/' },
      { path: '/assets/app.js' },
      { path: '/media/some-meeting' },
      { path: '/upload?name=a.wav', method: 'POST', body: 'RIFF' },
      { path: '/?token=' + 'f'.repeat(64) },
      { path: '/?token=' },
    ]) {
      const answer = await http(bridge.port, call);
      expect(answer.status, call.path).toBe(403);
      expect(answer.body.toString()).not.toContain('Verbatim test page');
    }
    expect(await upgradeStatus(bridge.port, { Origin: origin })).toBe(403);
    expect(await upgradeStatus(bridge.port, { Origin: origin, Cookie: `verbatim_${bridge.port}=${'0'.repeat(64)}` })).toBe(403);
  });

  it('exchanges the token for an HttpOnly, SameSite=Strict cookie that then opens the page', async () => {
    const exchange = await http(bridge.port, { path: `/?token=${bridge.token}` });
    expect(exchange.status).toBe(302);
    expect(exchange.headers.location).toBe('/');
    const setCookie = exchange.headers['set-cookie']?.[0] ?? '';
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).toContain(bridge.token);

    const cookie = await sessionCookie(bridge);
    const page = await http(bridge.port, { path: '/', headers: { Cookie: cookie } });
    expect(page.status).toBe(200);
    expect(page.body.toString()).toBe(INDEX);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const script = await http(bridge.port, { path: '/assets/app.js', headers: { Authorization: `Bearer ${bridge.token}` } });
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toMatch(/^text\/javascript/);
  });

  it('sends a strict content security policy and no referrer with every answer', async () => {
    for (const answer of [
      await http(bridge.port, { path: '/' }),
      await http(bridge.port, { path: '/', headers: { Authorization: `Bearer ${bridge.token}` } }),
    ]) {
      const csp = String(answer.headers['content-security-policy']);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self';");
      expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${bridge.port} ws://localhost:${bridge.port}`);
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("base-uri 'none'");
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
      expect(answer.headers['referrer-policy']).toBe('no-referrer');
    }
  });

  it('refuses a WebSocket from another origin, even with the token', async () => {
    const cookie = await sessionCookie(bridge);
    expect(await upgradeStatus(bridge.port, { Origin: origin, Cookie: cookie })).toBe(101);
    expect(await upgradeStatus(bridge.port, { Origin: 'http://evil.example', Cookie: cookie })).toBe(403);
    expect(await upgradeStatus(bridge.port, { Origin: `http://localhost:${bridge.port + 1}`, Cookie: cookie })).toBe(403);
    expect(await upgradeStatus(bridge.port, { Origin: `http://127.0.0.1:${bridge.port + 1}`, Cookie: cookie })).toBe(403);
    expect(await upgradeStatus(bridge.port, { Origin: `https://localhost:${bridge.port}`, Cookie: cookie })).toBe(403);
    expect(await upgradeStatus(bridge.port, { Origin: `http://localhost.evil.example:${bridge.port}`, Cookie: cookie })).toBe(403);
  });

  it('lets a page opened at http://localhost:PORT open its WebSocket, as one opened at 127.0.0.1 can', async () => {
    const cookie = await sessionCookie(bridge);
    const local = `http://localhost:${bridge.port}`;
    expect(await upgradeStatus(bridge.port, { Origin: local, Host: `localhost:${bridge.port}`, Cookie: cookie })).toBe(101);
    expect(await upgradeStatus(bridge.port, { Origin: origin, Host: `localhost:${bridge.port}`, Cookie: cookie })).toBe(101);
    expect(await upgradeStatus(bridge.port, { Origin: local, Cookie: cookie })).toBe(101);
    const page = await http(bridge.port, { path: '/', headers: { Cookie: cookie, Host: `localhost:${bridge.port}` } });
    expect(String(page.headers['content-security-policy'])).toContain(`ws://localhost:${bridge.port}`);
    expect(await upgradeStatus(bridge.port, { Cookie: cookie })).toBe(403);
  });

  it('refuses another site writing with the user’s cookie', async () => {
    const cookie = await sessionCookie(bridge);
    const answer = await http(bridge.port, {
      method: 'POST',
      path: '/upload?name=x.wav',
      headers: { Cookie: cookie, Origin: 'http://evil.example' },
      body: 'RIFF',
    });
    expect(answer.status).toBe(403);
  });

  it('refuses a foreign Host header (DNS rebinding), on HTTP and on the WebSocket', async () => {
    const bearer = `Bearer ${bridge.token}`;
    expect((await http(bridge.port, { path: '/', headers: { Authorization: bearer } })).status).toBe(200);
    expect((await http(bridge.port, { path: '/', headers: { Authorization: bearer, Host: `localhost:${bridge.port}` } })).status).toBe(200);
    for (const host of [`evil.example:${bridge.port}`, 'evil.example', `127.0.0.1:${bridge.port + 1}`, `127.0.0.1`]) {
      expect((await http(bridge.port, { path: '/', headers: { Authorization: bearer, Host: host } })).status, host).toBe(403);
      expect((await http(bridge.port, { path: `/?token=${bridge.token}`, headers: { Host: host } })).status, host).toBe(403);
    }
    expect(await upgradeStatus(bridge.port, { Authorization: bearer, Origin: origin, Host: `evil.example:${bridge.port}` })).toBe(403);
  });

  it('answers a request target that is not a path with 400 before authentication or any handler', async () => {
    for (const target of ['//', '//a:b', '//[', '//:99999/x']) {
      for (const headers of [{}, { Authorization: `Bearer ${bridge.token}` }] as Record<string, string>[]) {
        const answer = await http(bridge.port, { path: target, headers });
        expect(answer.status, target).toBe(400);
        expect(JSON.parse(answer.body.toString())).toMatchObject({ error: { code: 'BRIDGE_BAD_TARGET' } });
      }
    }
  });

  it('serves nothing outside the renderer folder', async () => {
    const bearer = { Authorization: `Bearer ${bridge.token}` };
    for (const traversal of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/..%5csecret.txt',
      '/assets/linked.txt',
      '/linked-dir/secret.js',
    ]) {
      const answer = await http(bridge.port, { path: traversal, headers: bearer });
      expect(answer.status, traversal).not.toBe(200);
      expect(answer.body.toString()).not.toContain('outside the renderer');
    }
    // A link that stays inside the folder is served.
    expect((await http(bridge.port, { path: '/inside-link.js', headers: bearer })).status).toBe(200);
  });

  it('listens on 127.0.0.1 only', async () => {
    const external = Object.values(networkInterfaces())
      .flat()
      .find((address) => address !== undefined && address.family === 'IPv4' && !address.internal);
    const bearer = { Authorization: `Bearer ${bridge.token}` };
    expect((await http(bridge.port, { path: '/', headers: bearer })).status).toBe(200);
    // Another loopback address (routed to lo on Linux) is not 127.0.0.1: a server bound to all interfaces would answer there.
    if (process.platform === 'linux')
      await expect(http(bridge.port, { path: '/', headers: bearer, host: '127.0.0.2' })).rejects.toThrow(/ECONNREFUSED/);
    if (external) await expect(http(bridge.port, { path: '/', headers: bearer, host: external.address })).rejects.toThrow(/ECONNREFUSED/);
  });
});
