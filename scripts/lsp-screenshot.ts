/**
 * The README's picture of `dockmig lsp`: Neovim in a real terminal (tmux, 110x22) with a legacy
 * fixture's Dockerfile open, dockmig's diagnostics shown, rendered to PNG through Chromium.
 *
 *     npm run build && npx tsx scripts/lsp-screenshot.ts [out.png]
 *
 * Default output docs/images/lsp-neovim.png. Needs nvim, tmux and /usr/bin/chromium (or
 * DOCKMIG_CHROMIUM). The screen is read with `tmux capture-pane -e` and its colours turned into
 * HTML here, so what the PNG shows is what the terminal held.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { launchChromium } from '../test/helpers/chromium.js';

const repo = join(import.meta.dirname, '..');
const out = resolve(process.argv[2] ?? join(repo, 'docs', 'images', 'lsp-neovim.png'));
const WIDTH = 110;
const HEIGHT = 22;

/** What Neovim does: attach dockmig to Dockerfiles, show its findings, open the ones on the runtime's last lines. */
const INIT = (bin: string) => `
vim.o.termguicolors = true
vim.o.background = 'dark'
vim.o.number = true
vim.o.signcolumn = 'yes'
vim.o.laststatus = 2
vim.o.shortmess = vim.o.shortmess .. 'F'
-- Neovim 0.7's default colours paint floats magenta and colour half of a Dockerfile's keywords.
vim.cmd('syntax off')
vim.cmd('highlight NormalFloat guibg=#2b2b2b guifg=#e0e0e0')
vim.cmd('highlight FloatBorder guibg=#2b2b2b guifg=#808080')
vim.cmd('highlight SignColumn guibg=NONE')
vim.cmd('highlight LineNr guifg=#6c6c6c')
vim.cmd('highlight StatusLine gui=NONE guibg=#3a3a3a guifg=#d0d0d0')
vim.diagnostic.config({
  virtual_text = { format = function(d) return d.code end },
  float = { source = false, border = 'rounded', format = function(d) return d.code .. ': ' .. d.message end },
})
vim.api.nvim_create_autocmd('FileType', {
  pattern = 'dockerfile',
  callback = function(args)
    local id = vim.lsp.start_client({ name = 'dockmig', cmd = { 'node', ${JSON.stringify(bin)}, 'lsp' } })
    vim.lsp.buf_attach_client(args.buf, id)
  end,
})
vim.api.nvim_create_autocmd('User', {
  pattern = 'DockmigShow',
  callback = function()
    vim.diagnostic.open_float({ scope = 'line', offset_y = 1 })
    vim.cmd('echo ""')
  end,
})
`;

function tmux(...args: string[]): string {
  return execFileSync('tmux', args, { encoding: 'utf8' });
}

const PALETTE = [
  '#000000',
  '#cd0000',
  '#00cd00',
  '#cdcd00',
  '#0000ee',
  '#cd00cd',
  '#00cdcd',
  '#e5e5e5',
  '#7f7f7f',
  '#ff0000',
  '#00ff00',
  '#ffff00',
  '#5c5cff',
  '#ff00ff',
  '#00ffff',
  '#ffffff',
];

function color256(n: number): string {
  if (n < 16) return PALETTE[n];
  if (n >= 232) {
    const v = 8 + (n - 232) * 10;
    return `rgb(${v},${v},${v})`;
  }
  const c = n - 16;
  const level = (x: number) => (x === 0 ? 0 : 55 + x * 40);
  return `rgb(${level(Math.floor(c / 36))},${level(Math.floor(c / 6) % 6)},${level(c % 6)})`;
}

const escapeHtml = (t: string) =>
  t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The terminal's screen, SGR colours and bold/italic/underline/reverse, as HTML spans. */
