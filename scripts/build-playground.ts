/**
 * `npm run build:playground`: dist/playground/index.html, the playground as ONE file. The page's
 * script (src/playground, the library and its parsers, diff2html) is bundled by esbuild for a
 * browser and inlined with diff2html's stylesheet and the page's own, so the file works opened
 * from disk (a file:// page may not load a module from beside it) and served as it is by GitHub
 * Pages, and asks the network for nothing. examples/legacy-fastapi is built in as the example.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = join(import.meta.dirname, '..');
const source = join(root, 'src', 'playground');

export const PLAYGROUND_FILE = join(root, 'dist', 'playground', 'index.html');

export interface Playground {
  html: string;
  /** The bundled script, minified, in bytes and gzipped (what the page costs to load). */
  script: { bytes: number; gzip: number };
}

function example(): { dockerfile: string; pyproject: string; pythonVersion: string } {
  const dir = join(root, 'examples', 'legacy-fastapi');
  const read = (name: string) =>
    existsSync(join(dir, name)) ? readFileSync(join(dir, name), 'utf8') : '';
  return {
    dockerfile: read('Dockerfile'),
    pyproject: read('pyproject.toml'),
    pythonVersion: read('.python-version'),
  };
}

/**
 * Inside <script> or <style>, only the closing tag (and `<!--`, which would let a later
 * `<script` nest) ends or bends the element; escaped this way, JavaScript strings and regular
 * expressions mean the same.
 */
function inlineSafe(text: string, tag: 'script' | 'style'): string {
  const closing = new RegExp(`</(${tag})`, 'gi');
  return text.replace(closing, '<\\/$1').replace(/<!--/g, '<\\!--');
}

export async function buildPlayground(): Promise<Playground> {
  const result = await build({
    entryPoints: [join(source, 'main.ts')],
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'silent',
    define: {
      PLAYGROUND_EXAMPLE: JSON.stringify(example()),
      // Read only on the way to Node's require (src/core/modules.ts), which a page never takes:
      // the parsers are handed over with provideModules.
      'import.meta.url': 'undefined',
    },
  });
  if (result.warnings.length > 0) {
    throw new Error(`esbuild warned:\n${result.warnings.map((w) => w.text).join('\n')}`);
  }
  const script = result.outputFiles[0].contents;
  const require = createRequire(import.meta.url);
  const diff2htmlCss = readFileSync(
    require.resolve('diff2html/bundles/css/diff2html.min.css'),
    'utf8',
  );
  const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version as string;
  const parts: Record<string, string> = {
    'diff2html.css': inlineSafe(diff2htmlCss, 'style'),
    'page.css': inlineSafe(readFileSync(join(source, 'page.css'), 'utf8'), 'style'),
    'page.js': inlineSafe(new TextDecoder().decode(script), 'script'),
    version,
  };
  // A function as the replacement: the bundle is full of `$&` and `$'`, which a string would expand.
  const html = readFileSync(join(source, 'index.html'), 'utf8').replace(
    /\{\{([a-z0-9.]+)\}\}/g,
    (_, name: string) => {
      if (!(name in parts)) throw new Error(`src/playground/index.html: no part named ${name}`);
      return parts[name];
    },
  );
  return { html, script: { bytes: script.length, gzip: gzipSync(script).length } };
}

export async function writePlayground(file = PLAYGROUND_FILE): Promise<Playground> {
  const playground = await buildPlayground();
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, playground.html);
  return playground;
}

if (process.argv[1]?.endsWith('build-playground.ts')) {
  const { html, script } = await writePlayground();
  const kb = (n: number) => `${(n / 1024).toFixed(0)} KiB`;
  console.log(
    `wrote ${PLAYGROUND_FILE}: ${kb(Buffer.byteLength(html))} (script ${kb(script.bytes)}, ${kb(script.gzip)} gzipped)`,
  );
}
