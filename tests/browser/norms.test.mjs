// The norm builder in a real browser: a psychologist looks at the demo's
// fixed campaign (too few sessions: refused, with the reason), then at the
// demo's norming study once it has enough simulated participants, and
// publishes a described norm table; a recruiter makes a campaign normed on
// it, a candidate takes it, and the profile names the group. axe-core
// finds no serious problem on the way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BASE, FIXED_CAMPAIGN, answerPage, checkAccessibility, createStaff, invite, signIn, submit, useBrowser, withPage } from './harness.mjs';

useBrowser();

const BANKS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../assessments/banks');
const STUDY = 'Demo: SVI norming study (simulated participants)';

test('a psychologist builds a norm table; a recruiter uses it and the profile names it', async () => {
  const psychologist = createStaff('psychologist');
  const recruiter = createStaff('recruiter');
  const tag = randomBytes(3).toString('hex');
  const id = `svi-study-${tag}`;
  const group = `Norming study participants ${tag}`;
  const campaign = `Normed on our study ${tag}`;

  await withPage('norms-build', async (page) => {
    await signIn(page, psychologist);
    await page.goto(`${BASE}/norms`);
    await checkAccessibility(page, 'norm builder');
    await page.selectOption('#bank', 'svi@1.0.0');
    await page.selectOption('#campaign', { label: FIXED_CAMPAIGN });
    await submit(page, '#look');
    assert.match(await page.locator('#norm-refusals').textContent(), /needs at least 200/);
    assert.equal(await page.locator('#norm-form').count(), 0, 'too few sessions cannot be published');

    // Enough participants in the demo's norming study.
    execFileSync(process.env.VIGIL_BIN, ['demo', 'norming-study', '--participants', '220', '--banks', BANKS], { env: { ...process.env, VIGIL_LOG: 'error' }, encoding: 'utf8' });
    await page.goto(`${BASE}/norms`);
    await page.selectOption('#bank', 'svi@1.0.0');
    await page.selectOption('#campaign', { label: STUDY });
    await submit(page, '#look');
    assert.equal(await page.locator('#norm-refusals').count(), 0, (await page.locator('#norm-preview').textContent()).slice(0, 400));
    assert.ok(await page.locator('svg.histogram[role=img]').count() >= 9, 'a histogram per scale');
    await checkAccessibility(page, 'a norm group ready to publish');
    await page.fill('#norm-id', id);
    await page.fill('#group-en', group);
    await page.fill('#group-de', `Teilnehmende der Normierungsstudie ${tag}`);
    await page.fill('#population', 'Simulated participants of the demo norming study');
    await page.fill('#country', 'DE');
    await page.fill('#role-family', 'security operations');
    await page.fill('#sampling', 'Every participant of the study with valid answers');
    await submit(page, '#freeze');
    assert.match(await page.locator('#notice').textContent(), new RegExp(`Norm table ${id} published`));
    assert.match(await page.locator('#norm-tables').textContent(), new RegExp(id));
  });

  await withPage('norms-campaign', async (page) => {
    await signIn(page, recruiter);
    await page.goto(`${BASE}/campaigns/new`);
    await page.fill('#campaign-name', campaign);
    await page.fill('#role-family', 'security operations');
    await page.check('#use-svi');
    await page.check('input[name="version:svi"][value="1.0.0"]');
    await page.selectOption('select[name="norm:svi@1.0.0"]', id);
    await submit(page, '#create-campaign');
    assert.match(page.url(), /\?created=1$/);
  });

  const link = invite('en', campaign, 'Nina Normed');
  await withPage('norms-candidate', async (page) => {
    await page.goto(link);
    await submit(page, '#continue');
    let pages = 0;
    while (await page.locator('#next').count()) {
      await answerPage(page, { keyboard: false, choice: 2 });
      await submit(page, '#next');
      pages += 1;
      assert.ok(pages < 40, 'too many pages');
    }
    await submit(page, '#finish');
  });

  await withPage('norms-profile', async (page) => {
    await signIn(page, recruiter);
    await page.goto(`${BASE}/campaigns`);
    await submit(page, `a:has-text("${campaign}")`);
    await submit(page, '#candidates a:has-text("Nina Normed")');
    const main = await page.locator('main').textContent();
    assert.match(main, new RegExp(group), 'the profile names the norm group');
    assert.match(main, /Demonstration norms - not for decisions/, 'the demo organisation\'s data are simulated, so its tables are demonstration norms');
  });
});
