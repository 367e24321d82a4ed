/**
 * The playground end to end in a real browser: the page is built (scripts/build-playground.ts,
 * what `npm run build:playground` runs), headless Chromium (Debian's, driven by playwright-core)
 * opens it from file://, and the test loads the example, reads the diff and the migrated files
 * against what the library returns for the same input, turns a transform off and an option
 * changed, opens the permalink in a fresh browser context and finds the same review, and records
 * every request: none may leave the page. Screenshot: test-artifacts/playground.png.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writePlayground, type Playground } from '../../scripts/build-playground.js';
import { migrate, type Options } from '../../src/index.js';
import { DEFAULT_STATE, encodeState } from '../../src/playground/state.js';
import { repo, tempDir, cleanup } from '../helpers/cli.js';
import { launchChromium, needsChromium } from '../helpers/chromium.js';

const hasChromium = needsChromium('test/e2e/playground.test.ts');
const artifacts = join(repo, 'test-artifacts');
const exampleDir = join(repo, 'examples', 'legacy-fastapi');
const example = {
  dockerfile: readFileSync(join(exampleDir, 'Dockerfile'), 'utf8'),
  files: {
    'pyproject.toml': readFileSync(join(exampleDir, 'pyproject.toml'), 'utf8'),
    '.python-version': readFileSync(join(exampleDir, '.python-version'), 'utf8'),
    'uv.lock': '',
  },
};

let browser: Browser;
let file: string;
let playground: Playground;

beforeAll(async () => {
  if (!hasChromium) return;
  file = join(tempDir('dockmig-playground-'), 'index.html');
  playground = await writePlayground(file);
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  cleanup();
});

interface Watched {
  page: Page;
  /** Every request the page made, allowed or not. */
  requests: string[];
  /** Uncaught exceptions and console errors (a CSP violation is one). */
  errors: string[];
}

