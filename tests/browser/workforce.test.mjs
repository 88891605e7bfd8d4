// The workforce side in the browser: an administrator (HR) imports a
// structure and starts a pulse wave; employees answer on a phone by
// keyboard; after the close the security lead sees the heat map with hidden
// cells and, in the security view, the demo's flagged units; an employee
// takes the Security Values Inventory for themselves, reads their report,
// steps forward as a champion, is seen by the security lead, and withdraws.
// axe-clean throughout. E-mails are read from the server's outbox table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { BASE, checkAccessibility, createAdmin, createStaff, remember, signIn, submit, useBrowser, withPage } from './harness.mjs';

useBrowser();

/** One value from the test server's database (SQLite or PostgreSQL). */
function sqlValue(query) {
  const url = process.env.DATABASE_URL ?? '';
  const out = url.startsWith('sqlite://')
    ? execFileSync('sqlite3', [url.slice('sqlite://'.length), query], { encoding: 'utf8' })
    : execFileSync('/usr/lib/postgresql/15/bin/psql', [url, '-tAc', query], { encoding: 'utf8' });
  return out.trim();
}

/** The newest link containing `kind` sent to `to`. */
function linkFor(to, kind) {
  const body = sqlValue(`SELECT body FROM outbox WHERE to_address = '${to}' ORDER BY created_at DESC, id DESC LIMIT 1`);
  const match = body.match(new RegExp(`(https?://\\S+${kind}[0-9a-f]+)`));
  assert.ok(match, `a ${kind} link for ${to}`);
  remember(match[1].split(kind).pop());
  return match[1];
}

const id = randomBytes(3).toString('hex');
const OPS = `Browser Ops ${id}`;
const DESK = `Browser Desk ${id}`;
const LAB = `Browser Lab ${id}`;
const people = [...Array(7).keys()].map((i) => ({ email: `desk${i}-${id}@staff.example`, unit: DESK }))
  .concat([...Array(2).keys()].map((i) => ({ email: `lab${i}-${id}@staff.example`, unit: LAB })));

