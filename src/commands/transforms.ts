/** `dockmig transforms`: the transforms in the order they run, with what each is for. */
import { TRANSFORMS } from '../../transforms/index.js';

export function listTransforms(write: (text: string) => void): number {
  const lines: string[] = [];
  TRANSFORMS.forEach((t, i) => {
    lines.push(
      `${String(i + 1).padStart(2)}. ${t.id}${t.uvOnly ? (t.pip ? '  (also for pip projects)' : '') : '  (also for pip, Poetry and Pipenv projects)'}`,
    );
    lines.push(`    ${t.title}`);
    lines.push(...wrap(t.rationale, 92).map((l) => `    ${l}`));
    lines.push('');
  });
  write(lines.join('\n'));
  return 0;
}

function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + word.length + 1 > width) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out;
}
