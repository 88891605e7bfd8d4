// The staff workspace in a real browser: an admin (created with
// `vigil user create`, so this works on SQLite and PostgreSQL alike) signs
// in, invites a recruiter, finds them in the user list and the audit log,
// and signs out; axe-core finds no serious or critical problem on the way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { BASE, checkAccessibility, createAdmin, remember, submit, useBrowser, withPage } from './harness.mjs';

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
    remember(link.split('/').pop());
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

    // E-mail templates: the German reminder to start, previewed for an example candidate, saved, then Vigil's own again.
    await page.goto(`${BASE}/staff`);
    await submit(page, '#templates-link');
    await checkAccessibility(page, 'e-mail templates');
    await submit(page, '#edit-start_reminder-de');
    await page.fill('#subject', 'Erinnerung von {organisation}');
    await page.fill('#body', '{greeting}\n\nSie haben noch nicht begonnen: {link}\nGültig bis {until}.');
    await submit(page, '#preview');
    assert.equal(await page.locator('#preview-subject').textContent(), 'Erinnerung von Demo Organisation');
    assert.match(await page.locator('#preview-body').textContent(), /^Guten Tag Alex Example,\s+Sie haben noch nicht begonnen: https:\/\/\S+\/take\/\S+\nGültig bis \d{4}-\d{2}-\d{2}\.$/);
    await checkAccessibility(page, 'template preview');
    await page.fill('#body', '{greeting}\n\n{link}');
    await submit(page, '#save');
    assert.match(await page.locator('#templates tr', { hasText: 'Erinnerung von {organisation}' }).textContent(), /Your own/);
    await submit(page, '#edit-start_reminder-de');
    await submit(page, '#reset');
    assert.equal(await page.locator('#templates tr', { hasText: 'Your own' }).count(), 0, "Vigil's own again");
    await page.goto(`${BASE}/staff`);

    await submit(page, '#sign-out');
    assert.ok(page.url().endsWith('/login?signed_out=1'), page.url());
    await page.goto(`${BASE}/admin/users`);
    assert.ok(page.url().endsWith('/login'), `signed out for good: ${page.url()}`);
    assert.deepEqual(consoleErrors, []);
  });
});

// A TOTP code (RFC 6238: HMAC-SHA1, 30 s, six digits) for a base32 key, as an authenticator app computes it.
function totp(base32Key, stepOffset = 0) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of base32Key.replace(/\s/g, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 30000) + stepOffset));
  const digest = createHmac('sha1', key).update(counter).digest();
  const offset = digest[19] & 0xf;
  return String((digest.readUInt32BE(offset) & 0x7fffffff) % 1000000).padStart(6, '0');
}

test('a staff member sets up an authenticator app, keeps recovery codes and signs in with a code', async () => {
  const admin = createAdmin();
  await withPage('staff-second-factor', async (page, _ctx, consoleErrors) => {
    await page.goto(`${BASE}/login`);
    await page.fill('#email', admin.email);
    await page.fill('#password', admin.password);
    await submit(page, '#sign-in');
    await submit(page, '#nav-security');
    assert.match(await page.locator('#second-factor-status').textContent(), /off/);
    await checkAccessibility(page, 'security, off');

    await submit(page, '#start-second-factor');
    assert.equal(await page.locator('.qr svg').count(), 1, 'a QR code to scan');
    const key = await page.locator('#totp-secret').textContent();
    await checkAccessibility(page, 'security, set-up');
    await page.fill('#code', totp(key));
    await submit(page, '#confirm-second-factor');
    assert.equal(await page.locator('#recovery-codes li').count(), 10);
    await checkAccessibility(page, 'recovery codes');

    await submit(page, '#back-to-security');
    assert.match(await page.locator('#second-factor-status').textContent(), /on/);
    await page.goto(`${BASE}/staff`);
    await submit(page, '#sign-out');
    await page.fill('#email', admin.email);
    await page.fill('#password', admin.password);
    await submit(page, '#sign-in');
    assert.ok(page.url().endsWith('/login/code'), `the password leads to the code: ${page.url()}`);
    await checkAccessibility(page, 'code');
    await page.fill('#code', '12345');
    await submit(page, '#verify-code');
    assert.match(await page.locator('#form-error').textContent(), /not right/);
    await page.fill('#code', totp(key, 1));
    await submit(page, '#verify-code', true);
    assert.ok(page.url().endsWith('/staff'), page.url());
    await page.goto(`${BASE}/account/security`);
    assert.match(await page.locator('#second-factor-status').textContent(), /on/);
    // The wrong code's page came with 422, which the browser reports; nothing else went wrong.
    assert.deepEqual(consoleErrors.filter((e) => !e.includes('status of 422')), []);
  });
});
