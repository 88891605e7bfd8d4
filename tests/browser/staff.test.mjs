// The staff workspace in a real browser: an admin (created with
// `vigil user create`, so this works on SQLite and PostgreSQL alike) signs
// in, invites a recruiter, finds them in the user list and the audit log,
// and signs out; axe-core finds no serious or critical problem on the way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { BASE, checkAccessibility, createAdmin, submit, useBrowser, withPage } from './harness.mjs';

useBrowser();

test('an admin signs in, invites a recruiter, sees the audit entry and signs out', async () => {
  const admin = createAdmin();
  const recruiter = `recruiter-${randomBytes(4).toString('hex')}@demo.vigil.test`;
  await withPage('staff-admin', async (page, _ctx, consoleErrors) => {
    await page.goto(`${BASE}/staff`);
    assert.ok(page.url().endsWith('/login'), `anonymous visitors are sent to sign in: ${page.url()}`);
    await checkAccessibility(page, 'sign-in');

    await page.fill('#email', admin.email);
    await page.fill('#password', 'not-the-password');
    await submit(page, '#sign-in');
    assert.match(await page.locator('#login-message').textContent(), /not right/);

    await page.fill('#email', admin.email);
    await page.fill('#password', admin.password);
    await submit(page, '#sign-in');
    assert.ok(page.url().endsWith('/staff'), page.url());
    assert.equal(await page.locator('#staff-name').textContent(), 'Bea Browser');
    assert.equal(await page.locator('#staff-role').textContent(), 'Administrator');
    await checkAccessibility(page, 'staff home');

    await submit(page, 'a[href="/admin/users"] >> nth=0');
    assert.ok(page.url().endsWith('/admin/users'), page.url());
    await checkAccessibility(page, 'users');
    await page.fill('#invite-name', 'Remy Recruiter');
    await page.fill('#invite-email', recruiter);
    await page.selectOption('#invite-role', 'recruiter');
    await submit(page, '#invite');
    assert.equal(await page.locator('h1').textContent(), 'Account created');
    const link = await page.locator('#setup-link').inputValue();
    assert.match(link, /\/set-password\/[0-9a-f]{64}$/);
    await checkAccessibility(page, 'account created');

    await submit(page, '#back-to-users');
    const row = page.locator('#users tr', { hasText: recruiter });
    assert.equal(await row.count(), 1, 'the new recruiter is listed');
    assert.match(await row.textContent(), /Recruiter.*Invited/);

    await submit(page, 'a[href="/admin/audit"] >> nth=0');
    const entry = page.locator('#audit tr', { hasText: recruiter }).filter({ hasText: 'Colleague invited' });
    assert.equal(await entry.count(), 1, 'the invitation is in the audit log');
    assert.match(await entry.textContent(), /Bea Browser/);
    assert.equal(await page.locator('#audit', { hasText: link.split('/').pop() }).count(), 0, 'the token is not');
    await checkAccessibility(page, 'audit log');

    await submit(page, '#sign-out');
    assert.ok(page.url().endsWith('/login?signed_out=1'), page.url());
    await page.goto(`${BASE}/admin/users`);
    assert.ok(page.url().endsWith('/login'), `signed out for good: ${page.url()}`);
    assert.deepEqual(consoleErrors, []);
  });
});
