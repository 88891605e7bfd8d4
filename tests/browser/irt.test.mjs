// Adaptive scores reach the recruiter: a candidate takes the adaptive demo
// campaign by keyboard alone; the recruiter's profile shows every scale
// with its IRT (adaptive) score, 90% band, items asked and why the run
// stopped (axe clean), labels the demonstration parameters, and the CSV
// export has the IRT columns for the candidate.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { ADAPTIVE_CAMPAIGN, BASE, answerPage, checkAccessibility, createAdmin, invite, submit, useBrowser, withPage } from './harness.mjs';

useBrowser();

test('an adaptive candidate by keyboard; the recruiter reads every scale with its band; the CSV has the IRT columns', async () => {
  const name = `Ira Adaptive ${randomBytes(4).toString('hex')}`;
  await withPage('irt-candidate', async (page) => {
    await page.goto(invite('en', ADAPTIVE_CAMPAIGN, name));
    await submit(page, '#continue', true);
    let pages = 0;
    while (await page.locator('#next').count()) {
      // A moderate respondent: "agree" / "neither" alternately.
      await answerPage(page, { keyboard: true, choice: pages % 2 === 0 ? 3 : 2 });
      await submit(page, '#next', true);
      pages += 1;
      assert.ok(pages < 200, 'the adaptive run ends');
    }
    await submit(page, '#finish', true);
    assert.equal(await page.locator('#done').textContent(), 'Thank you');
  });

  const admin = createAdmin();
  await withPage('irt-recruiter', async (page) => {
    await page.goto(`${BASE}/login`);
    await page.fill('#email', admin.email);
    await page.fill('#password', admin.password);
    await submit(page, '#sign-in');
    await page.goto(`${BASE}/campaigns`);
    await submit(page, `a:has-text("${ADAPTIVE_CAMPAIGN}")`);
    const campaignUrl = page.url().split('?')[0];
    await page.goto(`${campaignUrl}?q=${encodeURIComponent(name)}`);
    await submit(page, `#candidates a:has-text("${name}")`);

    const main = await page.locator('main').textContent();
    assert.match(main, /Demonstration IRT parameters - not for decisions/);
    const svi = page.locator('section.instrument').first();
    const scales = svi.locator('section.scale');
    assert.equal(await scales.count(), 9, 'the nine SVI scales');
    for (let i = 0; i < 9; i++) {
      const text = await scales.nth(i).textContent();
      assert.match(text, /Scored by IRT \(adaptive\): \d+ of \d+ items asked; stopped: [a-z ]+;/, text);
      assert.match(text, /T score\s*\d+\s*\(90% band \d+ to \d+\)/, text);
    }
    assert.equal(await svi.locator('svg[role=img]').count(), 9, 'a chart with its band per scale');
    await checkAccessibility(page, 'adaptive profile');

    const csv = await (await page.request.get(`${campaignUrl}/export.csv`)).text();
    const lines = csv.replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    const header = lines[0].split(',');
    for (const column of ['svi.security_motivation.method', 'svi.security_motivation.estimate', 'svi.security_motivation.se', 'svi.security_motivation.stop', 'svi.security_motivation.lz_star']) {
      assert.ok(header.includes(column), `CSV column ${column}`);
    }
    const row = lines.find((l) => l.startsWith(`${name},`) || l.startsWith(`"${name}",`));
    assert.ok(row, 'the candidate has a row');
    const cells = row.split(',');
    assert.equal(cells[header.indexOf('svi.security_motivation.method')], 'IRT (adaptive)');
    assert.ok(Number.isFinite(Number(cells[header.indexOf('svi.security_motivation.estimate')])), 'theta is a number');
  });
});
