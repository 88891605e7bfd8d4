// Item analysis of the demo data in the browser: an administrator (who may
// analyse, as psychologists may) opens the instruments, asks for the item
// analysis of SVI 1.0.0 (the demo's fixed-form campaign), the page reloads itself until the job is done, and
// shows every scale's reliability and every item's numbers with an answer
// chart, axe clean; the JSON download has the same number of sessions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, checkAccessibility, createAdmin, submit, useBrowser, withPage } from './harness.mjs';

useBrowser();

test('item analysis of the demo data: asked for, computed as a job, shown with tables and charts', async () => {
  const admin = createAdmin();
  await withPage('item-analysis', async (page) => {
    await page.goto(`${BASE}/login`);
    await page.fill('#email', admin.email);
    await page.fill('#password', admin.password);
    await submit(page, '#sign-in');
    await page.goto(`${BASE}/instruments`);
    await submit(page, 'a[href="/instruments/svi/1.0.0/analysis"]');
    assert.match(await page.locator('h1').textContent(), /Item analysis: Security Values Inventory 1\.0\.0/);
    await checkAccessibility(page, 'item analysis before a run');
    if (await page.locator('#run-analysis').count()) {
      await submit(page, '#run-analysis');
    }
    // The page reloads itself every 2 s while the job runs.
    await page.locator('#computed-on').waitFor({ timeout: 90_000 });
    const json = await (await page.request.get(`${BASE}/instruments/svi/1.0.0/analysis/report.json`)).json();
    const scales = page.locator('section.scale-analysis');
    assert.equal(await scales.count(), json.report.scales.length, 'a section per scale');
    assert.ok(json.report.scales.length >= 5);
    assert.match(await scales.first().textContent(), /Alpha -?\d\.\d\d \[-?\d\.\d\d, -?\d\.\d\d\] \(95% interval, Feldt\), omega/);
    const items = json.report.scales.reduce((n, s) => n + s.item_stats.length, 0);
    assert.equal(await page.locator('svg.answer-bars[role=img]').count(), items, 'a chart of the answers per item');
    assert.ok(await page.locator('#small-n').count() === 1, 'the demo has fewer than 100 sessions: the numbers are called provisional');
    await checkAccessibility(page, 'item analysis result');

    assert.ok(json.report.sessions > 0);
    assert.equal(json.report.sessions, json.data_version.sessions);
    const shown = await page.locator('#computed-on').textContent();
    assert.match(shown, new RegExp(`on ${json.report.sessions} sessions`));
  });
});
