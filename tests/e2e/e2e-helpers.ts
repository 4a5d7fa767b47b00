/** Launching Debian's Chromium through playwright-core, and the app's artifacts folder for screenshots. */
import { existsSync } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { REPO_ROOT } from '../support/paths';

export const CHROMIUM = process.env.VERBATIM_CHROMIUM ?? '/usr/bin/chromium';
export const ARTIFACTS = path.join(REPO_ROOT, 'tests/artifacts');
export const RENDERER_BUILT = existsSync(path.join(REPO_ROOT, 'out/renderer/index.html'));

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM);
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Media plays on a click in the page as it would for a person; headless has no speakers, so nothing is heard.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--autoplay-policy=no-user-gesture-required',
      '--mute-audio',
    ],
  });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Writes float32 mono samples into a PulseAudio pipe source at real-time pace, as a microphone would deliver them. */
export async function speakInto(fifo: string, samples: Float32Array, rate: number): Promise<void> {
  const handle = await open(fifo, 'w');
  try {
    const slice = rate / 10;
    const begin = performance.now();
    for (let at = 0; at < samples.length; at += slice) {
      const part = samples.subarray(at, Math.min(samples.length, at + slice));
      await handle.write(Buffer.from(part.buffer, part.byteOffset, part.byteLength));
      await sleep(Math.max(0, begin + ((at + slice) / rate) * 1000 - performance.now()));
    }
  } finally {
    await handle.close();
  }
}
