/**
 * First run with no model: the app says what it needs, downloads the default model with a progress bar
 * (from a loopback stand-in for the Hugging Face hub serving the generated weights), then opens Record.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppServices } from '../../src-main/app/services';
import type { AppServices } from '../../src-main/api/types';
import { startBridge, type RunningBridge } from '../../src-main/bridge/bridge-server';
import { DEFAULT_MODEL_ID, filesForDtype, findCatalogModel } from '../../src-main/models/catalog';
import { makeTempDir } from '../audio/helpers';
import { LocalHub } from '../support/local-hub';
import { TINY_MULTILINGUAL } from '../support/paths';
import { chromiumAvailable, launchChromium, RENDERER_BUILT, screenshot } from './e2e-helpers';

const runnable = chromiumAvailable() && RENDERER_BUILT;
if (!runnable && process.env.VERBATIM_REQUIRE_AUDIO === '1') throw new Error('the first-run test needs Chromium and the built renderer');

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let hub: LocalHub;
let services: AppServices;
let bridge: RunningBridge;
let browser: Browser;

describe.skipIf(!runnable)('first run without a model', () => {
  beforeAll(async () => {
    temp = await makeTempDir('e2e-first-run');
    const model = findCatalogModel(DEFAULT_MODEL_ID);
    if (!model) throw new Error(`${DEFAULT_MODEL_ID} is not in the catalog`);
    // The default model's files, with the generated tiny weights in them (same names, same inputs and outputs).
    const files = new Map<string, Buffer>();
    for (const file of filesForDtype(model, model.defaultDtype))
      files.set(file.path, await readFile(path.join(TINY_MULTILINGUAL, file.path)));
    hub = new LocalHub(files);
    const opened = await createAppServices({
      dataDir: path.join(temp.dir, 'data'),
      hubUrl: await hub.start(),
      device: 'cpu',
      sharedModelDirs: [],
    });
    if (!opened.ok) throw new Error(`${opened.error.code}: ${opened.error.message}`);
    services = opened.value;
    bridge = await startBridge({ services });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await bridge?.close();
    await services?.dispose();
    await hub?.stop();
    await temp?.cleanup();
  });

  it('downloads the default model with a progress bar, then opens Record', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1100, height: 760 } })).newPage();
    await page.goto(bridge.url);
    const download = page.locator(
      `[data-testid="first-run-model-row"][data-model-id="${DEFAULT_MODEL_ID}"] [data-testid="first-run-download"]`,
    );
    await download.waitFor({ timeout: 15_000 });
    await screenshot(page, '00-first-run');
    await download.click();
    await page.getByTestId('record-button').waitFor({ timeout: 60_000 });
    await screenshot(page, '00b-first-run-done');
    const models = await services.handlers.listModels();
    if (!models.ok) throw new Error(models.error.message);
    expect(models.value.find((entry) => entry.id === DEFAULT_MODEL_ID)).toMatchObject({ installed: true });
    expect(hub.requests.filter((request) => request.startsWith('GET')).length).toBeGreaterThan(0);
  }, 120_000);
});
