/**
 * (no .dockerignore)   ->  .dockerignore with .venv, __pycache__, .git, .env
 * .git                 ->  .git + the missing entries
 * *.lock               ->  *.lock + !uv.lock   (the build needs the lockfile)
 *
 * Entries count as present in any equivalent spelling (`.venv/`, `/.venv`, a leading `**` glob). The file
 * keeps its line ending and whether it ends with a newline.
 */
import { defineTransform } from '../src/core/transform.js';
import type { Finding } from '../src/core/types.js';

const ENTRIES = ['.venv', '__pycache__', '.git', '.env'];
const NEEDED = ['uv.lock', 'pyproject.toml'];

export default defineTransform({
  id: 'dockerignore',
  title: 'Keep secrets and local environments out of the build context',
  rationale:
    '`COPY . .` sends everything in the context into the image: a local .venv (built for another ' +
    'machine) overwrites the one uv built, .git and __pycache__ bloat layers, and .env puts secrets ' +
    'into an image anyone with pull access can read. uv.lock and pyproject.toml must stay in the ' +
    'context: the dependency layer needs them.',
  uvOnly: true,
  pip: true,
  detect(_doc, ctx) {
    const text = ctx.files['.dockerignore'];
    if (text === undefined) {
      return [
        {
          message: `.dockerignore created with ${ENTRIES.join(', ')}`,
          edits: [
            {
              file: '.dockerignore',
              start: 0,
              end: 0,
              text: ENTRIES.map((e) => `${e}\n`).join(''),
            },
          ],
        },
      ];
    }
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    const lines = text
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'));
    const norm = (p: string) =>
      p
        .replace(/^!?/, '')
        .replace(/^(\*\*\/|\/)/, '')
        .replace(/\/$/, '');
    // Present: named (in any spelling) and not re-included by a later `!` line (`.env` then `!.env`
    // puts the secrets back in the context; appending `.env` at the end takes them out again).
    const present = (e: string) => {
      const last = lines.filter((l) => norm(l) === e).pop();
      return last !== undefined && !last.startsWith('!');
    };
    const missing = ENTRIES.filter((e) => !present(e));
    const reinclude = NEEDED.filter((file) => excluded(lines, file));
    const add = [...missing, ...reinclude.map((f) => `!${f}`)];
    if (add.length === 0) return [];
    const prefix = text === '' || text.endsWith('\n') ? '' : eol;
    const parts: string[] = [];
    if (missing.length > 0) parts.push(`${missing.join(', ')} added`);
    if (reinclude.length > 0)
      parts.push(
        `${reinclude.join(' and ')} re-included: the build needs ${reinclude.length > 1 ? 'them' : 'it'}`,
      );
    const finding: Finding = {
      message: `.dockerignore: ${parts.join('; ')}`,
      edits: [
        {
          file: '.dockerignore',
          start: text.length,
          end: text.length,
          text: prefix + add.map((l) => l + eol).join(''),
        },
      ],
    };
    return [finding];
  },
});

/** Whether the last matching line for `file` excludes it (simple globs: `*`, `*.lock`, exact names). */
function excluded(lines: string[], file: string): boolean {
  let out = false;
  for (const line of lines) {
    const negate = line.startsWith('!');
    const pattern = line.replace(/^!/, '').replace(/^(\*\*\/|\/)/, '');
    const re = new RegExp(
      `^${pattern
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '[^/]*')
        .replace(/\?/g, '[^/]')}$`,
    );
    if (re.test(file)) out = !negate;
  }
  return out;
}
