/**
 * A file in the change sets of several Dockerfiles (a root Compose file): the edits of all are laid
 * over the one original, carried by the first change set; what overlaps an earlier one, or a file
 * that each creates, is left to the first and said in a note.
 */
import { describe, expect, it } from 'vitest';
import { joinSharedChanges } from '../../src/commands/shared-files.js';
import type { Processed } from '../../src/commands/process-file.js';

const BEFORE =
  'services:\n  a:\n    command: uv run a\n  b:\n    command: uv run b\n  c:\n    command: uv run c\n';

function processed(path: string, before: string | null, after: string): Processed {
  return {
    result: {
      path,
      status: 'changed',
      changes: [
        { path: `${path}.dockerignore`, before: null, after: '.venv\n' },
        { path: 'compose.yaml', before, after },
      ],
      findings: [],
      errors: [],
      notes: [],
    },
    targets: [`/r/${path}.dockerignore`, '/r/compose.yaml'],
  };
}

describe('joinSharedChanges', () => {
  it('joins edits of different lines into the first change set; the others drop the file with a note', () => {
    const a = processed('a', BEFORE, BEFORE.replace('uv run a', 'a'));
    const b = processed('b', BEFORE, BEFORE.replace('uv run b', 'b'));
    const c = processed('c', BEFORE, BEFORE.replace('uv run c', 'c'));
    joinSharedChanges([a, b, c]);
    expect(a.result.changes[1].after).toBe(
      'services:\n  a:\n    command: a\n  b:\n    command: b\n  c:\n    command: c\n',
    );
    for (const p of [b, c]) {
      expect(p.result.changes.map((ch) => ch.path)).toEqual([`${p.result.path}.dockerignore`]);
      expect(p.targets).toEqual([`/r/${p.result.path}.dockerignore`]);
      expect(p.result.status).toBe('changed');
      expect(p.result.notes).toEqual([
        "compose.yaml: its changes for this Dockerfile are written with a's",
      ]);
    }
  });

  it('an overlapping change is left for a second run; the ones after it are still joined', () => {
    const a = processed('a', BEFORE, BEFORE.replace('uv run a', 'a'));
    const b = processed('b', BEFORE, BEFORE.replace('uv run a', 'python -m a'));
    const c = processed('c', BEFORE, BEFORE.replace('uv run c', 'c'));
    joinSharedChanges([a, b, c]);
    expect(a.result.changes[1].after).toBe(
      BEFORE.replace('uv run a', 'a').replace('uv run c', 'c'),
    );
    expect(b.result.notes).toEqual([
      "compose.yaml: a's migration changes the same lines; this one's changes to it are left for a second run",
    ]);
    expect(b.result.changes).toHaveLength(1);
    expect(c.result.notes[0]).toMatch(/written with a's/);
  });

  it('a file each one creates is not joined: the first keeps its own', () => {
    const a = processed('a', null, 'services:\n  a: {}\n');
    const b = processed('b', null, 'services:\n  b: {}\n');
    joinSharedChanges([a, b]);
    expect(a.result.changes[1].after).toBe('services:\n  a: {}\n');
    expect(b.result.notes).toEqual([
      "compose.yaml: a's migration creates it too; this one's version is left for a second run",
    ]);
  });

  it('a change set left with nothing is unchanged; files only one changes are not touched', () => {
    const a = processed('a', BEFORE, BEFORE.replace('uv run a', 'a'));
    const b: Processed = {
      result: { ...processed('b', BEFORE, BEFORE.replace('uv run b', 'b')).result },
      targets: ['/r/compose.yaml'],
    };
    b.result.changes = [b.result.changes[1]];
    joinSharedChanges([a, b]);
    expect(b.result.status).toBe('unchanged');
    expect(b.result.changes).toEqual([]);
    expect(a.result.changes[0]).toEqual({ path: 'a.dockerignore', before: null, after: '.venv\n' });
  });
});
