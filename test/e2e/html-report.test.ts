/**
 * The HTML review report, end to end in a real browser: the binary writes it for a run over every
 * golden input (and a broken file), headless Chromium (Debian's, driven by playwright-core) opens it
 * with every network request refused, and the test reads the counts, finds a diff line, uses the
 * filter, and saves a screenshot to test-artifacts/html-report.png.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, dockmig, repo, tempDir, cleanup } from '../helpers/cli.js';
import { goldenCases } from '../helpers/fixtures.js';
import { launchChromium, needsChromium } from '../helpers/chromium.js';

const hasChromium = needsChromium('test/e2e/html-report.test.ts');
const artifacts = join(repo, 'test-artifacts');
let browser: Browser;
let dir: string;
let report: {
  summary: { files: number; changed: number; unchanged: number; errors: number };
  files: { path: string; status: string }[];
};

beforeAll(async () => {
  if (!hasChromium) return;
  assertBuilt();
  dir = tempDir('dockmig-html-');
  for (const c of goldenCases()) {
    cpSync(join(repo, 'fixtures', c.name, 'input'), join(dir, c.name), { recursive: true });
  }
  mkdirSync(join(dir, 'broken'));
  writeFileSync(join(dir, 'broken', 'Dockerfile'), 'FROM python:latest\nFROOM x\n');
  const r = dockmig(dir, '--report', 'review.html', '--format', 'json', '.');
  expect(r.code).toBe(2);
  report = JSON.parse(r.stdout);
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  cleanup();
});

describe.runIf(hasChromium)('the HTML review report in Chromium', () => {
  it('shows the counts, the diffs, filters, and loads nothing from the network', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const requested: string[] = [];
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:') || url.startsWith('data:')) return route.continue();
      requested.push(url);
      return route.abort();
    });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`file://${join(dir, 'review.html')}`);

    // The summary table holds the run's counts.
    const cells = await page.locator('#counts tr').nth(1).locator('td').allTextContents();
    const s = report.summary;
    expect(cells.slice(0, 5)).toEqual([s.files, s.changed, s.unchanged, 0, s.errors].map(String));
    expect(await page.locator('#total').textContent()).toContain(
      `${s.files} files: ${s.changed} changed, ${s.unchanged} unchanged, ${s.errors} error`,
    );
    expect(await page.locator('#reasons').textContent()).toContain(
      'unknown instruction FROOM on line N',
    );

    // A diff line is drawn side by side by diff2html, and visible.
    const section = page.locator('section.file', {
      has: page.locator('header code', { hasText: /^python-latest-uvicorn-reload\/Dockerfile$/ }),
    });
    await section.scrollIntoViewIfNeeded();
    // Two files in its change set (Dockerfile, .dockerignore), each with two sides.
    expect(await section.locator('.d2h-file-side-diff').count()).toBe(4);
    await expect.poll(() => section.getByText('AS builder').first().isVisible()).toBe(true);
    expect(await section.locator('.why').first().textContent()).toContain('floating tag');

    // The filter narrows the files: to the error, then to one transform.
    await page.fill('#filter', 'error');
    expect(await page.locator('section.file:visible').count()).toBe(s.errors);
    expect(await page.locator('#shown').textContent()).toBe(
      `${s.errors} of ${s.files} files shown`,
    );
    expect(await page.locator('section.file:visible header code').allTextContents()).toEqual([
      'broken/Dockerfile',
    ]);
    await page.fill('#filter', 'streamlit-app');
    expect(await page.locator('section.file:visible').count()).toBe(1);
    await page.fill('#filter', '');
    expect(await page.locator('section.file:visible').count()).toBe(s.files);

    mkdirSync(artifacts, { recursive: true });
    // Words match findings too: two words narrow to files holding both.
    await page.fill('#filter', 'uvicorn reload');
    const shown = await page.locator('section.file:visible header code').allTextContents();
    expect(shown).toContain('python-latest-uvicorn-reload/Dockerfile');
    expect(shown.length).toBeLessThan(s.files);
    await page.fill('#filter', 'python-latest-uvicorn-reload/Dockerfile');
    await page.screenshot({ path: join(artifacts, 'html-report.png'), fullPage: true });
    expect(readFileSync(join(artifacts, 'html-report.png')).subarray(1, 4).toString()).toBe('PNG');

    expect(errors).toEqual([]);
    expect(requested).toEqual([]);
  });

  it('is one file: no script, style or link reference outside it', () => {
    const html = readFileSync(join(dir, 'review.html'), 'utf8');
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/i);
    expect(html).toContain("default-src 'none'");
  });
});
