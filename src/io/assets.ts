/** The diff2html bundles the HTML report inlines, read from the installed package. */
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
