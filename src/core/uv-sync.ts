/**
 * The flags of a `uv sync` command line, with their file offsets: what frozen-lockfile and
 * dependency-layer read and edit.
 */
import type { ShellCommand, ShellWord } from './shell.js';
import { uvCall } from './uv.js';

export interface SyncFlag {
  name: string;
  value: string | null;
  /** The flag word (and its value word when separate). */
  start: number;
  end: number;
}

export interface SyncLine {
  /** The `sync` word. */
  subcommand: ShellWord;
  flags: SyncFlag[];
  /** Some argument is a shell expansion: the real flags cannot be known. */
  fromVariable: boolean;
}

/** uv sync options that take a separate value. */
const VALUE_FLAGS = new Set([
  '--extra',
  '--group',
  '--no-group',
  '--only-group',
  '--package',
  '--python',
  '-p',
  '--directory',
  '--project',
  '--index',
  '--index-url',
  '--extra-index-url',
  '--find-links',
  '-f',
  '--cache-dir',
  '--config-file',
  '--no-install-package',
  '--reinstall-package',
  '--upgrade-package',
  '-P',
  '--link-mode',
  '--compile-bytecode-timeout',
  '--python-platform',
  '--index-strategy',
  '--keyring-provider',
  '--resolution',
  '--prerelease',
  '--exclude-newer',
  '--refresh-package',
  '--color',
  '--allow-insecure-host',
  '--script',
  '--output-format',
]);

export function syncFlags(command: ShellCommand): SyncLine {
  const words = command.words;
  const at = uvCall(words)?.sub ?? words.findIndex((w, i) => i > 0 && w.value === 'sync');
  const flags: SyncFlag[] = [];
  // The path to uv (`$HOME/.local/bin/uv`) and global option values do not hide sync flags.
  let fromVariable = false;
  for (let i = at + 1; i < words.length; i++) {
    const w = words[i];
    if (w.value === null) {
      fromVariable = true;
      continue;
    }
    if (!w.value.startsWith('-')) continue;
    const eq = w.value.indexOf('=');
    if (eq > 0) {
      flags.push({
        name: w.value.slice(0, eq),
        value: w.value.slice(eq + 1),
        start: w.start,
        end: w.end,
      });
    } else if (VALUE_FLAGS.has(w.value) && i + 1 < words.length) {
      const v = words[i + 1];
      flags.push({ name: w.value, value: v.value, start: w.start, end: v.end });
      i++;
    } else {
      flags.push({ name: w.value, value: null, start: w.start, end: w.end });
    }
  }
  // Assignments before the command (`UV_ARGS=... uv sync`) cannot hide flags; expansions can.
  return { subcommand: words[at], flags, fromVariable };
}
