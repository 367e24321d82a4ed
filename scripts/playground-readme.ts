/**
 * The README's numbers and picture of the playground: `npx tsx scripts/playground-readme.ts`
 * builds the page, opens it in headless Chromium (Debian's, like the e2e test) several times from
 * file://, and prints the page's size, its script's (minified and gzipped), the library's own
 * bundle for comparison, and the time from navigation to the first diff in the page (median);
 * then saves docs/images/playground.png. Needs Chromium at /usr/bin/chromium or DOCKMIG_CHROMIUM.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { launchChromium } from '../test/helpers/chromium.js';
import { PLAYGROUND_FILE, writePlayground } from './build-playground.js';

const root = join(import.meta.dirname, '..');
const LOADS = 7;

const { html, script } = await writePlayground();
const library = await build({
  entryPoints: [join(root, 'src', 'index.ts')],
  bundle: true,
  platform: 'browser',
  format: 'esm',
  minify: true,
  write: false,
  logLevel: 'silent',
  define: { 'import.meta.url': 'undefined' },
});
const core = library.outputFiles[0].contents;

const browser = await launchChromium();
const url = pathToFileURL(PLAYGROUND_FILE).href;
const times: number[] = [];
for (let i = 0; i < LOADS; i++) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForFunction(() => document.body.dataset.firstDiffMs);
  times.push(Number(await page.evaluate(() => document.body.dataset.firstDiffMs)));
  if (i === LOADS - 1) {
    mkdirSync(join(root, 'docs', 'images'), { recursive: true });
    await page.screenshot({ path: join(root, 'docs', 'images', 'playground.png') });
  }
  await context.close();
}
await browser.close();

const kib = (n: number) => `${(n / 1024).toFixed(0)} KiB`;
times.sort((a, b) => a - b);
console.log(
  `page (${PLAYGROUND_FILE}): ${Buffer.byteLength(html)} bytes (${kib(Buffer.byteLength(html))}), ${gzipSync(html).length} gzipped (${kib(gzipSync(html).length)})`,
);
console.log(
  `its script: ${script.bytes} bytes (${kib(script.bytes)}), ${script.gzip} gzipped (${kib(script.gzip)})`,
);
console.log(
  `the library alone (src/index.ts, minified, no shell or YAML parser): ${core.length} bytes (${kib(core.length)}), ${gzipSync(core).length} gzipped (${kib(gzipSync(core).length)})`,
);
console.log(
  `navigation to the first diff, ${LOADS} loads: median ${times[LOADS >> 1]} ms (${times[0]}-${times[LOADS - 1]} ms)`,
);
console.log('wrote docs/images/playground.png');