async function open(url: string): Promise<Watched> {
  const context = await browser.newContext({ viewport: { width: 1500, height: 1150 } });
  const page = await context.newPage();
  const requests: string[] = [];
  const errors: string[] = [];
  await page.route('**/*', (route) => {
    const requested = route.request().url();
    requests.push(requested);
    return requested === pathToFileURL(file).href ? route.continue() : route.abort();
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(url);
  await settled(page, 1);
  return { page, requests, errors };
}

function runs(page: Page): Promise<number> {
  return page.evaluate(() => Number(document.body.dataset.runs ?? 0));
}

/** Until the page has migrated at least `run` times and written the latest state to the address. */
async function settled(page: Page, run: number): Promise<void> {
  await page.waitForFunction(
    (n) =>
      Number(document.body.dataset.runs ?? 0) >= n &&
      document.body.dataset.saved === document.body.dataset.runs,
    run,
  );
}

/** Do something that migrates again, and wait for the review it leads to. */
async function then(page: Page, action: () => Promise<void>): Promise<void> {
  const before = await runs(page);
  await action();
  await settled(page, before + 1);
}

/** The migrated files as the page shows them in full. */
async function shownFiles(page: Page): Promise<Record<string, string>> {
  const pres = page.locator('#after pre');
  const out: Record<string, string> = {};
  for (const pre of await pres.all()) {
    out[(await pre.getAttribute('data-path')) ?? ''] = (await pre.textContent()) ?? '';
  }
  return out;
}

function libraryFiles(options: Options = {}): Record<string, string> {
  const result = migrate(example, options);
  expect(result.status).toBe('changed');
  return Object.fromEntries(result.changes.map((c) => [c.path, c.after]));
}

describe.runIf(hasChromium)('the playground in Chromium', () => {
  it('migrates the example like the library, follows the toggles and options, and its permalink reproduces the review', async () => {
    const first = await open(pathToFileURL(file).href);
    const { page } = first;

    // Something else first, so that the example is what the button loads.
    await then(page, () => page.fill('#dockerfile', 'FROM python:3.11\nCMD ["python"]\n'));
    expect(await page.locator('#diff').textContent()).toContain('python:3.11-slim-trixie');
    expect(await page.locator('#diff').textContent()).not.toContain('python:latest');
    await then(page, () => page.click('#example'));
    expect(await page.inputValue('#dockerfile')).toBe(example.dockerfile);
    expect(await page.inputValue('#pyproject')).toBe(example.files['pyproject.toml']);
    expect(await page.isChecked('#uv-lock')).toBe(true);

    // The change set side by side: the pinned base on the right, the floating tag on the left.
    const diff = page.locator('#diff');
    expect(await diff.locator('.d2h-file-side-diff').count()).toBe(4); // Dockerfile, .dockerignore
    const right = diff.locator('.d2h-file-side-diff').nth(1);
    const left = diff.locator('.d2h-file-side-diff').nth(0);
    await expect
      .poll(() => right.getByText('python:3.12-slim-trixie AS builder').isVisible())
      .toBe(true);
    expect(await right.textContent()).toContain('USER 10001:10001');
    expect(await right.textContent()).toContain('HEALTHCHECK');
    expect(await left.textContent()).toContain('FROM python:latest');
    expect(await shownFiles(page)).toEqual(libraryFiles());

    // Each finding with its transform's title, its message and, on request, the rationale.
    const health = page.locator('#findings li[data-transform="healthcheck"]');
    expect(await health.locator('.title').textContent()).toBe(
      'A HEALTHCHECK that works in a slim image',
    );
    expect(await health.locator('.message').textContent()).toContain('HEALTHCHECK');
    await health.locator('summary').click();
    expect(await health.locator('.why').isVisible()).toBe(true);

    // Healthcheck off: its lines go, the rest stays.
    await then(page, () => page.uncheck('input[data-transform="healthcheck"]'));
    expect(await right.textContent()).not.toContain('HEALTHCHECK');
    expect(await right.textContent()).toContain('USER 10001:10001');
    expect(await page.locator('#findings li[data-transform="healthcheck"]').count()).toBe(0);
    expect(await shownFiles(page)).toEqual(libraryFiles({ skip: ['healthcheck'] }));

    // An option: another uid, typed.
    await then(page, () => page.fill('#uid', '20000'));
    expect(await right.textContent()).toContain('USER 20000:20000');
    const shown = await shownFiles(page);
    expect(shown).toEqual(libraryFiles({ skip: ['healthcheck'], uid: 20000 }));

    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'playground.png') });
    expect(readFileSync(join(artifacts, 'playground.png')).subarray(1, 4).toString()).toBe('PNG');

    // The permalink, opened where nothing of this page is left: the same review.
    const permalink = page.url();
    expect(permalink).toMatch(/#v1\.[A-Za-z0-9_-]+$/);
    const again = await open(permalink);
    expect(await again.page.inputValue('#dockerfile')).toBe(example.dockerfile);
    expect(await again.page.inputValue('#python-version')).toBe(example.files['.python-version']);
    expect(await again.page.isChecked('input[data-transform="healthcheck"]')).toBe(false);
    expect(await again.page.isChecked('input[data-transform="non-root-user"]')).toBe(true);
    expect(await again.page.inputValue('#uid')).toBe('20000');
    expect(await shownFiles(again.page)).toEqual(shown);
    expect(await again.page.locator('#diff').textContent()).toBe(await diff.textContent());

    // Only the document itself was ever asked for; the permalink's state is in its hash.
    for (const w of [first, again]) {
      expect(w.requests).toEqual([pathToFileURL(file).href]);
      expect(w.errors).toEqual([]);
    }

    writeFileSync(
      join(artifacts, 'playground.json'),
      JSON.stringify(
        {
          script: playground.script,
          firstDiffMs: Number(await again.page.evaluate(() => document.body.dataset.firstDiffMs)),
        },
        null,
        2,
      ) + '\n',
    );
  });

  it('says so when a permalink cannot be read, shows the example instead, and follows a permalink pasted into the tab', async () => {
    const { page, errors } = await open(`${pathToFileURL(file).href}#v1.bm90LWRlZmxhdGU`);
    expect(await page.locator('#status').textContent()).toContain('This link could not be read');
    expect(await page.inputValue('#dockerfile')).toBe(example.dockerfile);

    // A permalink pasted into the same tab changes only the hash: the page follows it.
    const dockerfile =
      'FROM python:3.11\nCOPY . /srv\nRUN pip install uv && uv sync\nCMD ["python", "-m", "srv"]\n';
    const hash = await encodeState({
      ...DEFAULT_STATE,
      dockerfile,
      uid: 30000,
      skip: ['dockerignore'],
    });
    await then(page, () => page.evaluate((h) => void (location.hash = h), hash));
    expect(await page.inputValue('#dockerfile')).toBe(dockerfile);
    expect(await page.inputValue('#uid')).toBe('30000');
    expect(await page.isChecked('input[data-transform="dockerignore"]')).toBe(false);
    const expected = migrate(
      { dockerfile, files: { 'uv.lock': '' } },
      { uid: 30000, skip: ['dockerignore'] },
    );
    expect(expected.changes.map((c) => c.path)).toEqual(['Dockerfile']);
    expect(await shownFiles(page)).toEqual(
      Object.fromEntries(expected.changes.map((c) => [c.path, c.after])),
    );
    expect(await page.locator('#status').textContent()).not.toContain('could not be read');
    expect(errors).toEqual([]);
  });

  it('is one file: no script, style, link or image outside it, and a policy that forbids any', () => {
    const html = readFileSync(file, 'utf8');
    expect(html).not.toMatch(/<(script|link|img|iframe)[^>]+(src|href)=/i);
    expect(html).toContain("default-src 'none'");
    expect(html).not.toMatch(/\{\{[a-z0-9.]+\}\}/);
    expect(html.match(/<script>/g)).toHaveLength(1);
  });
});