function ansiToHtml(screen: string, fg = '#d0d0d0', bg = '#1c1c1c'): string {
  let state = { fg: null as string | null, bg: null as string | null, bold: false, italic: false };
  let underline = false;
  let reverse = false;
  let html = '';
  const span = (text: string) => {
    if (!text) return;
    let f = state.fg ?? fg;
    let b = state.bg ?? bg;
    if (reverse) [f, b] = [b, f];
    // An inline block's background fills the whole line height: no seams between rows.
    const style = [
      'display:inline-block',
      `color:${f}`,
      `background:${b}`,
      state.bold ? 'font-weight:bold' : '',
      state.italic ? 'font-style:italic' : '',
      underline ? 'text-decoration:underline' : '',
    ].filter(Boolean);
    // Line breaks stay outside the blocks, where the <pre> breaks the line.
    html += text
      .split('\n')
      .map((t) => (t ? `<span style="${style.join(';')}">${escapeHtml(t)}</span>` : ''))
      .join('\n');
  };
  const parts = screen.split(/\x1b\[([0-9;:]*)m/);
  for (let i = 0; i < parts.length; i++) {
    if (i % 2 === 0) {
      span(parts[i]);
      continue;
    }
    const codes = parts[i] === '' ? [0] : parts[i].split(/[;:]/).map(Number);
    for (let j = 0; j < codes.length; j++) {
      const c = codes[j];
      if (c === 0) {
        state = { fg: null, bg: null, bold: false, italic: false };
        underline = reverse = false;
      } else if (c === 1) state.bold = true;
      else if (c === 3) state.italic = true;
      else if (c === 4) underline = true;
      else if (c === 7) reverse = true;
      else if (c === 22) state.bold = false;
      else if (c === 23) state.italic = false;
      else if (c === 24) underline = false;
      else if (c === 27) reverse = false;
      else if (c >= 30 && c <= 37) state.fg = PALETTE[c - 30];
      else if (c >= 90 && c <= 97) state.fg = PALETTE[c - 90 + 8];
      else if (c >= 40 && c <= 47) state.bg = PALETTE[c - 40];
      else if (c >= 100 && c <= 107) state.bg = PALETTE[c - 100 + 8];
      else if (c === 39) state.fg = null;
      else if (c === 49) state.bg = null;
      else if (c === 38 || c === 48) {
        const key = c === 38 ? 'fg' : 'bg';
        if (codes[j + 1] === 5) {
          state[key] = color256(codes[j + 2]);
          j += 2;
        } else if (codes[j + 1] === 2) {
          state[key] = `rgb(${codes[j + 2]},${codes[j + 3]},${codes[j + 4]})`;
          j += 4;
        }
      }
    }
  }
  return html;
}

async function main(): Promise<void> {
  const bin = join(repo, 'dist', 'src', 'cli.js');
  const dir = mkdtempSync(join(tmpdir(), 'dockmig-shot-'));
  const session = `dockmig-shot-${process.pid}`;
  try {
    const project = join(dir, 'legacy-fastapi');
    cpSync(join(repo, 'fixtures', 'fastapi-deps-copied-first', 'input'), project, {
      recursive: true,
    });
    writeFileSync(join(dir, 'init.lua'), INIT(bin));
    tmux(
      'new-session',
      '-d',
      '-s',
      session,
      '-x',
      String(WIDTH),
      '-y',
      String(HEIGHT),
      '-c',
      project,
      `nvim --clean -u ${join(dir, 'init.lua')} Dockerfile`,
    );
    // The diagnostics arrive after the server has started and migrated the buffer.
    let screen = '';
    for (let i = 0; i < 100 && !screen.includes('healthcheck'); i++) {
      await sleep(100);
      screen = tmux('capture-pane', '-p', '-t', session);
    }
    if (!screen.includes('healthcheck')) throw new Error(`no diagnostics came:\n${screen}`);
    // The cursor moves first: a float closes when the cursor moves after it opened.
    tmux('send-keys', '-t', session, '7G');
    tmux('send-keys', '-t', session, ':doautocmd User DockmigShow', 'Enter');
    for (let i = 0; i < 50 && !screen.includes('non-root-user:'); i++) {
      await sleep(100);
      screen = tmux('capture-pane', '-p', '-t', session);
    }
    const ansi = tmux('capture-pane', '-e', '-p', '-t', session);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ deviceScaleFactor: 2 });
      await page.route('**/*', (route) =>
        route.request().url().startsWith('data:') ? route.continue() : route.abort(),
      );
      await page.setContent(
        `<!doctype html><body style="margin:0;background:#1c1c1c"><pre id="t" style="margin:0;padding:12px;display:inline-block;font:14px/1.17 'DejaVu Sans Mono',monospace;background:#1c1c1c;color:#d0d0d0">${ansiToHtml(ansi)}</pre></body>`,
      );
      mkdirSync(dirname(out), { recursive: true });
      await page.locator('#t').screenshot({ path: out });
    } finally {
      await browser.close();
    }
    process.stdout.write(`${out}\n`);
  } finally {
    try {
      tmux('kill-session', '-t', session);
    } catch {
      // Already gone: nvim ended on its own.
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
