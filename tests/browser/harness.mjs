// Shared by the browser tests: Debian's Chromium through playwright-core,
// the server under test at VIGIL_BASE_URL (started by scripts/test.sh), and
// a screenshot of the page kept under artifacts/ whenever a test fails.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

export const BASE = process.env.VIGIL_BASE_URL ?? 'http://127.0.0.1:3000';
export const DB = process.env.VIGIL_DB ?? 'unknown';
const ARTIFACTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'artifacts');

export const FLAGS = [
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

/**
 * Notes a secret the run uses (a password, a link's token) in the file
 * VIGIL_SECRETS_FILE names, if any: scripts/test.sh then fails if the
 * server's log holds it (scripts/check-logs.py).
 */
export function remember(secret) {
  if (process.env.VIGIL_SECRETS_FILE) appendFileSync(process.env.VIGIL_SECRETS_FILE, `${secret}\n`);
  return secret;
}

/** A new invitation to the demo campaign; returns the candidate's link. */
// The demo's campaigns (server/src/demo.rs): the full fixed form, and the default, adaptive one.
export const FIXED_CAMPAIGN = 'Demo: full fixed battery (SVI 1.0.0 + SJS)';
export const ADAPTIVE_CAMPAIGN = 'Demo: Security Analyst hiring';

export function invite(language = 'en', campaign = FIXED_CAMPAIGN, name = undefined) {
  const bin = process.env.VIGIL_BIN;
  if (!bin) throw new Error('VIGIL_BIN is not set (scripts/test.sh sets it)');
  const named = name ? ['--name', name] : [];
  const link = execFileSync(bin, ['invite', '--org', 'demo', '--campaign', campaign, '--language', language, '--base-url', BASE, ...named], {
    env: { ...process.env, VIGIL_LOG: 'error' },
    encoding: 'utf8',
  }).trim();
  remember(link.split('/').pop());
  return link;
}

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** Runs axe-core on the page; fails on any serious or critical violation. */
export async function checkAccessibility(page, label) {
  // Evaluated through the DevTools protocol: an added <script> tag would be
  // an inline script without the page's nonce, which the CSP refuses.
  await page.evaluate(readFileSync(AXE, 'utf8'));
  const results = await page.evaluate(async () => await window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] }));
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (bad.length) {
    const summary = bad.map((v) => `${v.id} (${v.impact}): ${v.help} -> ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`).join('\n');
    throw new Error(`axe on ${label}: ${bad.length} serious/critical violations\n${summary}`);
  }
  return results.violations.length;
}

/** Answers every question on the current page with its `choice`-th option. */
export async function answerPage(page, { keyboard, choice = 1 }) {
  const groups = page.locator('fieldset.item');
  const n = await groups.count();
  for (let i = 0; i < n; i++) {
    const radios = groups.nth(i).locator('input[type=radio]');
    const radio = radios.nth(Math.min(choice, (await radios.count()) - 1));
    if (keyboard) {
      await radio.focus();
      await page.keyboard.press('Space');
    } else {
      await radio.check();
    }
    assert.equal(await radio.isChecked(), true);
  }
  return n;
}

/** Signs `who` ({ email, password }) in on `page`. */
export async function signIn(page, who) {
  await page.goto(`${BASE}/login`);
  await page.fill('#email', who.email);
  await page.fill('#password', who.password);
  await submit(page, '#sign-in');
}

export async function submit(page, selector, keyboard) {
  if (keyboard) {
    await page.focus(selector);
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  } else {
    await Promise.all([page.waitForNavigation(), page.click(selector)]);
  }
}

/** Goes through every page to the review, then finishes. Returns the number of questions answered. */
export async function completeBattery(page, { keyboard, axe }) {
  let answered = 0;
  let pages = 0;
  while (await page.locator('#next').count()) {
    if (axe && pages === 0) await checkAccessibility(page, 'first item page');
    answered += await answerPage(page, { keyboard });
    await submit(page, '#next', keyboard);
    pages += 1;
    assert.ok(pages < 40, 'too many pages');
  }
  assert.match(await page.locator('h1').textContent(), /Check and finish|Prüfen und abschließen/);
  if (axe) await checkAccessibility(page, 'review');
  await submit(page, '#finish', keyboard);
  return answered;
}

/** A new admin of the demo organisation; returns its e-mail and password. */
export function createAdmin() {
  return createStaff('admin');
}

/** A new staff member of the demo organisation with `role`; returns its e-mail and password. */
export function createStaff(role) {
  const bin = process.env.VIGIL_BIN;
  if (!bin) throw new Error('VIGIL_BIN is not set (scripts/test.sh sets it)');
  const id = randomBytes(4).toString('hex');
  const email = `browser-${role}-${id}@demo.vigil.test`;
  const password = remember(`browser-${randomBytes(12).toString('hex')}`);
  execFileSync(bin, ['user', 'create', '--org', 'demo', '--email', email, '--name', 'Bea Browser', '--role', role], {
    env: { ...process.env, VIGIL_LOG: 'error', VIGIL_PASSWORD: password },
    encoding: 'utf8',
  });
  return { email, password };
}