test('HR starts a wave, employees answer on a phone, security reads groups only; an employee steps forward and withdraws', async () => {
  const admin = createAdmin();
  const security = createStaff('security');
  let wave;
  await withPage('workforce-hr', async (page) => {
    await signIn(page, admin);
    await page.goto(`${BASE}/workforce/structure`);
    await checkAccessibility(page, 'structure');
    await page.setInputFiles('form[action="/workforce/structure/units"] input[type=file]', { name: 'units.csv', mimeType: 'text/csv', buffer: Buffer.from(`unit,parent\n${OPS},\n${DESK},${OPS}\n${LAB},${OPS}\n`) });
    await submit(page, 'form[action="/workforce/structure/units"] button');
    assert.match(await page.locator('#imported').textContent(), /3 units added/);
    await page.goto(`${BASE}/workforce/structure`);
    const rows = people.map((p, i) => `${p.email},Person ${i},${p.unit}`).join('\n');
    await page.setInputFiles('form[action="/workforce/structure/employees"] input[type=file]', { name: 'employees.csv', mimeType: 'text/csv', buffer: Buffer.from(`email,name,unit\n${rows}\n`) });
    await submit(page, 'form[action="/workforce/structure/employees"] button');
    assert.match(await page.locator('#imported').textContent(), /9 added/);

    await page.goto(`${BASE}/workforce/waves`);
    await checkAccessibility(page, 'waves');
    await page.fill('#wave-name', `Browser pulse ${id}`);
    await page.selectOption('#wave-bank', 'pulse@1.0.0');
    await page.selectOption('#wave-units', [OPS]);
    await page.fill('#wave-closes', '2999-01-31');
    await submit(page, '#start-wave');
    assert.match(page.url(), /\/workforce\/waves\/[^/?]+\?invited=9$/);
    wave = new URL(page.url()).pathname.split('/').pop();
    assert.match(await page.locator('#participation').textContent(), /0 of 9 invited/);
    await checkAccessibility(page, 'open wave');
  });

  // Seven of the desk answer on a phone, by keyboard; one of the lab answers.
  const answering = people.slice(0, 7).concat(people.slice(7, 8));
  for (const [n, person] of answering.entries()) {
    await withPage(`workforce-survey-${n}`, async (page) => {
      await page.goto(linkFor(person.email, '/survey/'));
      assert.match(await page.locator('#notice').textContent(), /at least 5 people/);
      if (n === 0) await checkAccessibility(page, 'survey on a phone');
      const groups = page.locator('fieldset.item');
      const count = await groups.count();
      for (let i = 0; i < count; i++) {
        if (i % 6 === 5) continue; // some statements skipped
        const radio = groups.nth(i).locator('input[type=radio]').nth((i + n) % 5);
        await radio.focus();
        await page.keyboard.press('Space');
        assert.equal(await radio.isChecked(), true);
      }
      await page.focus('#send');
      await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
      assert.match(await page.locator('#sent').textContent(), /without any link to you/);
      if (n === 0) await checkAccessibility(page, 'sent');
    }, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  }

  await withPage('workforce-close', async (page) => {
    await signIn(page, admin);
    await page.goto(`${BASE}/workforce/waves/${wave}`);
    assert.match(await page.locator('#participation').textContent(), /8 of 9 invited/);
    await submit(page, '#close-wave');
  });

  await withPage('workforce-security', async (page) => {
    await signIn(page, security);
    await page.goto(`${BASE}/workforce/waves/${wave}`);
    const map = page.locator('#heat-map');
    const row = (name) => map.locator('tr', { has: page.locator(`th a:text-is("${name}")`) });
    assert.match(await row(OPS).textContent(), /8 \(89%\)/);
    // The lab's one answer is hidden, and the desk with it (Ops minus the desk would give it away).
    assert.equal(await row(LAB).locator('td.suppressed').count(), 5);
    assert.equal(await row(DESK).locator('td.suppressed').count(), 5);
    await checkAccessibility(page, 'heat map');
    await page.goto(`${BASE}/workforce/security`);
    assert.ok(await page.locator('#flags .flag').count() >= 1, 'the demo waves flag a unit');
    assert.match(await page.locator('#flags').textContent(), /Sales: Intention to leave ▲/);
    await checkAccessibility(page, 'security view');
  });

  // An employee takes the inventory for themselves and steps forward.
  const me = people[0].email;
  await withPage('workforce-champion', async (page) => {
    await page.goto(`${BASE}/me`);
    await checkAccessibility(page, 'ask for a link');
    await page.fill('#email', me);
    await submit(page, '#ask');
    assert.match(await page.locator('#link-sent').textContent(), /a link is on its way/);
    await page.goto(linkFor(me, '/me/'));
    await checkAccessibility(page, 'inventory page 1');
    for (let pages = 0; await page.locator('#next').count(); pages++) {
      assert.ok(pages < 20, 'the inventory ends');
      const groups = page.locator('fieldset.item');
      const count = await groups.count();
      for (let i = 0; i < count; i++) await groups.nth(i).locator('input[type=radio]').nth(3).check();
      await submit(page, '#next');
    }
    assert.match(await page.locator('#report').textContent(), /Your strengths report/);
    assert.match(await page.locator('#cannot-tell').textContent(), /not a judgement of you/);
    await checkAccessibility(page, 'own report');
    await page.check('#opt-in input[value="vigilance"]');
    await page.fill('#note', 'Glad to help.');
    await submit(page, '#list-me');
    assert.match(await page.locator('#listed').textContent(), /listed as a possible security champion/);
    await checkAccessibility(page, 'listed');
  });
  await withPage('workforce-champions-list', async (page) => {
    await signIn(page, security);
    await page.goto(`${BASE}/workforce/champions`);
    assert.match(await page.locator('#champions').textContent(), new RegExp(`${me}[\\s\\S]*vigilance`));
    await checkAccessibility(page, 'champions');
  });
  await withPage('workforce-withdraw', async (page) => {
    await page.goto(linkFor(me, '/me/'));
    await submit(page, '#withdraw');
    assert.match(await page.locator('#done').textContent(), /removed/);
    await signIn(page, security);
    await page.goto(`${BASE}/workforce/champions`);
    assert.equal(await page.getByText(me).count(), 0, 'gone at once');
  });
});
