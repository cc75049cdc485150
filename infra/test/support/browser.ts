import { existsSync } from 'node:fs';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { type EmbeddedDemo, startEmbeddedDemo } from './embedded-demo.ts';

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

/**
 * The whole platform in embedded mode with a small demo city playing slowly (the pages have data
 * and the machine has CPU left for the browser).
 */
function startDashboardPlatform(env: Record<string, string>): Promise<EmbeddedDemo> {
  return startEmbeddedDemo({ DEMO_SPEED: '60', ...env });
}

/** One browser suite's platform and Chromium, started together; its pages open on the platform. */
export interface BrowserSuite {
  readonly platform: EmbeddedDemo;
  readonly browser: Browser;
  /** `path` of the platform (or of `origin`, a way to it) in a page of its own context (openPage). */
  open(path: string, opts?: PageOptions & { origin?: string }): Promise<OpenedPage>;
  /** Opens `path` as `open` does, runs `body` on it, and closes the page's context whatever happened. */
  visit(path: string, opts: PageOptions, body: (opened: OpenedPage) => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

/** Starts a suite's platform (startDashboardPlatform with `env`) and Chromium side by side. */
export async function startBrowserSuite(env: Record<string, string> = {}): Promise<BrowserSuite> {
  const [platform, browser] = await Promise.allSettled([startDashboardPlatform(env), launchChromium()]);
  if (platform.status === 'rejected' || browser.status === 'rejected') {
    // The one that did start must not outlive the failure.
    if (platform.status === 'fulfilled') await platform.value.close();
    if (browser.status === 'fulfilled') await browser.value.close();
    throw platform.status === 'rejected' ? platform.reason : (browser as PromiseRejectedResult).reason;
  }
  const open: BrowserSuite['open'] = (path, { origin, ...opts } = {}) =>
    openPage(browser.value, `${origin ?? platform.value.url}${path}`, opts);
  return {
    platform: platform.value,
    browser: browser.value,
    open,
    visit: async (path, opts, body) => {
      const opened = await open(path, opts);
      try {
        await body(opened);
      } finally {
        await opened.context.close();
      }
    },
    close: async () => {
      await browser.value.close();
      await platform.value.close();
    },
  };
}

export interface PageOptions {
  viewport?: { width: number; height: number };
  locale?: string;
  reducedMotion?: boolean;
}

export interface OpenedPage {
  context: BrowserContext;
  page: Page;
  /** The page's own errors and console errors: a test expects none, or only those it caused. */
  errors: string[];
}

/**
 * A page in a context of its own (storage, language), collecting the page's own errors.
 * `reducedMotion`: the system asks for reduced motion (the desk then starts with the map's alarm
 * pulse stopped: a pulsing map redraws 30 times a second, which software WebGL cannot keep up with
 * while Playwright waits on the page).
 */
async function openPage(browser: Browser, url: string, opts: PageOptions = {}): Promise<OpenedPage> {
  const context = await browser.newContext({
    viewport: opts.viewport ?? { width: 1600, height: 900 },
    locale: opts.locale ?? 'uk-UA',
    reducedMotion: opts.reducedMotion ? 'reduce' : 'no-preference',
  });
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(url);
  return { context, page, errors };
}

/** The page's own errors and its console's error lines, as they come. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  return errors;
}
