import { execFile } from 'node:child_process';
import type { Result } from '../../../src-shared/result';
import { fail, ok } from '../../../src-shared/result';
import type { CaptureDevice } from '../capture-types';
import type { CaptureErrorCode } from './capture-errors';

/** Where the PulseAudio client tools are and which server they talk to (PipeWire's pipewire-pulse too). */
export interface PulseToolsOptions {
  /** Default: `pactl` on PATH. */
  pactlPath?: string;
  /** Default: `parec` on PATH. */
  parecPath?: string;
  /** Extra environment for the tools, e.g. `PULSE_SERVER`; the process environment is the base. */
  env?: Record<string, string>;
  /** Per pactl call (default 5 s). */
  timeoutMs?: number;
}

export interface PulseSource {
  /** The server's index for the source (what `pactl subscribe` events name). */
  index: number;
  name: string;
  description: string;
  sampleRate: number;
  channels: number;
  /** The sink this source monitors, or null for a real input. */
  monitorOfSink: string | null;
}

export interface PulseDefaults {
  sink: string | null;
  source: string | null;
}

type PulseResult<T> = Result<T, CaptureErrorCode>;

/** Every source the server has; monitors are those with `monitorOfSink` set. */
export async function listPulseSources(options: PulseToolsOptions = {}): Promise<PulseResult<PulseSource[]>> {
  const json = await runPactl(['-f', 'json', 'list', 'sources'], options);
  if (json.ok) {
    const parsed = parseJsonSources(json.value);
    if (parsed) return ok(parsed);
  } else if (!isOldPactl(json.error.message)) {
    return json;
  }
  // pactl before 16 has no `-f json`; its plain format is stable under LC_ALL=C.
  const plain = await runPactl(['list', 'sources'], options);
  return plain.ok ? ok(parsePlainSources(plain.value)) : plain;
}

export async function getPulseDefaults(options: PulseToolsOptions = {}): Promise<PulseResult<PulseDefaults>> {
  const info = await runPactl(['info'], options);
  if (!info.ok) return info;
  const line = (label: string): string | null => {
    const match = new RegExp(`^${label}: (.+)$`, 'm').exec(info.value);
    return match?.[1]?.trim() ?? null;
  };
  return ok({ sink: line('Default Sink'), source: line('Default Source') });
}

/** Monitor sources as capture devices; the default is the monitor of the default sink. */
export async function listMonitorDevices(options: PulseToolsOptions = {}): Promise<PulseResult<CaptureDevice[]>> {
  const sources = await listPulseSources(options);
  if (!sources.ok) return sources;
  const defaults = await getPulseDefaults(options);
  const defaultSink = defaults.ok ? defaults.value.sink : null;
  return ok(
    sources.value
      .filter((source) => source.monitorOfSink !== null)
      .map((source) => ({
        id: source.name,
        name: source.description || source.name,
        kind: 'monitor' as const,
        maxInputChannels: source.channels,
        defaultSampleRate: source.sampleRate,
        isDefault: source.monitorOfSink === defaultSink,
      })),
  );
}

function runPactl(args: string[], options: PulseToolsOptions): Promise<PulseResult<string>> {
  const binary = options.pactlPath ?? 'pactl';
  return new Promise((resolve) => {
    execFile(
      binary,
      args,
      {
        env: { ...process.env, ...options.env, LC_ALL: 'C' },
        timeout: options.timeoutMs ?? 5000,
        killSignal: 'SIGKILL',
        maxBuffer: 16 * 1024 * 1024,
        encoding: 'utf8',
      },
      (error, stdout, stderr) => {
        if (!error) return resolve(ok(stdout));
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'EACCES') {
          return resolve(
            fail('CAPTURE_MONITOR_UNAVAILABLE', `${binary} not found: install pulseaudio-utils (it works with PipeWire too)`, binary),
          );
        }
        const detail = (stderr || error.message).trim().split('\n').slice(-3).join(' ');
        const why = error.killed ? `timed out after ${options.timeoutMs ?? 5000} ms` : detail;
        resolve(fail('CAPTURE_MONITOR_UNAVAILABLE', `no PulseAudio/PipeWire server answered (${binary} ${args.join(' ')}): ${why}`));
      },
    );
  });
}

function isOldPactl(message: string): boolean {
  return /unrecognized option|invalid option|unknown option/i.test(message);
}

interface JsonSource {
  index?: unknown;
  name?: unknown;
  description?: unknown;
  sample_specification?: unknown;
  monitor_source?: unknown;
  properties?: Record<string, unknown>;
}

function parseJsonSources(text: string): PulseSource[] | null {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  if (!Array.isArray(data)) return null;
  const sources: PulseSource[] = [];
  for (const item of data as JsonSource[]) {
    if (typeof item.name !== 'string') continue;
    const spec = parseSampleSpec(typeof item.sample_specification === 'string' ? item.sample_specification : '');
    const isMonitor = item.properties?.['device.class'] === 'monitor';
    // pactl's JSON names the monitored sink `monitor_source` (sic); "n/a" on real inputs.
    const sink = typeof item.monitor_source === 'string' && item.monitor_source !== 'n/a' ? item.monitor_source : null;
    sources.push({
      index: typeof item.index === 'number' ? item.index : -1,
      name: item.name,
      description: typeof item.description === 'string' ? item.description : item.name,
      ...spec,
      monitorOfSink: isMonitor ? (sink ?? item.name.replace(/\.monitor$/, '')) : null,
    });
  }
  return sources;
}

/** Parses `pactl list sources` (LC_ALL=C). */
export function parsePlainSources(text: string): PulseSource[] {
  const sources: PulseSource[] = [];
  const blocks = text.split(/^Source #(\d+)\s*$/m);
  for (let b = 1; b + 1 < blocks.length; b += 2) {
    const index = Number(blocks[b]);
    const block = blocks[b + 1]!;
    const field = (label: string): string | null => {
      const match = new RegExp(`^\\s*${label}: (.*)$`, 'm').exec(block);
      return match?.[1]?.trim() ?? null;
    };
    const name = field('Name');
    if (!name) continue;
    const sink = field('Monitor of Sink');
    sources.push({
      index,
      name,
      description: field('Description') ?? name,
      ...parseSampleSpec(field('Sample Specification') ?? ''),
      monitorOfSink: sink && sink !== 'n/a' ? sink : null,
    });
  }
  return sources;
}

function parseSampleSpec(spec: string): { sampleRate: number; channels: number } {
  const channels = /(\d+)ch/.exec(spec);
  const rate = /(\d+)Hz/.exec(spec);
  return { channels: channels ? Number(channels[1]) : 2, sampleRate: rate ? Number(rate[1]) : 48000 };
}
