/**
 * ANSI colours for the terminal, and the decision whether to use them: `FORCE_COLOR` wins (`0` or
 * `false` turns colour off), then `NO_COLOR` (any non-empty value), then whether the stream is a
 * terminal (and not `TERM=dumb`). Pure: the shell passes in the environment and the TTY fact.
 */
export interface Palette {
  red: (s: string) => string;
  green: (s: string) => string;
  yellow: (s: string) => string;
  cyan: (s: string) => string;
  bold: (s: string) => string;
  dim: (s: string) => string;
}

const code = (open: number, close: number) => (s: string) => `\x1b[${open}m${s}\x1b[${close}m`;
const plain = (s: string) => s;

export function paint(on: boolean): Palette {
  return on
    ? {
        red: code(31, 39),
        green: code(32, 39),
        yellow: code(33, 39),
        cyan: code(36, 39),
        bold: code(1, 22),
        dim: code(2, 22),
      }
    : { red: plain, green: plain, yellow: plain, cyan: plain, bold: plain, dim: plain };
}

export function useColor(env: Record<string, string | undefined>, isTTY: boolean): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return !['0', 'false'].includes(force.toLowerCase());
  if (env.NO_COLOR) return false;
  return isTTY && env.TERM !== 'dumb';
}

/** A unified diff with headers bold, hunks cyan, removals red and additions green. */
export function colorDiff(diff: string, on: boolean): string {
  if (!on || diff === '') return diff;
  const c = paint(true);
  return diff
    .split('\n')
    .map((l) => {
      if (/^(diff --git|--- |\+\+\+ |new file mode)/.test(l)) return c.bold(l);
      if (l.startsWith('@@')) return c.cyan(l);
      if (l.startsWith('+')) return c.green(l);
      if (l.startsWith('-')) return c.red(l);
      return l;
    })
    .join('\n');
}

/** `[#########...........]  120/400 files`, for a progress bar redrawn with `\r`. */
export function progressLine(done: number, total: number, width = 30): string {
  const filled = total === 0 ? width : Math.round((done / total) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} files`;
}
