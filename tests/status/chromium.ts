/**
 * Headless Chromium for the status-page test: Debian's `chromium` driven by playwright-core.
 * playwright-core is loaded with require() so a missing install is a clear test failure rather
 * than a compile error; only the calls the tests use are typed here.
 */
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where Debian installs Chromium (override with CHROMIUM_PATH). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** True when the browser test is to be skipped rather than fail on a missing browser or driver. */
export const SKIP_BROWSER = process.env.TRIBUTARY_SKIP_BROWSER === '1';

/** The part of a playwright Locator the tests use. */
export interface Locator {
  count(): Promise<number>;
  first(): Locator;
  nth(index: number): Locator;
  getAttribute(name: string): Promise<string | null>;
  textContent(): Promise<string | null>;
}

/** The part of a playwright Page the tests use. */
export interface Page {
  goto(url: string, options?: { waitUntil?: 'load' | 'networkidle' }): Promise<unknown>;
  locator(selector: string): Locator;
  title(): Promise<string>;
  screenshot(options: { path?: string; fullPage?: boolean }): Promise<Buffer>;
  evaluate<R>(expression: string): Promise<R>;
  on(event: 'request', listener: (request: { url(): string }) => void): void;
}

/** The part of a playwright (persistent) BrowserContext the tests use: the browser with its profile. */
export interface Browser {
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

interface PlaywrightCore {
  chromium: {
    launchPersistentContext(
      userDataDir: string,
      options: { executablePath: string; headless: boolean; args: string[]; viewport: { width: number; height: number } },
    ): Promise<Browser>;
  };
}

/** Why the browser cannot run, or undefined when it can. */
export function missingBrowser(): string | undefined {
  if (!existsSync(CHROMIUM_PATH)) return `${CHROMIUM_PATH} is missing (apt-get install chromium)`;
  try {
    createRequire(import.meta.url).resolve('playwright-core');
  } catch {
    return 'playwright-core is not installed (npm install --save-dev playwright-core)';
  }
  return undefined;
}

/** Launches headless Chromium with a fresh profile (its --user-data-dir) and no background traffic. */
export async function launchChromium(viewport = { width: 1280, height: 800 }): Promise<Browser> {
  const { chromium } = createRequire(import.meta.url)('playwright-core') as PlaywrightCore;
  const profile = await mkdtemp(join(tmpdir(), 'tributary-chromium-'));
  // Playwright passes the profile to Chromium as --user-data-dir (it refuses the flag in args).
  return chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    viewport,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync',
    ],
  });
}

/** Pixel statistics of a PNG, decoded by the browser itself (canvas), so no image library is needed. */
export interface PixelStats {
  width: number;
  height: number;
  /** Distinct colours (RGB quantised to 4 bits per channel). */
  colours: number;
  /** Share of pixels of the most common colour. */
  dominantShare: number;
  /** Pixels that are clearly red (the failing-source marking). */
  redPixels: number;
}

/** Decodes the PNG in a blank page and measures it. */
export async function pixelStats(page: Page, png: Buffer): Promise<PixelStats> {
  await page.goto('about:blank');
  return page.evaluate<PixelStats>(`(async () => {
    const img = new Image();
    img.src = 'data:image/png;base64,${png.toString('base64')}';
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = img.width; canvas.height = img.height;
    const ctx = canvas.getContext('2d');
    ctx.drawImage(img, 0, 0);
    const data = ctx.getImageData(0, 0, img.width, img.height).data;
    const counts = new Map();
    let red = 0;
    for (let i = 0; i < data.length; i += 4) {
      const r = data[i], g = data[i + 1], b = data[i + 2];
      const key = (r >> 4) << 8 | (g >> 4) << 4 | (b >> 4);
      counts.set(key, (counts.get(key) || 0) + 1);
      if (r > 150 && r - g > 60 && r - b > 60) red++;
    }
    const total = data.length / 4;
    return { width: img.width, height: img.height, colours: counts.size, dominantShare: Math.max(...counts.values()) / total, redPixels: red };
  })()`);
}
