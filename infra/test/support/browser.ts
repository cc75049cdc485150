import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { freePort } from './net.ts';
import { type ServiceProcess, spawnEmbedded } from './service-process.ts';

/**
 * Real-browser tests: Debian's Chromium (installed by `.ci/run`), headless, driven by
 * playwright-core, against the platform as `pnpm start` runs it. The browser suites run on the
 * embedded engines only (the pass without DATABASE_URL): they test the pages, which are the same
 * whatever engines are underneath, and a second pass would double their minutes.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Why the browser suites are skipped here, or undefined when they run. */
export const browserSkipReason: string | undefined = !existsSync(CHROMIUM)
  ? `no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`
  : process.env.DATABASE_URL
    ? 'browser suites run in the embedded-engines pass'
    : undefined;

/** Where the tests keep a screenshot of each view (a CI artifact; the README shows copies from docs/screenshots). */
export const SCREENSHOTS_DIR = new URL('../../../.artifacts/screenshots/', import.meta.url).pathname;

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // The flags the machine's notes give: no sandbox as root, no GPU (SwiftShader draws WebGL), and
    // no calls home (this network is closed; they would be refused many at a time).
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface DashboardPlatform {
  readonly url: string;
  readonly mqttPort: number;
  readonly process: ServiceProcess;
  close(): Promise<void>;
}

/**
 * The whole platform in embedded mode with a small demo city playing slowly (the pages have data
 * and the machine has CPU left for the browser), on free ports and a data folder of its own.
 */
export async function startDashboardPlatform(env: Record<string, string> = {}): Promise<DashboardPlatform> {
  const dataDir = await mkdtemp(join(tmpdir(), 'city-dashboard-'));
  const mqttPort = await freePort();
  const proc = await spawnEmbedded({
    DATABASE_URL: '',
    MQTT_URL: '',
    REDIS_URL: '',
    DATA_DIR: dataDir,
    MQTT_PORT: String(mqttPort),
    DEMO_DEVICES: '300',
    DEMO_SPEED: '60',
    LOG_LEVEL: 'warn',
    ...env,
  });
  return {
    url: `http://127.0.0.1:${proc.port}`,
    mqttPort,
    process: proc,
    close: async () => {
      await proc.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A page in a context of its own (storage, language), failing the test on the page's own errors. */
export async function openPage(
  browser: Browser,
  url: string,
  opts: { viewport?: { width: number; height: number }; locale?: string } = {},
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({
    viewport: opts.viewport ?? { width: 1600, height: 900 },
    locale: opts.locale ?? 'uk-UA',
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  await page.goto(url);
  return { context, page, errors };
}

/** Saves the page's screenshot as `name`.png among the test artifacts; answers the PNG. */
export async function keepScreenshot(page: Page, name: string): Promise<Buffer> {
  await mkdir(SCREENSHOTS_DIR, { recursive: true });
  return page.screenshot({ path: join(SCREENSHOTS_DIR, `${name}.png`) });
}
