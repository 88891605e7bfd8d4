// The server renders every page; the WASM bundle hydrates it. The device
// check's button only becomes usable once the WASM has loaded, and then it
// calls a server function: so a passing test proves SSR, hydration and the
// server-function round trip together.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, useBrowser, withPage } from './harness.mjs';

useBrowser();

test('the device check works once the page has hydrated', async () => {
  await withPage('hydration', async (page, _ctx, consoleErrors) => {
    const response = await page.goto(`${BASE}/check`);
    assert.equal(response.status(), 200);
    const button = page.locator('#run-check');
    // Enabled only by the WASM (an effect that runs in the browser only).
    await button.waitFor({ state: 'visible' });
    await page.waitForFunction(() => !document.querySelector('#run-check').disabled, null, { timeout: 15000 });
    await button.click();
    await page.locator('#check-result').getByText(/Your browser is ready\. Connected to Vigil/).waitFor({ timeout: 10000 });
    assert.deepEqual(consoleErrors, []);
  });
});

test('without JavaScript the page still renders and says so', async () => {
  await withPage('no-javascript', async (page) => {
    await page.goto(`${BASE}/check`);
    assert.equal(await page.locator('h1').textContent(), 'Check your browser');
    // No WASM ran: the button stays disabled, the noscript note shows.
    assert.equal(await page.locator('#run-check').isDisabled(), true);
    assert.match(await page.locator('noscript, .notice').first().textContent(), /JavaScript is turned off/);
  }, { javaScriptEnabled: false });
});

test('the page is usable on a small phone screen', async () => {
  await withPage('phone', async (page) => {
    await page.goto(`${BASE}/check`);
    await page.waitForFunction(() => !document.querySelector('#run-check').disabled, null, { timeout: 15000 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    assert.equal(overflow, false, 'no horizontal scrolling at 360 px');
  }, { viewport: { width: 360, height: 640 }, isMobile: true, hasTouch: true });
});
