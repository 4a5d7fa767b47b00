/**
 * The accessibility pass: axe-core (through @axe-core/playwright, injected into the page Playwright drives)
 * over the whole page as it is on screen, WCAG 2.1 A and AA rules plus axe's best practices. Serious and
 * critical violations fail the test; every result is kept in tests/artifacts/axe-<screen>.json.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { ARTIFACTS } from './e2e-helpers';

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

export interface AxeSummary {
  screen: string;
  violations: { id: string; impact: string | null; help: string; nodes: string[] }[];
}

export async function expectAccessible(page: Page, screen: string): Promise<AxeSummary> {
  // Let transitions (progress bars, dialogs) settle: axe measures colours as they are drawn.
  await page.waitForTimeout(250);
  const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  const summary: AxeSummary = {
    screen,
    violations: results.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact ?? null,
      help: violation.help,
      nodes: violation.nodes.map((node) => node.target.join(' ')),
    })),
  };
  await mkdir(ARTIFACTS, { recursive: true });
  await writeFile(
    path.join(ARTIFACTS, `axe-${screen}.json`),
    `${JSON.stringify({ ...summary, passes: results.passes.length }, null, 2)}\n`,
  );
  const blocking = summary.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
  expect(
    blocking.map(
      (violation) => `${screen}: ${violation.id} (${violation.impact}) ${violation.help} at ${violation.nodes.slice(0, 4).join(' | ')}`,
    ),
  ).toEqual([]);
  return summary;
}
