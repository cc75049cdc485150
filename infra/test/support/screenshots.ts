import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

/** Where the tests keep a screenshot of each view (a CI artifact; the README shows copies from docs/screenshots). */
export const SCREENSHOTS_DIR = new URL('../../../.artifacts/screenshots/', import.meta.url).pathname;

/** Saves the page's screenshot as `name`.png among the test artifacts; answers the PNG. */
export async function keepScreenshot(page: Page, name: string): Promise<Buffer> {
  await mkdir(SCREENSHOTS_DIR, { recursive: true });
  return page.screenshot({ path: join(SCREENSHOTS_DIR, `${name}.png`) });
}
