/**
 * Point 1 of issue 16: a first run with no internet is never a dead end. The download fails (the hub is
 * unreachable) but the app lists every catalog model with its size, finds the real whisper-tiny.en the CLI
 * already keeps in its models folder, accepts a model folder by path, and lets the user in without a model.
 * Real engine, real models from ../shared/models, Debian's Chromium; axe on the first-run screen.
 */
import { mkdir, symlink } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppServices } from '../../src-main/app/services';
import type { AppServices } from '../../src-main/api/types';
import { startBridge, type RunningBridge } from '../../src-main/bridge/bridge-server';
import { listCatalogModels } from '../../src-main/models/catalog';
import { makeTempDir } from '../audio/helpers';
import { realModelDir, REQUIRE_MODELS } from '../support/paths';
import { expectAccessible } from './accessibility';
import { chromiumAvailable, launchChromium, RENDERER_BUILT, screenshot } from './e2e-helpers';

const TINY_EN = realModelDir('whisper-tiny.en');
const BASE = realModelDir('whisper-base');
const runnable = chromiumAvailable() && RENDERER_BUILT && TINY_EN !== null && BASE !== null;
if (!runnable && (process.env.VERBATIM_REQUIRE_AUDIO === '1' || REQUIRE_MODELS)) {
  throw new Error('the offline first-run test needs Chromium, the built renderer and ../shared/models (whisper-tiny.en, whisper-base)');
}

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let browser: Browser;
/** A port nothing listens on: every download attempt fails as it does without a network. */
let offlineHub: string;
const running: { services: AppServices; bridge: RunningBridge }[] = [];

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function openApp(name: string, sharedModelDirs: string[]): Promise<{ page: Page; services: AppServices }> {
  const opened = await createAppServices({
    dataDir: path.join(temp.dir, name),
    hubUrl: offlineHub,
    device: 'cpu',
    sharedModelDirs,
    autoDiarize: false,
  });
  if (!opened.ok) throw new Error(`${opened.error.code}: ${opened.error.message}`);
  const bridge = await startBridge({ services: opened.value });
  running.push({ services: opened.value, bridge });
  // axe opens a page of its own beside ours: the page needs a context it can ask for one.
  const context = await browser.newContext({ viewport: { width: 1100, height: 760 } });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
  await page.goto(bridge.url);
  await page.getByTestId('first-run-folder-input').waitFor({ timeout: 15_000 });
  return { page, services: opened.value };
}

describe.skipIf(!runnable)('first run offline', () => {
  beforeAll(async () => {
    temp = await makeTempDir('e2e-first-run-offline');
    offlineHub = `http://127.0.0.1:${await closedPort()}`;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    for (const { services, bridge } of running) {
      await bridge.close();
      await services.dispose();
    }
    await temp?.cleanup();
  });

  it('lists every catalog model with its size, survives a failed download, and opens with the model the CLI already has', async () => {
    // The CLI's models folder (`~/.local/share/verbatim/models` by default) with the real whisper-tiny.en in it.
    const cliModels = path.join(temp.dir, 'cli-data', 'models');
    await mkdir(cliModels, { recursive: true });
    await symlink(TINY_EN as string, path.join(cliModels, 'whisper-tiny.en'));
    const { page, services } = await openApp('data-cli', [cliModels]);

    const catalog = listCatalogModels();
    const found = page.getByTestId('first-run-found-row');
    const offered = page.getByTestId('first-run-model-row');
    await found.first().waitFor();
    expect(await found.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-model-id')))).toEqual(['whisper-tiny.en']);
    expect(await found.first().textContent()).toContain(path.join(cliModels, 'whisper-tiny.en'));
    // Every other catalog model is offered for download, each with its size.
    const offeredIds = await offered.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-model-id')));
    expect([...offeredIds, 'whisper-tiny.en'].sort()).toEqual(catalog.map((model) => model.id).sort());
    const sizes = await page.getByTestId('first-run-model-size').allTextContents();
    expect(sizes).toHaveLength(catalog.length - 1);
    for (const size of sizes) expect(size).toMatch(/^\d+(\.\d)? (MB|GB)$/);
    await screenshot(page, '00c-first-run-offline');
    await expectAccessible(page, 'first-run');

    // Offline, the recommended download fails with a plain reason; every other way in is still there.
    await page.locator('[data-testid="first-run-model-row"][data-model-id="whisper-base"] [data-testid="first-run-download"]').click();
    const failure = page.getByTestId('first-run-download-error');
    await failure.waitFor({ timeout: 60_000 });
    expect(await failure.textContent()).toMatch(/offline/i);
    expect((await failure.textContent())?.match(/download/gi)?.length ?? 0).toBeLessThanOrEqual(2);
    await screenshot(page, '00d-first-run-download-failed');
    await expectAccessible(page, 'first-run-download-failed');

    await page.locator('[data-testid="first-run-found-row"][data-model-id="whisper-tiny.en"] [data-testid="first-run-use"]').click();
    await page.getByTestId('record-button').waitFor({ timeout: 15_000 });
    expect(await services.handlers.getSettings()).toMatchObject({ ok: true, value: { modelId: 'whisper-tiny.en' } });
  }, 120_000);

  it('opens with a model folder given by path, after refusing a folder that holds none', async () => {
    const { page, services } = await openApp('data-folder', []);
    expect(await page.getByTestId('first-run-found-row').count()).toBe(0);
    await page.getByTestId('first-run-folder-input').fill(temp.dir);
    await page.getByTestId('first-run-folder-submit').click();
    const refused = page.getByTestId('first-run-folder-error');
    await refused.waitFor();
    expect(await refused.getAttribute('title')).toMatch(/^MODEL_FOLDER_INVALID/);

    await page.getByTestId('first-run-folder-input').fill(BASE as string);
    await page.getByTestId('first-run-folder-submit').click();
    await page.getByTestId('record-button').waitFor({ timeout: 15_000 });
    const models = await services.handlers.listModels();
    expect(models.ok && models.value.find((model) => model.id === 'whisper-base')).toMatchObject({
      installed: true,
      local: true,
      location: BASE,
    });
    expect(await services.handlers.getSettings()).toMatchObject({ ok: true, value: { modelId: 'whisper-base' } });
  }, 60_000);

  it('lets the user in without a model', async () => {
    const { page } = await openApp('data-skip', []);
    await page.getByTestId('first-run-skip').click();
    await page.getByTestId('nav-library').waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Library');
  }, 60_000);
});
