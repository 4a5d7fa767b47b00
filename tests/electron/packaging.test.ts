/**
 * The electron-builder configuration as electron-builder itself reads and validates it, and the promises
 * the app depends on: every native addon or executable it ships is outside app.asar, the microphone is
 * declared to macOS.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import type { Configuration } from 'app-builder-lib';
import { DebugLogger } from 'builder-util';
import { beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');

function readJson(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

function dependencyNames(manifest: Record<string, unknown>): string[] {
  const names = (field: string) => Object.keys((manifest[field] as Record<string, string> | undefined) ?? {});
  return [...names('dependencies'), ...names('optionalDependencies')];
}

function containsNativeCode(dir: string, depth = 0): boolean {
  if (existsSync(join(dir, 'binding.gyp'))) return true;
  if (depth > 6) return false;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    if (entry.isDirectory() ? containsNativeCode(join(dir, entry.name), depth + 1) : entry.name.endsWith('.node')) return true;
  }
  return false;
}

/** Installed packages the app ships (production dependencies, transitively) that carry a native addon. */
function shippedNativePackages(): string[] {
  const seen = new Set<string>();
  const queue = dependencyNames(readJson(join(root, 'package.json')));
  while (queue.length > 0) {
    const name = queue.shift() as string;
    const dir = join(root, 'node_modules', name);
    if (seen.has(name) || !existsSync(join(dir, 'package.json'))) continue;
    seen.add(name);
    queue.push(...dependencyNames(readJson(join(dir, 'package.json'))));
  }
  return [...seen].filter((name) => containsNativeCode(join(root, 'node_modules', name))).sort();
}

function unpacks(config: Configuration, packageName: string): boolean {
  const patterns = (config.asarUnpack ?? []) as string[];
  const scope = packageName.startsWith('@') ? packageName.split('/')[0] : null;
  return patterns.some(
    (pattern) => pattern === `**/node_modules/${packageName}/**` || (scope !== null && pattern === `**/node_modules/${scope}/**`),
  );
}

describe('electron-builder configuration', () => {
  let config: Configuration;
  beforeAll(async () => {
    config = await getConfig(root, null, null);
    await validateConfiguration(config, new DebugLogger(false));
  });

  it('is what electron-builder loads, and valid against its schema', () => {
    expect(config.appId).toBe('app.verbatim.desktop');
    expect(config.productName).toBe('Verbatim');
  });

  it('ships the electron-vite build', () => {
    // electron-builder normalizes a list of globs into one file set.
    expect(config.files).toEqual([{ filter: ['out/**', 'package.json'] }]);
    expect(readJson(join(root, 'package.json')).main).toBe('./out/main/index.js');
  });

  it('keeps every shipped native addon outside app.asar, and the ffmpeg executables too', () => {
    const natives = shippedNativePackages();
    // The test must see the addons it protects: if none are found the walk itself is broken.
    expect(natives).toEqual(expect.arrayContaining(['better-sqlite3', 'naudiodon', 'onnxruntime-node']));
    for (const name of [...natives, '@ffmpeg-installer/ffmpeg', '@ffprobe-installer/ffprobe']) {
      expect(unpacks(config, name), name).toBe(true);
    }
  });

  it('flips the Electron fuses: no run-as-node, no NODE_OPTIONS or --inspect, code only from a checked app.asar, encrypted cookies', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
    });
  });

  it('rebuilds native modules for Electron', () => {
    expect(config.npmRebuild).toBe(true);
  });

  it('builds AppImage and deb on Linux, NSIS on Windows, a hardened dmg on macOS', () => {
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.linux?.category).toBe('AudioVideo');
    expect(config.win?.target).toEqual(['nsis']);
    expect(config.mac?.target).toEqual(['dmg']);
    expect(config.mac?.hardenedRuntime).toBe(true);
  });

  it('declares the microphone to macOS: entitlement and the reason shown to the user', () => {
    expect(config.mac?.entitlements).toBe('build/entitlements.mac.plist');
    const plist = readFileSync(join(root, 'build/entitlements.mac.plist'), 'utf8');
    expect(plist).toMatch(/<key>com\.apple\.security\.device\.audio-input<\/key>\s*<true\/>/);
    expect(plist).toMatch(/<key>com\.apple\.security\.cs\.allow-jit<\/key>\s*<true\/>/);
    expect(config.mac?.extendInfo).toEqual({
      NSMicrophoneUsageDescription: 'Verbatim records meetings from your microphone; audio never leaves this computer.',
    });
  });
});
