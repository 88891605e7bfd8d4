// Shared by the browser tests: Debian's Chromium through playwright-core,
// the server under test at VIGIL_BASE_URL (started by scripts/test.sh), and
// a screenshot of the page kept under artifacts/ whenever a test fails.
import { after, before } from 'node:test';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const BASE = process.env.VIGIL_BASE_URL ?? 'http://127.0.0.1:3000';
export const DB = process.env.VIGIL_DB ?? 'unknown';
const ARTIFACTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'artifacts');

const FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
];

let browser;

/** Starts one Chromium for the test file and closes it afterwards. */
export function useBrowser() {
  before(async () => {
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: FLAGS });
  });
  after(async () => { await browser?.close(); });
  return () => browser;
}

/**
 * Runs `body(page, context)` in a fresh browser context; on failure saves a
 * full-page screenshot to artifacts/<db>-<name>.png and rethrows.
 */
export async function withPage(name, body, contextOptions = {}) {
  const context = await browser.newContext(contextOptions);
  const page = await context.newPage();
  const consoleErrors = [];
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  try {
    await body(page, context, consoleErrors);
  } catch (err) {
    mkdirSync(ARTIFACTS, { recursive: true });
    const file = path.join(ARTIFACTS, `${DB}-${name.replace(/[^a-z0-9-]+/gi, '-')}.png`);
    await page.screenshot({ path: file, fullPage: true }).catch(() => {});
    err.message += `\n(screenshot: ${file}; browser console: ${JSON.stringify(consoleErrors)})`;
    throw err;
  } finally {
    await context.close();
  }
}
