// Fairness checks and German for staff in a real browser: an administrator
// reads the group-question settings; a psychologist compares the demo's
// groups (no group under 5 counted); an administrator switches their pages
// to German and back. axe-core finds no serious or critical problem.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, checkAccessibility, createAdmin, createStaff, signIn, submit, useBrowser, withPage } from './harness.mjs';

useBrowser();

test('a psychologist compares the demo groups; an administrator sees the questions asked and reads Vigil in German', async () => {
  await withPage('fairness-psychologist', async (page, _ctx, consoleErrors) => {
    await signIn(page, createStaff('psychologist'));
    await submit(page, '#fairness-link');
    assert.equal(await page.locator('h1').textContent(), 'Fairness between groups');
    await page.selectOption('#bank', 'svi@1.0.0');
    await page.selectOption('#variable', 'gender');
    await submit(page, '#fairness-run');
    const rows = await page.locator('#fairness-groups tbody tr').allTextContents();
    assert.equal(rows.length, 3, `${rows}`);
    for (const row of rows) {
      const n = row.match(/(\d+)$/);
      assert.ok(row.endsWith('fewer than 5') || (n && Number(n[1]) >= 5), `a group is counted only from 5 people: ${row}`);
    }
    assert.ok(await page.locator('#fairness-result h3').count() >= 1, 'a focal group compared with the reference');
    await checkAccessibility(page, 'fairness check');
    assert.deepEqual(consoleErrors, []);
  });
  await withPage('fairness-admin-german', async (page, _ctx, consoleErrors) => {
    await signIn(page, createAdmin());
    await submit(page, '#fairness-settings-link');
    assert.ok(await page.locator('#fairness-settings input[value=gender]').isChecked(), 'the demo asks about gender');
    await checkAccessibility(page, 'group questions');
    await page.goto(`${BASE}/account/security`);
    await page.selectOption('#language', 'de');
    await submit(page, '#save-language');
    await page.goto(`${BASE}/staff`);
    assert.equal(await page.locator('html').getAttribute('lang'), 'de');
    assert.equal(await page.locator('#sign-out').textContent(), 'Abmelden');
    // The frame around the page (skip link, footer) shows its German only.
    assert.equal((await page.locator('.skip-link').innerText()).trim(), 'Zum Inhalt springen');
    assert.equal((await page.locator('.site-footer').innerText()).trim(), 'Vigil unterstützt Entscheidungen von Menschen; es trifft sie nie.');
    await checkAccessibility(page, 'start page in German');
    await page.goto(`${BASE}/campaigns`);
    assert.equal(await page.locator('#new-campaign').textContent(), 'Neue Kampagne');
    await checkAccessibility(page, 'campaigns in German');
    // The pages the server writes follow the language too.
    for (const [path, heading] of [['/admin/fairness', 'Gruppenfragen für Fairness-Prüfungen'], ['/admin/integrations', 'Integrationen'], ['/account/security', 'Sicherheit Ihres Kontos']]) {
      await page.goto(`${BASE}${path}`);
      assert.equal(await page.locator('html').getAttribute('lang'), 'de', path);
      assert.equal((await page.locator('h1').textContent()).trim(), heading, path);
      await checkAccessibility(page, `${path} in German`);
    }
    await page.goto(`${BASE}/account/security`);
    await page.selectOption('#language', 'en');
    await submit(page, '#save-language');
    await page.goto(`${BASE}/staff`);
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    assert.equal((await page.locator('.site-footer').innerText()).trim(), "Vigil informs people's decisions; it never makes them.");
    assert.deepEqual(consoleErrors, []);
  });
});
