// The recruiter's whole path in a real browser, as the issue describes it:
// an admin creates a recruiter; the recruiter sets a password, creates a
// campaign and uploads a CSV file of invitations; two candidates (driven
// by this test) complete the battery from the links in the outbox; the
// recruiter reads a profile, compares the two, records a decision, exports
// the CSV and prints the profile to PDF; the admin finds all of it in the
// audit log. axe-core finds no serious or critical problem on any page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { BASE, answerPage, checkAccessibility, createAdmin, remember, submit, useBrowser, withPage } from './harness.mjs';

useBrowser();

async function signIn(page, email, password) {
  await page.goto(`${BASE}/login`);
  await page.fill('#email', email);
  await page.fill('#password', password);
  await submit(page, '#sign-in');
  assert.ok(page.url().endsWith('/staff'), `signed in: ${page.url()}`);
}

/** Takes the assessment behind `link`, answering every question with option `choice`. */
async function takeAssessment(link, choice) {
  await withPage(`candidate-${choice}`, async (page) => {
    await page.goto(link);
    await submit(page, '#continue');
    let pages = 0;
    while (await page.locator('#next').count()) {
      await answerPage(page, { keyboard: false, choice });
      await submit(page, '#next');
      pages += 1;
      assert.ok(pages < 40, 'too many pages');
    }
    await submit(page, '#finish');
    assert.match(await page.locator('#done').textContent(), /^(Thank you|Vielen Dank)$/, 'one invitation is in German');
  });
}

