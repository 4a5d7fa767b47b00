import { accessSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fail, ok, type Result } from '../../src-shared/result';

/** Where a binary came from: an explicit option, VERBATIM_FFMPEG/VERBATIM_FFPROBE, the npm-shipped static build, or PATH. */
export type BinarySource = 'explicit' | 'env' | 'bundled' | 'system';

export interface LocatedBinary {
  path: string;
  source: BinarySource;
}

export interface FfmpegBinaries {
  ffmpeg: LocatedBinary;
  ffprobe: LocatedBinary;
}

export interface LocateOptions {
  ffmpegPath?: string | undefined;
  ffprobePath?: string | undefined;
  env?: Record<string, string | undefined>;
  /** Rewrites a bundled path before use; defaults to mapping app.asar → app.asar.unpacked (packaged Electron). */
  rewriteBundledPath?: (binaryPath: string) => string;
  /** Skip the npm-shipped binaries (tests of the PATH fallback). */
  skipBundled?: boolean;
}

type Tool = 'ffmpeg' | 'ffprobe';

const ENV_VARS: Record<Tool, string> = { ffmpeg: 'VERBATIM_FFMPEG', ffprobe: 'VERBATIM_FFPROBE' };
const INSTALLER_PACKAGES: Record<Tool, string> = {
  ffmpeg: '@ffmpeg-installer/ffmpeg',
  ffprobe: '@ffprobe-installer/ffprobe',
};

/** Executables inside app.asar cannot be spawned; electron-builder unpacks them next to it. */
export function unpackAsarPath(binaryPath: string): string {
  return binaryPath.replace(/app\.asar([\\/])/, 'app.asar.unpacked$1');
}

function isExecutableFile(candidate: string): boolean {
  try {
    if (!statSync(candidate).isFile()) return false;
    accessSync(candidate, process.platform === 'win32' ? constants.F_OK : constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function bundledPath(tool: Tool): string | undefined {
  try {
    const require = createRequire(import.meta.url);
    // The installer packages throw (a string, for ffmpeg) on platforms they do not ship.
    const installer = require(INSTALLER_PACKAGES[tool]) as { path?: unknown };
    return typeof installer.path === 'string' ? installer.path : undefined;
  } catch {
    return undefined;
  }
}

function systemPath(tool: Tool, env: Record<string, string | undefined>): string | undefined {
  const names = process.platform === 'win32' ? [`${tool}.exe`] : [tool];
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    for (const name of names) {
      const candidate = path.join(dir, name);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  return undefined;
}

function locateOne(tool: Tool, explicit: string | undefined, options: LocateOptions): Result<LocatedBinary, 'FFMPEG_NOT_FOUND'> {
  const env = options.env ?? process.env;
  // A path the user named is never silently replaced by another binary.
  if (explicit !== undefined) {
    return isExecutableFile(explicit)
      ? ok({ path: explicit, source: 'explicit' })
      : fail('FFMPEG_NOT_FOUND', `${tool} given as "${explicit}" is not an executable file`, explicit);
  }
  const fromEnv = env[ENV_VARS[tool]];
  if (fromEnv !== undefined && fromEnv !== '') {
    return isExecutableFile(fromEnv)
      ? ok({ path: fromEnv, source: 'env' })
      : fail('FFMPEG_NOT_FOUND', `${ENV_VARS[tool]}="${fromEnv}" is not an executable file`, fromEnv);
  }
  if (options.skipBundled !== true) {
    const shipped = bundledPath(tool);
    if (shipped !== undefined) {
      const rewritten = (options.rewriteBundledPath ?? unpackAsarPath)(shipped);
      if (isExecutableFile(rewritten)) return ok({ path: rewritten, source: 'bundled' });
    }
  }
  const onPath = systemPath(tool, env);
  if (onPath !== undefined) return ok({ path: onPath, source: 'system' });
  return fail(
    'FFMPEG_NOT_FOUND',
    `${tool} not found: set ${ENV_VARS[tool]}, reinstall ${INSTALLER_PACKAGES[tool]}, or put ${tool} on PATH`,
    tool,
  );
}

/** Resolves ffmpeg and ffprobe independently, each in the order explicit → env → bundled → PATH. */
export function locateFfmpeg(options: LocateOptions = {}): Result<FfmpegBinaries, 'FFMPEG_NOT_FOUND'> {
  const ffmpeg = locateOne('ffmpeg', options.ffmpegPath, options);
  if (!ffmpeg.ok) return ffmpeg;
  const ffprobe = locateOne('ffprobe', options.ffprobePath, options);
  if (!ffprobe.ok) return ffprobe;
  return ok({ ffmpeg: ffmpeg.value, ffprobe: ffprobe.value });
}
