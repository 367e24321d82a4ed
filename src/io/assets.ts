/** What dockmig reads from its own installation: its version, the HTML report's bundles. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { HtmlAssets } from '../report/html.js';

export function htmlAssets(): HtmlAssets {
  const require = createRequire(import.meta.url);
  const dir = require.resolve('diff2html/package.json').replace(/package\.json$/, '');
  return {
    css: readFileSync(`${dir}bundles/css/diff2html.min.css`, 'utf8'),
    js: readFileSync(`${dir}bundles/js/diff2html-ui-base.min.js`, 'utf8'),
  };
}

/** dockmig's version, from its package.json (dist/src/io/assets.js is three levels below it). */
export function packageVersion(): string {
  const pkg = JSON.parse(
    readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'),
  ) as {
    version: string;
  };
  return pkg.version;
}