test('admin, recruiter and two candidates: campaign, CSV invitations, profiles, comparison, decision, exports, PDF, audit', async () => {
  const admin = createAdmin();
  const tag = randomBytes(4).toString('hex');
  const recruiterEmail = `remy-${tag}@demo.vigil.test`;
  const recruiterPassword = remember(`remy-${randomBytes(12).toString('hex')}`);
  const campaignName = `Browser campaign ${tag}`;
  const people = [
    { name: `Ada Lovelace ${tag}`, email: `ada-${tag}@example.org` },
    { name: `Karl Weber ${tag}`, email: `karl-${tag}@example.de` },
  ];
  const withdrawn = { name: `Mo Withdrawn ${tag}`, email: `mo-${tag}@example.org` };

  // 1. The admin creates the recruiter's account and hands over the one-time link.
  let setupLink;
  await withPage('path-admin-invites', async (page) => {
    await signIn(page, admin.email, admin.password);
    await page.goto(`${BASE}/admin/users`);
    await page.fill('#invite-name', 'Remy Recruiter');
    await page.fill('#invite-email', recruiterEmail);
    await page.selectOption('#invite-role', 'recruiter');
    await submit(page, '#invite');
    setupLink = await page.locator('#setup-link').inputValue();
    remember(setupLink.split('/').pop());
  });

  // 2. The recruiter sets a password, signs in and creates a campaign.
  let campaignUrl;
  let links = [];
  await withPage('path-recruiter-campaign', async (page, _ctx, consoleErrors) => {
    await page.goto(setupLink);
    await page.fill('#new-password', recruiterPassword);
    await page.fill('#repeat-password', recruiterPassword);
    await submit(page, '#set-password');
    await signIn(page, recruiterEmail, recruiterPassword);

    await submit(page, 'nav a[href="/campaigns"]');
    await checkAccessibility(page, 'campaign list');
    await submit(page, '#new-campaign');
    await checkAccessibility(page, 'new campaign');
    await page.fill('#campaign-name', campaignName);
    await page.fill('#role-family', 'security operations');
    // Each instrument's newest version is chosen to begin with; the older SVI is chosen here.
    assert.equal(await page.locator('input[name="version:svi"][value="1.1.0"]').isChecked(), true, 'the newest SVI is preselected');
    assert.match(await page.locator('label[for="bank-svi-1-0-0"]').textContent(), /older version: 1\.1\.0 is newer/);
    await page.check('#use-svi');
    await page.check('input[name="version:svi"][value="1.0.0"]');
    await page.check('#use-sjs');
    await submit(page, '#create-campaign');
    assert.match(page.url(), /\/campaigns\/[0-9a-f-]{36}\?created=1$/);
    campaignUrl = page.url().replace('?created=1', '');
    assert.match(await page.locator('h1').textContent(), new RegExp(campaignName));
    assert.match(await page.locator('#battery').textContent(), /Security Values Inventory[\s\S]*Demonstration norms - not for decisions/);
    await checkAccessibility(page, 'campaign');

    // 3. A CSV file: a byte-order mark, semicolons, two good rows and a bad one.
    const csv = `\u{feff}name;email;language\n${people[0].name};${people[0].email};en\n${people[1].name};${people[1].email};de\nNo Address;not-an-address;en\n${withdrawn.name};${withdrawn.email};en\n`;
    await page.setInputFiles('#upload-file', { name: 'candidates.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    await submit(page, '#upload');
    assert.equal(await page.locator('#import-created').textContent(), '3');
    assert.equal(await page.locator('#import-errors').textContent(), '1');
    assert.match(await page.locator('#import-problems').textContent(), /4[\s\S]*not a valid e-mail address/);
    await checkAccessibility(page, 'upload report');

    // Reminders show who would get one first; everyone was written to just now, so nobody yet.
    await page.goto(campaignUrl);
    await submit(page, '#remind-unfinished');
    await page.locator('#nobody-to-remind').waitFor();
    assert.equal(await page.locator('#reminder-skipped tbody tr').count(), 3, 'the three invited, each with the reason');
    assert.match(await page.locator('#reminder-skipped').textContent(), /reminders wait a day/);
    await checkAccessibility(page, 'reminders preview');

    // One invitation: its personal link is shown once, with a button that copies it.
    await page.goto(campaignUrl);
    await page.fill('#invite-name', 'Copy Candidate');
    await page.fill('#invite-email', 'copy.candidate@example.org');
    await submit(page, '#invite');
    const shownLink = await page.locator('#invitation-link').inputValue();
    assert.match(shownLink, /\/take\/[0-9a-f]+$/);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: BASE });
    await page.click('#copy-link');
    await page.locator('#copy-status', { hasText: 'Copied' }).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), shownLink, 'the clipboard holds the link');
    await checkAccessibility(page, 'invitation link');

    // 4. No SMTP here: the invitations wait in the outbox, each with its link.
    await page.goto(`${BASE}/outbox`);
    await checkAccessibility(page, 'outbox');
    for (const person of people) {
      const row = page.locator('#outbox tr', { hasText: person.email });
      assert.equal(await row.count(), 1, `${person.email} has a message`);
    }
    // Each message greets its candidate by name; take each one's link.
    const bodies = await page.locator('#outbox pre').allTextContents();
    const linkOf = (person) => bodies.find((b) => b.includes(person.name))?.match(/https?:\/\/\S+\/take\/[0-9a-f]+/)?.[0];
    links = [...people, withdrawn].map(linkOf);
    assert.ok(links.every(Boolean), `a link for everyone: ${links}`);
    // Sent by hand: the recruiter says so, and the message's text (with its link) is dropped.
    assert.match(await page.locator('#outbox-filter').textContent(), /Waiting \(\d+\)[\s\S]*Sent \(0\)/);
    await submit(page, `#outbox tr:has-text("${withdrawn.email}") form button`);
    await page.locator('#marked').waitFor();
    const marked = page.locator('#outbox tr', { hasText: withdrawn.email });
    assert.match(await marked.textContent(), /sent \(.*\)[\s\S]*Removed/);
    assert.equal(await marked.locator('form').count(), 0, 'no second marking');
    assert.match(await page.locator('#outbox-filter').textContent(), /Sent \(1\)/);
    assert.deepEqual(consoleErrors, []);
  });

  // 5. Both candidates take the battery, answering differently.
  await takeAssessment(links[0], 1);
  await takeAssessment(links[1], 3);

  // 6. The recruiter reads a profile, compares, decides, exports and prints.
  await withPage('path-recruiter-profiles', async (page, _ctx, consoleErrors) => {
    await signIn(page, recruiterEmail, recruiterPassword);
    await page.goto(`${campaignUrl}?status=completed&sort=name`);
    const rows = page.locator('#candidates tbody tr');
    assert.equal(await rows.count(), 2, 'both candidates completed');
    await checkAccessibility(page, 'candidate list');

    await submit(page, `#candidates a:has-text("${people[0].name}")`);
    assert.match(page.url(), /\/candidates\/[0-9a-f-]{36}$/);
    const profileUrl = page.url();
    const charts = page.locator('svg[role=img]');
    assert.ok((await charts.count()) >= 9, `one chart per normed scale: ${await charts.count()}`);
    // The overview comes first: every scale in one chart, and each instrument's validity.
    assert.ok(await page.evaluate(() => {
      const overview = document.querySelector('#p-overview');
      const details = document.querySelector('section.instrument');
      return overview && details && (overview.compareDocumentPosition(details) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
    }), 'the overview is above the details');
    assert.equal(await page.locator('#p-overview-chart .row-label').count(), await page.locator('section.scale').count(), 'one overview row per scale');
    assert.equal(await page.locator('#p-overview .validity-summary li').count(), await page.locator('section.instrument').count());
    assert.match(await page.locator('#p-overview .validity-summary').textContent(), /response validity (No concerns|Interpret with caution|Not interpretable)/);
    const main = await page.locator('main').textContent();
    assert.match(main, /Demonstration norms - not for decisions/);
    assert.match(main, /N = \d+/);
    assert.match(main, /90% band/);
    assert.match(main, /Response validity/);
    assert.doesNotMatch(main, /\b(pass|fail|passed|failed|reject)\b/i);
    await checkAccessibility(page, 'profile');

    // A decision without a reason is not accepted by the form; with one it is recorded.
    await page.check('input[name=decision][value=hold]');
    await page.fill('#decision-reason', 'Second interview next week; ask about reporting habits.');
    await submit(page, '#record-decision');
    assert.ok(page.url().endsWith('?decided=1'), page.url());
    assert.match(await page.locator('#decision-history').textContent(), /Hold[\s\S]*Second interview next week/);

    // Withdraw the third invitation: its link stops working, with a friendly page.
    await page.goto(`${campaignUrl}?q=${encodeURIComponent(withdrawn.email)}`);
    await submit(page, `#candidates a:has-text("${withdrawn.name}")`);
    await submit(page, '#revoke');
    assert.ok(page.url().endsWith('?revoked=1'), page.url());
    const gone = await page.context().newPage();
    const res = await gone.goto(links[2]);
    assert.equal(res.status(), 410);
    assert.match(await gone.locator('main').textContent(), /withdrawn by the organisation/);
    await checkAccessibility(gone, 'withdrawn link');
    await gone.close();

    // Compare the two on the same axes.
    await page.goto(`${campaignUrl}?status=completed`);
    for (const box of await page.locator('#candidates input[name=c]').all()) await box.check();
    await submit(page, '#compare');
    assert.match(page.url(), /\/compare\?/);
    const compareText = await page.locator('main').textContent();
    for (const person of people) assert.match(compareText, new RegExp(person.name));
    assert.ok((await page.locator('svg[role=img]').count()) >= 9);
    // Its overview: a column per candidate, every scale's T with its band, each instrument's validity.
    const heads = await page.locator('#overview thead th').allTextContents();
    assert.equal(heads[0], 'Scale');
    assert.deepEqual(heads.slice(1).sort(), people.map((p) => p.name).sort());
    assert.ok((await page.locator('#overview tr.validity-row').count()) >= 1);
    for (const cell of await page.locator('#overview tbody tr:not(.group):not(.validity-row) td').allTextContents()) {
      assert.match(cell, /^(T \d+ \(\d+ to \d+\)|not scored|no normed score|no results)$/);
    }
    await checkAccessibility(page, 'comparison');

    // The list shows the decision; the CSV export carries it, with formulas neutralised.
    await page.goto(campaignUrl);
    assert.match(await page.locator('#candidates').textContent(), /Hold/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
    const csvText = readFileSync(await download.path(), 'utf8');
    assert.ok(csvText.startsWith('\u{feff}name,email'), csvText.slice(0, 80));
    assert.match(csvText, new RegExp(`${people[0].name},${people[0].email},en,completed`));
    assert.match(csvText, /hold,Second interview next week/);

    // The print view prints to a clean PDF.
    await page.goto(`${profileUrl}/print`);
    await checkAccessibility(page, 'print view');
    assert.equal(await page.locator('main form, main button').count(), 0, 'no forms or buttons to print');
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('nav.staff-nav').isVisible().catch(() => false), false, 'no navigation on paper');
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    const pdfText = pdf.toString('latin1');
    assert.ok(pdfText.startsWith('%PDF-'), 'a PDF');
    const pageCount = (pdfText.match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    assert.ok(pageCount >= 1 && pageCount <= 2, `the profile fits on two pages: ${pageCount}`);
    assert.ok(pdf.length > 20_000, `the PDF has content: ${pdf.length} bytes`);
    assert.deepEqual(consoleErrors, []);
  });

  // 7. The withdrawn candidate asks to be forgotten: the admin erases their personal data,
  //    then sees all of it in the audit log.
  await withPage('path-admin-audit', async (page) => {
    await signIn(page, admin.email, admin.password);
    await page.goto(`${campaignUrl}?q=${encodeURIComponent(withdrawn.email)}`);
    await submit(page, `#candidates a:has-text("${withdrawn.name}")`);
    await checkAccessibility(page, 'profile with erasure');
    await page.check('#erase-confirm');
    await submit(page, '#erase');
    assert.match(await page.locator('#erased-note').textContent(), /were erased on/);
    assert.doesNotMatch(await page.locator('main').textContent(), new RegExp(withdrawn.name));
    await page.goto(`${BASE}/admin/audit`);
    const log = await page.locator('#audit').textContent();
    for (const action of ['Personal data erased', 'Invitation withdrawn', 'Colleague invited', 'Password set', 'Campaign created', 'Candidates invited from a CSV file', 'Candidate finished', 'Profile viewed', 'Decision recorded', 'Profiles compared', 'Results exported (CSV)']) {
      assert.match(log, new RegExp(action.replace(/[()]/g, '\\$&')), `${action} is in the audit log`);
    }
    assert.match(log, /Remy Recruiter/);
    assert.match(log, new RegExp(campaignName));
    assert.doesNotMatch(log, /\/take\/[0-9a-f]{20,}/, 'no candidate link in the audit log');
  });
});
