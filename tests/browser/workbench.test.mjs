// The instrument workbench in a real browser: a psychologist uploads a bank
// file that names an item twice and sees the problem with its line, fixes it
// in the editor (the live check says so while typing, in the browser's own
// WASM, and through the server where that cannot load), previews it in German
// at phone width, publishes it; a recruiter's campaign form then offers the
// new version. axe-core finds no serious problem on the way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BASE, checkAccessibility, createStaff, signIn, submit, useBrowser, withPage } from './harness.mjs';

useBrowser();

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

test('a psychologist uploads, fixes, previews and publishes a bank; recruiters are offered it', async () => {
  const psychologist = createStaff('psychologist');
  const recruiter = createStaff('recruiter');
  const id = `browser-${randomBytes(3).toString('hex')}`;
  const shipped = readFileSync(path.join(ROOT, 'assessments/banks/sjs/1.0.0.toml'), 'utf8');
  const broken = shipped.replace('id = "sjs"', `id = "${id}"`).replace('id = "sjs-02"', 'id = "sjs-01"');
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'vigil-bank-')), `${id}.toml`);
  writeFileSync(file, broken);

  await withPage('workbench', async (page) => {
    await signIn(page, psychologist);
    await page.goto(`${BASE}/instruments`);
    assert.match(await page.locator('h1').textContent(), /Instruments/);
    await checkAccessibility(page, 'instrument library');
    await page.setInputFiles('#bank-file', file);
    await submit(page, '#upload');
    assert.match(page.url(), /\/drafts\/[0-9a-f-]+$/);
    const problem = await page.locator('#problems').textContent();
    assert.match(problem, /line \d+: `sjs-01`: duplicate item id/, problem);
    await checkAccessibility(page, 'draft with a problem');

    // Fix it in the editor; the live check follows the typing.
    const text = await page.locator('#source').inputValue();
    const first = text.indexOf('id = "sjs-01"');
    const second = text.indexOf('id = "sjs-01"', first + 1);
    assert.ok(second > first, 'the duplicate is in the editor');
    // The check runs in the browser: no request reaches the server's check while typing.
    let serverChecks = 0;
    page.on('request', (req) => { if (req.url().endsWith('/check')) serverChecks += 1; });
    await page.fill('#source', `${text}\n`);
    const twice = page.locator('#live-status', { hasText: 'problem(s)' });
    await twice.waitFor({ timeout: 30_000 });
    assert.equal(await twice.getAttribute('data-checker'), 'browser');
    assert.match(await page.locator('#live-list').textContent(), /line \d+: `sjs-01`: duplicate item id/);
    await page.fill('#source', `${text.slice(0, second)}id = "sjs-02"${text.slice(second + 'id = "sjs-01"'.length)}`);
    await page.locator('#live-status', { hasText: 'No problems in the text as typed.' }).waitFor({ timeout: 30_000 });
    assert.equal(await page.locator('#live-status').getAttribute('data-checker'), 'browser');
    assert.equal(serverChecks, 0, 'the server was not asked');
    await submit(page, '#save-source');
    assert.match(await page.locator('#notice').textContent(), /Saved as revision 2/);
    assert.equal(await page.locator('#problems').count(), 0, 'no problem left');
    assert.match(await page.locator('#status').textContent(), /Ready to publish as version 1\.0\.0/);

    // Preview in German at phone width, with the candidate's own component.
    await submit(page, 'a[href$="preview?lang=de&phone=1"]');
    assert.equal(await page.locator('section.assessment').getAttribute('lang'), 'de');
    const frame = await page.locator('#preview.phone-frame').boundingBox();
    assert.ok(frame && frame.width <= 376, `phone width: ${frame?.width}`);
    assert.ok(await page.locator('#preview fieldset.item.scenario').count() > 0, 'scenarios as candidates see them');
    assert.match(await page.locator('#preview').textContent(), /Frage/);
    await checkAccessibility(page, 'preview in German at phone width');

    // Publish.
    await page.goto(page.url().replace(/\/preview.*$/, ''));
    await page.fill('#note', 'First version of our own scenarios');
    await submit(page, '#publish');
    assert.match(page.url(), new RegExp(`/instruments\\?published=${id}@1\\.0\\.0$`));
    assert.match(await page.locator('#notice').textContent(), /Published/);
    assert.match(await page.locator(`#instrument-${id}`).textContent(), /First version of our own scenarios/);
  });

  // Where the browser's checker cannot load, the server checks, with the same words.
  await withPage('workbench-without-wasm', async (page) => {
    await page.route('**/pkg/bankcheck_bg.wasm', (route) => route.abort());
    await signIn(page, psychologist);
    await page.goto(`${BASE}/instruments`);
    const other = path.join(path.dirname(file), `${id}-b.toml`);
    writeFileSync(other, broken.replace(`id = "${id}"`, `id = "${id}-b"`));
    await page.setInputFiles('#bank-file', other);
    await submit(page, '#upload');
    const text = await page.locator('#source').inputValue();
    await page.fill('#source', `${text}\n`);
    const status = page.locator('#live-status');
    await status.waitFor({ timeout: 30_000 });
    assert.equal(await status.getAttribute('data-checker'), 'server');
    assert.match(await page.locator('#live-list').textContent(), /line \d+: `sjs-01`: duplicate item id/);
  });

  await withPage('workbench-recruiter', async (page) => {
    await signIn(page, recruiter);
    await page.goto(`${BASE}/campaigns/new`);
    const offered = page.locator(`input[name="version:${id}"][value="1.0.0"]`);
    assert.equal(await offered.count(), 1, 'the new version is offered for new campaigns');
  });
});
