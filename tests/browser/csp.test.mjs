// The Content-Security-Policy allows no inline script: Leptos's hydration
// bootstrap runs because it carries the per-request nonce the policy names.
// On the candidate pages, the sign-in page and the device check the browser
// reports no violation, and the WASM islands still come to life.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, invite, useBrowser, withPage } from './harness.mjs';

useBrowser();

/** Records every CSP violation of every page of the context (before any page script runs). */
async function recordViolations(context) {
  await context.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations.push(`${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`);
    });
  });
}

/** Fails when the current page reported a violation or logged an error (CSP refusals are console errors too). */
async function assertClean(page, consoleErrors, label) {
  const violations = await page.evaluate(() => window.__cspViolations);
  assert.deepEqual(violations, [], `CSP violations on ${label}`);
  assert.deepEqual(consoleErrors, [], `console errors on ${label}`);
}

async function navigate(page, selector) {
  await Promise.all([page.waitForNavigation(), page.click(selector)]);
}

test('a candidate\'s pages run under the policy and the answer saver hydrates', async () => {
  await withPage('csp-candidate', async (page, context, consoleErrors) => {
    await recordViolations(context);
    await page.goto(invite('en'));
    assert.equal(await page.locator('h1').textContent(), 'Before you start');
    await page.waitForLoadState('networkidle');
    await assertClean(page, consoleErrors, 'the notice');
    await navigate(page, '#continue');
    await page.waitForLoadState('networkidle');
    // Only the hydrated island saves an answer as soon as it is given.
    await page.locator('fieldset.item').nth(0).locator('input[type=radio]').nth(2).check();
    await page.locator('#save-status').getByText('All answers saved.').waitFor({ timeout: 15000 });
    await assertClean(page, consoleErrors, 'the first item page');
  });
});

test('the sign-in page and the device check run under the policy', async () => {
  await withPage('csp-staff', async (page, context, consoleErrors) => {
    await recordViolations(context);
    const login = await page.goto(`${BASE}/login`);
    const csp = login.headers()['content-security-policy'];
    assert.match(csp, /script-src 'self' 'nonce-[A-Za-z0-9+/_-]{22,}={0,2}' 'wasm-unsafe-eval'/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    await page.waitForLoadState('networkidle');
    await assertClean(page, consoleErrors, '/login');
    await page.goto(`${BASE}/check`);
    await page.waitForFunction(() => !document.querySelector('#run-check').disabled, null, { timeout: 15000 });
    await assertClean(page, consoleErrors, '/check');
  });
});

test('an inline script without the nonce is refused and reported (the check above can fail)', async () => {
  await withPage('csp-refuses-inline', async (page, context) => {
    await recordViolations(context);
    await page.goto(`${BASE}/login`);
    await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.__inlineRan = true;';
      document.head.append(script);
    });
    await page.waitForFunction(() => window.__cspViolations.length > 0, null, { timeout: 10000 });
    assert.equal(await page.evaluate(() => window.__inlineRan), undefined);
    assert.match((await page.evaluate(() => window.__cspViolations))[0], /^script-src-elem blocked inline/);
  });
});
