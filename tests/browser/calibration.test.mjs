// Calibration in a real browser: a psychologist asks for the calibration
// of one SVI scale on the demo's norming study, the page follows the job
// until the result (new parameters beside the current ones, information
// curves), axe clean, and saves it into a new draft, a major version.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BASE, checkAccessibility, createStaff, signIn, submit, useBrowser, withPage } from './harness.mjs';

useBrowser();

const BANKS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../assessments/banks');
const STUDY = 'Demo: SVI norming study (simulated participants)';

test('a calibration runs as a job to its result and is saved into a draft', async () => {
  const psychologist = createStaff('psychologist');
  const id = `svi-cal-${randomBytes(3).toString('hex')}`;
  execFileSync(process.env.VIGIL_BIN, ['demo', 'norming-study', '--participants', '220', '--banks', BANKS], { env: { ...process.env, VIGIL_LOG: 'error' }, encoding: 'utf8' });
  await withPage('calibration', async (page) => {
    await signIn(page, psychologist);
    await page.goto(`${BASE}/instruments`);
    await submit(page, 'a[href="/instruments/svi/1.0.0/calibration"]');
    await checkAccessibility(page, 'calibration form');
    await page.selectOption('#scale', 'vigilance');
    await page.selectOption('#campaign', { label: STUDY });
    await submit(page, '#run-calibration');
    // The page reloads itself every 2 s while the job waits or runs.
    await page.locator('#calibration-result').waitFor({ timeout: 120_000 });
    const result = await page.locator('#calibration-result').textContent();
    assert.match(result, /\d+ sessions/);
    assert.match(result, /marginal reliability 0\.\d{3}/);
    assert.match(result, /demonstration values/, 'the demo organisation\'s data are simulated');
    assert.equal(await page.locator('#calibration-result svg.information[role=img]').count(), 1, 'the information curves of the scale');
    assert.ok(await page.locator('#calibration-result tbody tr').count() >= 6, 'a row per item');
    await checkAccessibility(page, 'calibration result');
    await page.fill('#new-id', id);
    await submit(page, '#save-draft');
    assert.match(page.url(), /\/drafts\/[0-9a-f-]+$/);
    assert.match(await page.locator('#next-version').textContent(), /^2\.0\.0$/, 'new IRT parameters make a major version');
  });
});
