// The candidate's path in a real browser: with the WASM loaded and by
// keyboard alone; with JavaScript off; reload and a second device resume;
// German pages; axe-core finds no serious or critical problem on any page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ADAPTIVE_CAMPAIGN, answerPage, checkAccessibility, completeBattery, invite, submit, useBrowser, withPage } from './harness.mjs';

useBrowser();

test('a candidate completes the battery by keyboard, with the WASM loaded', async () => {
  await withPage('candidate-keyboard', async (page, _ctx, consoleErrors) => {
    await page.goto(invite('en'));
    assert.ok(page.url().endsWith('/assessment'), `the token leaves the address bar: ${page.url()}`);
    assert.equal(await page.locator('h1').textContent(), 'Before you start');
    await checkAccessibility(page, 'privacy notice');
    await submit(page, '#continue', true);
    const answered = await completeBattery(page, { keyboard: true, axe: true });
    assert.ok(answered >= 100, `answered ${answered}`);
    assert.equal(await page.locator('#done').textContent(), 'Thank you');
    await checkAccessibility(page, 'completion');
    // The feedback report: every area placed in words, no numbers, and it prints.
    await submit(page, '#feedback-report', true);
    assert.equal(await page.locator('h1').textContent(), 'Your feedback report');
    const placements = await page.locator('.feedback-scale .placement').allTextContents();
    assert.ok(placements.length >= 1 && placements.every((p) => /range/.test(p)), `placements: ${placements}`);
    assert.equal(await page.locator('.feedback-scale svg').count(), placements.length, 'a picture beside each sentence');
    assert.doesNotMatch(await page.locator('main').textContent(), /percentile|%|\bT \d/);
    await checkAccessibility(page, 'feedback report');
    assert.ok((await page.pdf({ format: 'A4' })).length > 1000, 'the report prints');
    await page.goto(new URL('/assessment', page.url()).href);
    await submit(page, '#your-data', true);
    await checkAccessibility(page, 'your data and your rights');
    // The optional group questions the demo organisation asks, after finishing only.
    await page.goto(new URL('/assessment', page.url()).href);
    await submit(page, '#group-questions', true);
    assert.equal(await page.locator('h1').textContent(), 'A few optional questions');
    assert.equal(await page.locator('#group-form input[type=radio][value=""]:checked').count(), await page.locator('#group-form fieldset').count(), '"prefer not to say" until the person answers');
    await checkAccessibility(page, 'optional group questions');
    await page.check('#group-form input[name=age_band][value="30_44"]');
    await submit(page, '#groups-save', true);
    assert.ok(await page.locator('#groups-saved').isVisible());
    assert.ok(await page.locator('#group-form input[name=age_band][value="30_44"]').isChecked(), 'the answer is shown as given');
    await submit(page, '#groups-remove', true);
    assert.ok(await page.locator('#groups-removed').isVisible());
    assert.deepEqual(consoleErrors, []);
  });
});

test('a candidate completes the battery with JavaScript turned off', async () => {
  await withPage('candidate-no-js', async (page) => {
    await page.goto(invite('en'));
    await submit(page, '#continue', false);
    await completeBattery(page, { keyboard: false, axe: false });
    assert.equal(await page.locator('#done').textContent(), 'Thank you');
    // Their rights, from the completion page: the copy of their data, and a request for a human review.
    await submit(page, '#your-data', false);
    assert.equal(await page.locator('h1').textContent(), 'Your data and your rights');
    assert.ok((await page.locator('#answers li').count()) >= 100, 'every answer is in the copy');
    const copy = await (await page.request.get(new URL('/assessment/your-data.json', page.url()).href)).json();
    assert.equal(copy.answers.length, await page.locator('#answers li').count());
    await page.fill('#note-review', 'Please consider my experience in incident response.');
    await submit(page, '#ask-review', false);
    assert.match(await page.locator('#asked').textContent(), /sent to the organisation\. It will answer by \d{4}-\d{2}-\d{2}/);
    assert.match(await page.locator('#requests').textContent(), /review/);
  }, { javaScriptEnabled: false });
});

// Where each question's parts are, at one width: the answer boxes in one row
// (left to right) or one column (top to bottom), and the question text inside
// the box's border.
function measureItems() {
  return [...document.querySelectorAll('fieldset.item')].map((fieldset) => {
    const box = fieldset.getBoundingClientRect();
    const legend = fieldset.querySelector('legend').getBoundingClientRect();
    const options = [...fieldset.querySelectorAll('.option')].map((o) => o.getBoundingClientRect());
    const row = options.every((o, i) => i === 0 || (Math.abs(o.top - options[0].top) < 1 && o.left > options[i - 1].right - 1));
    const column = options.every((o, i) => i === 0 || (Math.abs(o.left - options[0].left) < 1 && o.top > options[i - 1].bottom - 1));
    const inside = options.every((o) => o.left >= box.left && o.right <= box.right + 0.5);
    const border = parseFloat(getComputedStyle(fieldset).borderTopWidth);
    return { row, column, inside, legendInside: legend.top >= box.top + border, scenario: fieldset.classList.contains('scenario') };
  });
}

