// What only the server may know never reaches a candidate: no scoring key,
// reverse-key flag, SJT option key, IRT parameter or norm value is in the
// built bundle (WASM and JS) or in any response a candidate's browser
// receives over a whole fixed and a whole adaptive battery (pages, saves,
// scripts, styles). The markers are read from the shipped banks and norm
// tables themselves, so a new bank is covered without editing this test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ADAPTIVE_CAMPAIGN, BASE, FIXED_CAMPAIGN, answerPage, invite, submit, useBrowser, withPage } from './harness.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BANKS = path.join(ROOT, 'assessments/banks');

function tomlFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === 'simulation' ? [] : tomlFiles(full);
    return name.endsWith('.toml') ? [full] : [];
  });
}

/** A number precise enough not to turn up by chance in a page (three or more decimals). */
const precise = (n) => /\.\d{3,}$/.test(n);

/** Every secret a bank or norm table holds, as text that would give it away. */
function scoringMarkers() {
  // The bank format's own words, as TOML or as JSON.
  const words = [
    'reverse = true', 'reverse = false', '"reverse":', 'grm = {', '"grm":', 'key = 0', 'key = 3', '"key":0', '"key":3',
    '[[norm_table.scales]]', '"percentiles":', 'content_hash = ',
  ];
  const numbers = new Set();
  let parameters = 0;
  let norms = 0;
  for (const file of tomlFiles(BANKS)) {
    const text = readFileSync(file, 'utf8');
    for (const [, a, b] of text.matchAll(/grm\s*=\s*\{\s*a\s*=\s*(-?[\d.]+)\s*,\s*b\s*=\s*\[([^\]]*)\]/g)) {
      for (const n of [a, ...b.split(',').map((s) => s.trim())]) if (precise(n)) { numbers.add(n); parameters += 1; }
    }
    for (const [, n] of text.matchAll(/^(?:mean|sd|reliability)\s*=\s*(-?[\d.]+)\s*$/gm)) if (precise(n)) { numbers.add(n); norms += 1; }
  }
  assert.ok(parameters > 100 && norms > 10, `the markers come from the shipped banks (${parameters} parameters, ${norms} norm values)`);
  // A number counts only standing alone: "0.154" is not found in "serde_json-1.0.154".
  const alone = new RegExp(`(?<![\\d.])(?:${[...numbers].map((n) => n.replace(/[.-]/g, '\\$&')).join('|')})(?![\\d.])`, 'g');
  return { words, alone };
}

const MARKERS = scoringMarkers();

useBrowser();

/** The markers found in `text` (empty when it gives nothing away). */
const found = (text) => [...MARKERS.words.filter((m) => text.includes(m)), ...(text.match(MARKERS.alone) ?? [])];

test('the built bundle holds no scoring key, IRT parameter or norm', () => {
  const pkg = path.join(ROOT, 'target/site/pkg');
  for (const name of ['vigil_bg.wasm', 'vigil.js', 'bankcheck_bg.wasm', 'bankcheck.js']) {
    // Read as latin1: every byte one character, so text inside the WASM is found as written.
    const bytes = readFileSync(path.join(pkg, name)).toString('latin1');
    assert.ok(bytes.length > 1000, `${name} is there`);
    assert.deepEqual(found(bytes), [], `${name} gives scoring material away`);
  }
});

/** Every response body from the server while `run` drives the page. */
async function everythingReceived(page, run) {
  const bodies = [];
  const pending = [];
  page.on('response', (res) => {
    if (!res.url().startsWith(BASE)) return;
    pending.push(res.body().then((b) => bodies.push({ url: res.url(), text: b.toString('latin1') }), () => { /* a redirect has no body */ }));
  });
  await run();
  await Promise.all(pending);
  return bodies;
}

for (const [campaign, adaptive] of [[FIXED_CAMPAIGN, false], [ADAPTIVE_CAMPAIGN, true]]) {
  test(`nothing a candidate receives on ${adaptive ? 'an adaptive' : 'a fixed'} battery gives scoring material away`, async () => {
    await withPage(`secrecy-${adaptive ? 'adaptive' : 'fixed'}`, async (page) => {
      const bodies = await everythingReceived(page, async () => {
        await page.goto(invite('en', campaign));
        await submit(page, '#continue', false);
        for (let pages = 0; await page.locator('#next').count(); pages += 1) {
          assert.ok(pages < 200, 'the battery ends');
          await answerPage(page, { keyboard: false, choice: 1 + (pages % 4) });
          await submit(page, '#next', false);
        }
        await submit(page, '#finish', false);
        assert.equal(await page.locator('#done').textContent(), 'Thank you');
      });
      assert.ok(bodies.length > 10 && bodies.some((b) => b.url.includes('.wasm')), `the whole path was seen (${bodies.length} responses)`);
      for (const { url, text } of bodies) assert.deepEqual(found(text), [], `${url} gives scoring material away`);
    });
  });
}

