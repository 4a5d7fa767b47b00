/**
 * Models as the settings page sees them, with downloads served by a loopback hub double: progress
 * events end in `done` and the model then lists as installed; a model the hub lacks ends in `failed`
 * with the downloader's coded error; a local folder is never downloaded.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelDownloadProgress, ModelEntry, WireEvent } from '../../src-shared/ipc-contract';
import type { AppServices } from '../../src-main/api/types';
import { filesForDtype, findCatalogModel } from '../../src-main/models/catalog';
import { makeTempDir } from '../audio/helpers';
import { openTestServices } from '../bridge/bridge-helpers';
import { LocalHub } from '../support/local-hub';
import { TINY_MULTILINGUAL } from '../support/paths';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let hub: LocalHub;
let services: AppServices;
const progress: ModelDownloadProgress[] = [];
let servedBytes = 0;

beforeAll(async () => {
  temp = await makeTempDir('model-downloads');
  // The hub serves the generated tiny model's files under whisper-tiny's catalog paths (default q8).
  const tiny = findCatalogModel('whisper-tiny');
  if (!tiny) throw new Error('whisper-tiny is not in the catalog');
  const files = new Map<string, Buffer>();
  for (const file of filesForDtype(tiny, tiny.defaultDtype)) files.set(file.path, await readFile(path.join(TINY_MULTILINGUAL, file.path)));
  servedBytes = [...files.values()].reduce((sum, body) => sum + body.length, 0);
  hub = new LocalHub(files);
  const hubUrl = await hub.start();
  services = await openTestServices(path.join(temp.dir, 'data'), { hubUrl });
  services.onEvent((event: WireEvent) => {
    if (event.channel === 'model-download') progress.push(event.payload);
  });
});

afterAll(async () => {
  await services?.dispose();
  await hub?.stop();
  await temp?.cleanup();
});

function finalFor(modelId: string, timeoutMs = 60_000): Promise<ModelDownloadProgress> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const check = (): void => {
      const final = progress.find((event) => event.modelId === modelId && event.state !== 'downloading');
      if (final) return resolve(final);
      if (Date.now() - started > timeoutMs) return reject(new Error(`no final progress for ${modelId}`));
      setTimeout(check, 20);
    };
    check();
  });
}

async function listed(id: string): Promise<ModelEntry | undefined> {
  const models = await services.handlers.listModels();
  if (!models.ok) throw new Error(models.error.message);
  return models.value.find((model) => model.id === id);
}

describe('model downloads from the app', () => {
  it('downloads a catalog model in the background, reports progress, then lists it as installed', async () => {
    expect(await listed('whisper-tiny')).toMatchObject({ installed: false, diskBytes: 0 });
    const started = await services.handlers.downloadModel('whisper-tiny');
    expect(started).toEqual({ ok: true, value: undefined });
    // A second start while it runs joins the running download.
    expect((await services.handlers.downloadModel('whisper-tiny')).ok).toBe(true);

    const final = await finalFor('whisper-tiny');
    expect(final).toMatchObject({ state: 'done', error: null, receivedBytes: servedBytes, totalBytes: servedBytes });
    const events = progress.filter((event) => event.modelId === 'whisper-tiny');
    expect(events.filter((event) => event.state !== 'downloading')).toHaveLength(1);
    expect(events[0]?.state).toBe('downloading');
    const received = events.map((event) => event.receivedBytes);
    expect(received).toEqual([...received].sort((a, b) => a - b));

    const entry = await listed('whisper-tiny');
    expect(entry).toMatchObject({ installed: true, local: false });
    expect(entry?.diskBytes).toBe(servedBytes);
    expect(await readdir(path.join(temp.dir, 'data', 'models', 'whisper-tiny', 'onnx'))).toEqual([
      'decoder_model_merged_quantized.onnx',
      'encoder_model_quantized.onnx',
    ]);
  });

  it('ends a download the hub cannot serve as failed, with the coded error', async () => {
    // The double serves any repo's paths; this time the encoder is missing.
    hub.injectFault('onnx/encoder_model_quantized.onnx', { status: 404 });
    expect((await services.handlers.downloadModel('whisper-base')).ok).toBe(true);
    const final = await finalFor('whisper-base');
    expect(final.state).toBe('failed');
    expect(final.error?.code).toBe('DOWNLOAD_NOT_FOUND');
    expect(await listed('whisper-base')).toMatchObject({ installed: false });
  });

  it('refuses to download the local model, an unknown one, or a malformed id', async () => {
    const local = await services.handlers.downloadModel(path.basename(TINY_MULTILINGUAL));
    expect(local.ok === false && local.error.code).toBe('MODEL_NOT_DOWNLOADABLE');
    const unknown = await services.handlers.downloadModel('whisper-enormous');
    expect(unknown.ok === false && unknown.error.code).toBe('MODEL_UNKNOWN');
    for (const bad of [[], [42], [''], ['whisper-tiny', 'extra']]) {
      const refused = await services.handlers.downloadModel(...bad);
      expect(refused.ok === false && refused.error.code, JSON.stringify(bad)).toBe('IPC_BAD_REQUEST');
    }
  });
});