test('the answer scale reads in order at every width, and the question stays inside its box', async () => {
  await withPage('candidate-layout', async (page) => {
    await page.goto(invite('en'));
    await submit(page, '#continue', false);
    // 640 px is a 1280 px window at 200% zoom.
    for (const width of [320, 390, 640, 768, 1280, 1920]) {
      await page.setViewportSize({ width, height: 900 });
      const items = await page.evaluate(measureItems);
      assert.ok(items.length > 0, `questions at ${width} px`);
      for (const [i, item] of items.entries()) {
        const where = `question ${i + 1} at ${width} px: ${JSON.stringify(item)}`;
        assert.ok(item.row || item.column, `one row or one column, ${where}`);
        assert.ok(item.inside, `the answers stay inside the box, ${where}`);
        assert.ok(item.legendInside, `the border does not run through the question, ${where}`);
        // A phone or a zoomed window stacks the scale; a desktop window shows it in one row.
        if (width <= 640) assert.ok(item.column, `one column on a narrow screen, ${where}`);
        if (width >= 1280 && !item.scenario) assert.ok(item.row, `one row on a wide screen, ${where}`);
      }
    }
    // Assistive technology hears each group's question and each choice's place in it ("3 of 5").
    const radios = page.locator('fieldset.item').first().locator('input[type=radio]');
    const count = await radios.count();
    for (let n = 0; n < count; n += 1) {
      assert.equal(await radios.nth(n).getAttribute('aria-posinset'), String(n + 1));
      assert.equal(await radios.nth(n).getAttribute('aria-setsize'), String(count));
    }
    const group = page.getByRole('radiogroup').first();
    assert.equal(await group.getAttribute('aria-labelledby'), await page.locator('fieldset.item legend').first().getAttribute('id'));
    assert.equal(await page.getByRole('radio', { name: await page.locator('fieldset.item .option span').nth(2).textContent() }).first().getAttribute('aria-posinset'), '3');
  });
});

test('reloading, closing the browser and another device all resume where the candidate was', async () => {
  const link = invite('en');
  let firstPageText;
  await withPage('candidate-resume', async (page) => {
    await page.goto(link);
    await submit(page, '#continue', false);
    firstPageText = await page.locator('fieldset.item legend .text').first().textContent();
    await answerPage(page, { keyboard: false, choice: 3 });
    await submit(page, '#next', false);
    assert.match(page.url(), /page=2/);
    await page.reload();
    assert.match(await page.locator('label[for=progress]').textContent(), /^8 of \d+ questions answered$/);
  });
  // A new browser context (another device, or the browser closed and reopened).
  await withPage('candidate-second-device', async (page) => {
    await page.goto(link);
    assert.ok(page.url().endsWith('/assessment'));
    assert.match(await page.locator('label[for=progress]').textContent(), /^8 of \d+ questions answered$/);
    // Going back shows the answers given on the first device.
    await page.goto(page.url().replace(/\/assessment.*$/, '/assessment?page=1'));
    assert.equal(await page.locator('fieldset.item legend .text').first().textContent(), firstPageText);
    assert.equal(await page.locator('fieldset.item').first().locator('input[type=radio]').nth(3).isChecked(), true);
  });
});

test('German pages for a German invitation', async () => {
  await withPage('candidate-german', async (page) => {
    await page.goto(invite('de'));
    assert.equal(await page.locator('h1').textContent(), 'Bevor Sie beginnen');
    assert.match(await page.locator('main').textContent(), /berechtigte Interesse/);
    await checkAccessibility(page, 'German notice');
    await submit(page, '#continue', false);
    assert.match(await page.locator('#next').textContent(), /Speichern und weiter/);
    assert.match(await page.locator('fieldset.item').first().textContent(), /Stimme/);
    await checkAccessibility(page, 'German items');
  });
});

test('an unknown link shows a friendly page with status 404', async () => {
  await withPage('candidate-unknown-link', async (page) => {
    const res = await page.goto(invite('en').replace(/take\/.*/, 'take/ThisIsNotARealToken0000000000'));
    assert.equal(res.status(), 404);
    assert.equal(await page.locator('h1').textContent(), 'This link does not work');
    await checkAccessibility(page, 'unknown link');
  });
});

