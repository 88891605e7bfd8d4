// The WASM size budget (issue 2): measured on what a candidate-facing page
// actually loads in Chromium, each response compressed with brotli as the
// server would send it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { brotliCompressSync, constants } from 'node:zlib';
import { BASE, invite, useBrowser, withPage } from './harness.mjs';

const KB = 1024;
const WASM_BUDGET = 150 * KB;        // the WASM a candidate page loads, brotli
const PAGE_BUDGET = 200 * KB;        // everything loaded before interactive, brotli
// Candidate-facing pages: the device check, and a page of items (reached
// through a fresh invitation and the notice).
const CANDIDATE_PAGES = [
  { name: 'device check', open: async (page) => page.goto(`${BASE}/check`) },
  {
    name: 'items page',
    open: async (page) => {
      await page.goto(invite('en'));
      await Promise.all([page.waitForNavigation(), page.click('#continue')]);
    },
  },
];

const brotli = (buf) => brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;

useBrowser();

for (const { name, open } of CANDIDATE_PAGES) {
  test(`the ${name} stays within the size budget`, async () => {
    await withPage(`budget-${name}`, async (page) => {
      const sizes = [];
      page.on('response', async (res) => {
        if (!res.url().startsWith(BASE)) return;
        try { sizes.push({ url: res.url(), brotli: brotli(await res.body()) }); } catch { /* redirects have no body */ }
      });
      await open(page);
      // Measure one cold load of the final page: no cache, nothing counted from earlier pages.
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
      await page.waitForLoadState('networkidle');
      sizes.length = 0;
      await page.reload();
      await page.waitForLoadState('networkidle');
      const wasm = sizes.filter((s) => s.url.endsWith('.wasm')).reduce((a, s) => a + s.brotli, 0);
      const total = sizes.reduce((a, s) => a + s.brotli, 0);
      console.log(`budget ${name}: wasm ${(wasm / KB).toFixed(1)} KB brotli (limit ${WASM_BUDGET / KB}), page total ${(total / KB).toFixed(1)} KB brotli (limit ${PAGE_BUDGET / KB})`);
      assert.ok(wasm > 0, 'the page loaded a WASM bundle');
      assert.ok(wasm <= WASM_BUDGET, `WASM ${wasm} B brotli exceeds ${WASM_BUDGET} B`);
      assert.ok(total <= PAGE_BUDGET, `page total ${total} B brotli exceeds ${PAGE_BUDGET} B`);
    });
  });
}
