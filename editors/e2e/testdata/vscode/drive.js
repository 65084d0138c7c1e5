// Drives VS Code (code-server's web workbench) in Chromium through its UI
// for TestVSCode (editors/e2e/vscode_test.go), the way a user would: open
// the migration, read the Problems panel, hover, pick code actions from the
// lightbulb menu, save. Writes {steps, snapshots} to $OUT; Go asserts them.
// Every wait polls for the expected text with a deadline: widgets appear
// first without the LSP part (hover, code action menu), so waiting for
// visibility alone is not enough.
//
// Env: URL (workbench with ?folder=), ROOT, MIGRATION (absolute path),
// OUT, SHOTS (directory for step screenshots), SCREENSHOT (optional: where
// to write the docs screenshot), CHROMIUM, TIMEOUT_MS.
'use strict';
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');

const env = (k) => {
  if (!process.env[k]) throw new Error(`${k} is not set`);
  return process.env[k];
};
const TIMEOUT = Number(process.env.TIMEOUT_MS || 30000);
const migration = env('MIGRATION');
const migrationsDir = path.dirname(migration);
const result = { steps: [], snapshots: {} };
let page;
let shot = 0;

function step(name, ok, detail) {
  result.steps.push({ name, ok: !!ok, detail: detail === undefined ? '' : detail });
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}`);
  return ok;
}

async function screenshot(name) {
  shot++;
  await page.screenshot({ path: path.join(env('SHOTS'), `${String(shot).padStart(2, '0')}-${name}.png`) }).catch(() => {});
}

/** Polls fn until it returns a truthy value or the deadline passes. */
async function until(fn, what, timeout = TIMEOUT) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${last})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The text of every element matching selector, joined by newlines. */
async function textOf(selector) {
  return (await page.locator(selector).allInnerTexts()).join('\n');
}

/** The editor's visible text (monaco renders spaces as U+00A0). */
async function editorText() {
  return (await textOf('.editor-group-container.active .monaco-editor .view-lines')).replace(/\u00a0/g, ' ');
}

/** Puts the cursor at the start of the first occurrence of text, with the Find widget. */
async function cursorTo(text) {
  // Clicking a line (not the middle of .view-lines) moves focus from any panel to the editor.
  await page.locator('.editor-group-container.active .monaco-editor .view-line').first().click();
  await page.keyboard.press('Control+Home');
  await page.keyboard.press('Control+f');
  const input = page.locator('.editor-group-container.active .find-widget textarea, .editor-group-container.active .find-widget input').first();
  await input.waitFor({ state: 'visible', timeout: TIMEOUT });
  await input.fill(text);
  await page.keyboard.press('Enter');
  await page.keyboard.press('Escape'); // closes the Find widget, the match stays selected
  await page.keyboard.press('ArrowLeft'); // the cursor at the start of the match
}

/**
 * Opens the code action menu at the cursor (Ctrl+.) and clicks the entry
 * whose title contains title. Retries the key: the first press may come
 * before the server's actions have arrived.
 */
async function applyCodeAction(title) {
  const row = page.locator('.action-widget .monaco-list-row', { hasText: title }).first();
  await until(async () => {
    await page.keyboard.press('Control+.');
    try {
      await row.waitFor({ state: 'visible', timeout: 3000 });
      return true;
    } catch {
      await page.keyboard.press('Escape');
      return false;
    }
  }, `the code action "${title}"`);
  const offered = await textOf('.action-widget .monaco-list-row');
  await row.click();
  return offered;
}

/** Runs a command by its label from the Command Palette (F1). */
async function runCommand(label) {
  await page.keyboard.press('F1');
  const box = page.locator('.quick-input-widget input');
  await box.waitFor({ state: 'visible', timeout: TIMEOUT });
  await box.fill('>' + label);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first().waitFor({ timeout: TIMEOUT });
  await page.keyboard.press('Enter');
}

function readMigrations() {
  const files = {};
  for (const name of fs.readdirSync(migrationsDir).sort()) {
    files[name] = fs.readFileSync(path.join(migrationsDir, name), 'utf8');
  }
  return files;
}

async function main() {
  const browser = await chromium.launch({
    executablePath: env('CHROMIUM'),
    headless: true,
    // Root in a container needs --no-sandbox; the rest keeps Chromium off
    // the network this machine does not have.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
    page = await context.newPage();
    // Actions (click, fill) fail after 10 s instead of Playwright's 30 s;
    // the waits for the server use their own, longer, deadlines.
    page.setDefaultTimeout(10000);
    await page.goto(env('URL'));
    await page.locator('.monaco-workbench').waitFor({ timeout: TIMEOUT });
    step('workbench loaded', true);
    // An empty secondary side bar (the chat's place) may open on the right:
    // toggle it closed (Ctrl+Alt+B) to give the editor the room.
    const aux = page.locator('.part.auxiliarybar');
    if (await aux.isVisible().catch(() => false)) {
      await page.keyboard.press('Control+Alt+b');
      await until(async () => !(await aux.isVisible()), 'the secondary side bar closed', 5000).catch(() => {});
    }

    // Open the migration with Quick Open, as a user would.
    const name = path.basename(migration);
    await until(async () => {
      await page.keyboard.press('Control+p');
      const box = page.locator('.quick-input-widget input');
      await box.waitFor({ state: 'visible', timeout: 3000 });
      // Short timeouts: the workbench may still be settling and close the
      // widget (focus moves); then the loop presses Ctrl+P again.
      await box.fill(name, { timeout: 3000 });
      await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ timeout: 3000 });
      await page.keyboard.press('Enter');
      return true;
    }, 'quick open');
    step('migration opened', await until(async () => (await editorText()).includes('create index(:users'), 'the editor text'));

    // Problems panel: the diagnostic pushed by lockwise lsp.
    await page.keyboard.press('Control+Shift+M');
    const problems = await until(async () => {
      const t = await textOf('.markers-panel .monaco-list-row');
      return t.includes('index-not-concurrently') && t;
    }, 'index-not-concurrently in the Problems panel').catch((e) => e);
    step('Problems panel: index-not-concurrently', typeof problems === 'string', String(problems));
    const problemsText = typeof problems === 'string' ? problems : '';
    step('settings applied (lock-timeout-missing off)', !problemsText.includes('lock-timeout-missing'), problemsText);
    // The squiggle in the editor.
    step('squiggle in the editor', await until(async () => (await page.locator('.editor-group-container.active .squiggly-warning').count()) > 0, 'a warning squiggle').catch(() => false));

    // Hover on `index(` of the flagged line: the lock it takes.
    await cursorTo('index(:users');
    let hoverText = '';
    const hover = await until(async () => {
      await page.keyboard.press('Control+k');
      await page.keyboard.press('Control+i');
      await page.locator('.monaco-hover').first().waitFor({ state: 'visible', timeout: 3000 });
      hoverText = await until(async () => {
        const t = await textOf('.monaco-hover .hover-contents');
        return t.includes('SHARE') && t;
      }, 'SHARE in the hover', 3000).catch(() => '');
      return hoverText;
    }, 'the hover with the lock').catch((e) => e);
    step('hover shows the SHARE lock', typeof hover === 'string' && hover.includes('SHARE'), hoverText || String(hover));
    await screenshot('hover');
    if (process.env.SCREENSHOT) {
      // The docs picture: the migration with the squiggle and the hover,
      // and the Problems panel.
      await page.screenshot({ path: process.env.SCREENSHOT });
    }
    await page.keyboard.press('Escape');

    // Quick fix from the lightbulb menu: "Create the index concurrently".
    await cursorTo('index(:users');
    const offered = await applyCodeAction('Create the index concurrently');
    step('quick fix offered in the menu', offered.includes('Create the index concurrently'), offered);
    step('quick fix applied in the editor', await until(async () => (await editorText()).includes('concurrently: true'), 'concurrently: true in the editor').catch((e) => String(e)) === true);
    await screenshot('quickfix');
    await page.keyboard.press('Control+s');
    result.snapshots.afterQuickFix = await until(() => {
      const t = fs.readFileSync(migration, 'utf8');
      return t.includes('concurrently: true') && t;
    }, 'the quick fix saved to disk').catch((e) => String(e));

    // Undo it (one undo step for the whole fix), save, and the warning is back.
    await page.locator('.editor-group-container.active .monaco-editor .view-line').first().click();
    await page.keyboard.press('Control+z');
    await page.keyboard.press('Control+s');
    step('undo restores the file', await until(() => !fs.readFileSync(migration, 'utf8').includes('concurrently'), 'the undo saved to disk').catch(() => false));
    step('warning back after undo', await until(async () => (await textOf('.markers-panel .monaco-list-row')).includes('index-not-concurrently'), 'the warning again').catch(() => false));

    // Expand-contract: the index moves into a new migration file.
    await cursorTo('index(:users');
    const offered2 = await applyCodeAction('Move the index into its own concurrent migration');
    step('split offered in the menu', offered2.includes('Move the index into its own concurrent migration'), offered2);
    // VS Code applies CreateFile to the disk at once, and the text edits to
    // editors: save every editor (File: Save All).
    await runCommand('File: Save All');
    const created = await until(async () => {
      const files = readMigrations();
      const added = Object.keys(files).filter((f) => f.startsWith('20240301000001_'));
      return added.length === 1 && files[added[0]].includes('create index') && !files[name].includes('create index') && files;
    }, 'the new migration on disk and the index gone from the old one').catch((e) => String(e));
    result.snapshots.afterSplit = created;
    await screenshot('split');
    step('split saved', typeof created === 'object');

    // The extension's commands on the migration (now only the column).
    await page.locator('.editor-group-container.active .monaco-editor .view-line').first().click();
    await runCommand('lockwise: Show the SQL Ecto sends');
    const sql = await until(async () => {
      const t = (await textOf('.monaco-editor .view-lines')).replace(/\u00a0/g, ' ');
      return t.includes('ADD COLUMN "nickname"') && t;
    }, 'the SQL beside the migration').catch((e) => String(e));
    step('command showSql: the SQL in a virtual document', sql.includes('ALTER TABLE "users" ADD COLUMN "nickname"'), sql);
    await page.locator('.editor-group-container .monaco-editor .view-line', { hasText: 'defmodule' }).first().click();
    await runCommand('lockwise: Explain this migration');
    const tab = await until(async () => {
      const t = await textOf('.tabs-container .tab');
      return /Preview .*add_email_index/.test(t) && t;
    }, 'the Migration Report preview tab').catch((e) => String(e));
    step('command explain: Markdown preview tab', /Preview .*add_email_index/.test(tab), tab);
    // The preview is a webview: its text is in a nested frame.
    const rendered = await until(async () => {
      for (const frame of page.frames()) {
        const t = await frame.locator('body').innerText({ timeout: 500 }).catch(() => '');
        if (t.includes('Migration Report') && t.includes('ADD COLUMN')) return t;
      }
      return false;
    }, 'the rendered Migration Report').catch((e) => String(e));
    step('command explain: the report rendered', rendered.includes('Migration Report'), rendered.slice(0, 300));
    await screenshot('commands');
  } catch (e) {
    step('no driver error', false, String((e && e.stack) || e));
    if (page) await screenshot('error'); // while the browser is still open
  } finally {
    await browser.close();
  }
}

main()
  .catch((e) => step('no driver error', false, String((e && e.stack) || e)))
  .finally(() => {
    fs.writeFileSync(env('OUT'), JSON.stringify(result, null, 2));
  });