test('the candidate can switch the language, and the choice sticks', async () => {
  await withPage('candidate-switch-language', async (page) => {
    await page.goto(invite('en'));
    assert.equal(await page.locator('h1').textContent(), 'Before you start');
    await Promise.all([page.waitForNavigation(), page.click('#switch-language')]);
    assert.equal(await page.locator('h1').textContent(), 'Bevor Sie beginnen');
    await submit(page, '#continue', false);
    assert.match(await page.locator('#next').textContent(), /Speichern und weiter/);
    await page.reload();
    assert.match(await page.locator('#next').textContent(), /Speichern und weiter/);
  });
});

test('with the WASM, each answer is saved as it is given, and an offline spell loses nothing', async () => {
  await withPage('candidate-save-as-you-go', async (page, context) => {
    await page.goto(invite('en'));
    await submit(page, '#continue', false);
    const status = page.locator('#save-status');
    const first = page.locator('fieldset.item').nth(0).locator('input[type=radio]').nth(2);
    // The island is live once the WASM has loaded: wait for the network to settle.
    await page.waitForLoadState('networkidle');
    // The page says where the candidate is: the section, and the progress from 0.
    assert.match(await page.locator('#section').textContent(), /^Section 1 of 2 · /);
    assert.match(await page.locator('label[for=progress]').textContent(), /^0 of \d+ questions answered$/);
    await first.check();
    await status.getByText('All answers saved.').waitFor({ timeout: 10000 });
    // The progress moved as the answer was saved, before "Save and continue".
    assert.match(await page.locator('label[for=progress]').textContent(), /^1 of \d+ questions answered$/);
    assert.equal(await page.locator('#progress').getAttribute('value'), '1');
    // Changing that answer moves nothing: it is the same question (wait for its save to be answered).
    await Promise.all([
      page.waitForResponse((r) => r.url().includes('/api/save_answers') && r.status() === 200, { timeout: 10000 }),
      page.locator('fieldset.item').nth(0).locator('input[type=radio]').nth(3).check(),
    ]);
    await status.getByText('All answers saved.').waitFor({ timeout: 10000 });
    assert.match(await page.locator('label[for=progress]').textContent(), /^1 of \d+ questions answered$/);
    // Reload without pressing "Save and continue": the answer is on the server.
    await page.reload();
    assert.equal(await page.locator('fieldset.item').nth(0).locator('input[type=radio]').nth(3).isChecked(), true);
    assert.match(await page.locator('label[for=progress]').textContent(), /^1 of \d+ questions answered$/);
    // Offline: the answer waits in the browser's queue, then goes out.
    await context.setOffline(true);
    await page.locator('fieldset.item').nth(1).locator('input[type=radio]').nth(4).check();
    await status.getByText(/Not saved yet/).waitFor({ timeout: 10000 });
    await context.setOffline(false);
    await status.getByText('All answers saved.').waitFor({ timeout: 20000 });
    await page.reload();
    assert.equal(await page.locator('fieldset.item').nth(1).locator('input[type=radio]').nth(4).isChecked(), true);
    assert.match(await page.locator('label[for=progress]').textContent(), /^2 of \d+ questions answered$/);
  });
});

test('an adaptive campaign asks one chosen question at a time, with an honest progress bar', async () => {
  await withPage('candidate-adaptive', async (page) => {
    await page.goto(invite('en', ADAPTIVE_CAMPAIGN));
    await submit(page, '#continue', false);
    let asked = 0;
    while (await page.locator('#next').count()) {
      const label = await page.locator('label[for=progress]').textContent();
      const groups = await page.locator('fieldset.item').count();
      if (groups === 1 && /at most/.test(label)) asked += 1;
      // A moderate respondent: "agree" / "neither" alternately (options 3 and 2).
      await answerPage(page, { keyboard: false, choice: asked % 2 === 0 ? 3 : 2 });
      await submit(page, '#next', false);
      assert.ok(asked < 200, 'the adaptive run ends');
    }
    assert.ok(asked > 10 && asked < 120, `adaptive questions asked: ${asked}`);
    await checkAccessibility(page, 'adaptive review');
    await submit(page, '#finish', false);
    assert.equal(await page.locator('#done').textContent(), 'Thank you');
  });
});

test('declining ends politely, and that page is accessible too', async () => {
  await withPage('candidate-decline', async (page) => {
    await page.goto(invite('de'));
    await submit(page, '#decline', false);
    assert.equal(await page.locator('h1').textContent(), 'Sie haben sich gegen die Teilnahme entschieden');
    await checkAccessibility(page, 'declined');
  });
});
