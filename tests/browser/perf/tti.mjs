// Time to interactive of a candidate items page (issue 5). Not a test: run
// it with node against a running server (tests/browser/perf/run.sh does).
//
// Definition: from navigation start (performance.timeOrigin) to the moment
// the save-as-you-go island is live, i.e. the WASM has been fetched and
// instantiated, `hydrate()` ran and the AnswerSaver island attached its
// listeners to the answer form. Detected without touching the application:
// an init script wraps EventTarget.prototype.addEventListener and records
// performance.now() when a `submit` listener is added to form#answers (the
// last thing the island's attach() does; nothing else adds one). Each load
// is then checked: one radio is changed and #save-status must say "All
// answers saved." (the island really sends answers), outside the timing.
//
// Each load is cold: a new tab with the HTTP cache disabled (CDP
// Network.setCacheDisabled), the same candidate session (one invitation;
// the items page is /assessment?page=1). TTI_LOADS loads unthrottled, then
// TTI_LOADS with the CPU throttled TTI_THROTTLE times (CDP
// Emulation.setCPUThrottlingRate). Loopback network, no network throttling.
//
//   VIGIL_BASE_URL=http://127.0.0.1:PORT VIGIL_BIN=target/release/vigil DATABASE_URL=... node tests/browser/perf/tti.mjs
import { writeFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { BASE, FLAGS, invite } from '../harness.mjs';

const LOADS = Number(process.env.TTI_LOADS ?? 20);
const THROTTLE = Number(process.env.TTI_THROTTLE ?? 4);
const GOAL_MS = 1500;

const MARK = () => {
  const original = EventTarget.prototype.addEventListener;
  EventTarget.prototype.addEventListener = function (type, listener, options) {
    if (type === 'submit' && this instanceof HTMLFormElement && this.id === 'answers' && window.__vigilIslandLive === undefined) {
      window.__vigilIslandLive = performance.now();
    }
    return original.call(this, type, listener, options);
  };
};

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length, Math.max(1, Math.ceil(q * s.length))) - 1];
};

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: FLAGS });
try {
  const context = await browser.newContext();
  // One candidate: open the link, acknowledge the notice, reach the first page of items.
  const first = await context.newPage();
  await first.goto(invite('en'));
  await Promise.all([first.waitForNavigation(), first.click('#continue')]);
  if ((await first.locator('fieldset.item').count()) === 0) throw new Error(`no items page after the notice: ${first.url()}`);
  await first.close();
  await context.addInitScript(MARK);
  const url = `${BASE}/assessment?page=1`;

  let choice = 0;
  const load = async (rate) => {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate });
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForFunction(() => window.__vigilIslandLive !== undefined, null, { timeout: 60000 });
    const t = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      const fcp = performance.getEntriesByName('first-contentful-paint')[0];
      const wasm = performance.getEntriesByType('resource').find((r) => r.name.endsWith('.wasm'));
      return {
        tti: window.__vigilIslandLive,
        ttfb: nav.responseStart,
        fcp: fcp ? fcp.startTime : null,
        dcl: nav.domContentLoadedEventEnd,
        load: nav.loadEventEnd,
        wasm_end: wasm ? wasm.responseEnd : null,
      };
    });
    // The island is live: a change is saved through /api/save_answers.
    choice = (choice + 1) % 5;
    await page.locator('fieldset.item').nth(0).locator('input[type=radio]').nth(choice).check();
    await page.locator('#save-status').getByText('All answers saved.').waitFor({ timeout: 30000 });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    await page.close();
    return t;
  };

  const results = {};
  for (const [name, rate] of [['normal', 1], [`cpu ${THROTTLE}x`, THROTTLE]]) {
    await load(rate); // one unmeasured load to start the tab process pool and the server's page path
    const runs = [];
    for (let i = 0; i < LOADS; i++) runs.push(await load(rate));
    const fig = (k) => {
      const xs = runs.map((r) => r[k]).filter((x) => x !== null);
      return { median: Math.round(quantile(xs, 0.5)), p90: Math.round(quantile(xs, 0.9)), max: Math.round(Math.max(...xs)) };
    };
    results[name] = { loads: runs.length, tti: fig('tti'), ttfb: fig('ttfb'), fcp: fig('fcp'), dcl: fig('dcl'), load: fig('load'), wasm_end: fig('wasm_end'), raw_tti: runs.map((r) => Math.round(r.tti)) };
  }

  console.log('time to interactive of /assessment?page=1 (ms from navigation start; median / p90 / max of %d cold loads)', LOADS);
  console.log('%s %s %s %s %s %s', 'cpu'.padEnd(10), 'TTI (island live)'.padStart(20), 'TTFB'.padStart(16), 'FCP'.padStart(16), 'DOMContentLoaded'.padStart(18), 'WASM fetched'.padStart(16));
  for (const [name, r] of Object.entries(results)) {
    const f = (x) => `${x.median} / ${x.p90} / ${x.max}`;
    console.log('%s %s %s %s %s %s', name.padEnd(10), f(r.tti).padStart(20), f(r.ttfb).padStart(16), f(r.fcp).padStart(16), f(r.dcl).padStart(18), f(r.wasm_end).padStart(16));
  }
  const throttled = results[`cpu ${THROTTLE}x`].tti.median;
  console.log(`goal: TTI < ${GOAL_MS} ms with the CPU throttled 4x: ${throttled < GOAL_MS ? 'met' : 'MISSED'} (${throttled} ms)`);
  console.log(JSON.stringify({ url: '/assessment?page=1', loads: LOADS, throttle: THROTTLE, chromium: browser.version(), results }));
  if (process.env.TTI_OUT) writeFileSync(process.env.TTI_OUT, JSON.stringify({ loads: LOADS, throttle: THROTTLE, chromium: browser.version(), results }, null, 1));
} finally {
  await browser.close();
}
