// Nothing acknowledged is lost when the server is killed: a candidate
// answers in the browser (the WASM saves each answer as it is given), the
// server process gets SIGKILL, answers given while it is down wait in the
// browser's queue, and after a restart every answer is there.
//
// This test starts its own `vigil serve` (on the database the suite uses,
// on another port) so that killing it does not disturb the other tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FIXED_CAMPAIGN, submit, useBrowser, withPage } from './harness.mjs';

useBrowser();

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** Starts `vigil serve` on `port`; resolves once /healthz answers. */
async function startServer(port) {
  const child = spawn(process.env.VIGIL_BIN, ['serve', '--demo', '--listen', `127.0.0.1:${port}`, '--site-root', path.join(ROOT, 'target/site'), '--banks', path.join(ROOT, 'assessments/banks')], {
    env: { ...process.env, VIGIL_LOG: 'error' },
    stdio: 'ignore',
  });
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return child;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`vigil serve did not start on port ${port}`);
}

function killHard(child) {
  return new Promise((resolve) => {
    child.once('exit', resolve);
    child.kill('SIGKILL');
  });
}

test('answers acknowledged before a SIGKILL, and answers given while the server is down, are all there after a restart', async () => {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let server = await startServer(port);
  try {
    const link = execFileSync(process.env.VIGIL_BIN, ['invite', '--org', 'demo', '--campaign', FIXED_CAMPAIGN, '--base-url', base], {
      env: { ...process.env, VIGIL_LOG: 'error' },
      encoding: 'utf8',
    }).trim();
    await withPage('durability-sigkill', async (page) => {
      await page.goto(link);
      await submit(page, '#continue');
      await page.waitForLoadState('networkidle');
      const status = page.locator('#save-status');
      const items = page.locator('fieldset.item');
      const n = await items.count();
      assert.ok(n >= 4, `a page of items: ${n}`);
      // Answer all but the last item; each is saved as it is given.
      const chosen = [];
      for (let i = 0; i < n - 1; i++) {
        const k = (i % 5);
        await items.nth(i).locator('input[type=radio]').nth(k).check();
        chosen.push(k);
      }
      await status.getByText('All answers saved.').waitFor({ timeout: 15000 });

      // The server dies without warning.
      await killHard(server);
      server = null;
      // The last answer is given while it is down: it waits in the browser.
      await items.nth(n - 1).locator('input[type=radio]').nth(2).check();
      chosen.push(2);
      await status.getByText(/Not saved yet/).waitFor({ timeout: 15000 });

      // Back up on the same database: the queue goes out by itself.
      server = await startServer(port);
      await status.getByText('All answers saved.').waitFor({ timeout: 30000 });
      // Every item of page 1 is answered, so the assessment resumes on page 2; look at page 1.
      await page.goto(`${base}/assessment?page=1`);
      for (let i = 0; i < n; i++) {
        assert.equal(await page.locator('fieldset.item').nth(i).locator('input[type=radio]').nth(chosen[i]).isChecked(), true, `answer ${i + 1} survived`);
      }
      assert.match(await page.locator('label[for=progress]').textContent(), new RegExp(`^${n} of \\d+ questions answered$`));
    });
  } finally {
    if (server) await killHard(server);
  }
});
