/**
 * FROM python:3.12-slim-trixie               FROM python:3.12-slim-trixie
 * COPY --from=builder /app /app        ->    COPY --from=builder /app /app
 * CMD ["uvicorn", "app:app"]                 ENV PATH="/app/.venv/bin:$PATH"
 *                                            CMD ["uvicorn", "app:app"]
 *
 * A file that is already split: a runtime stage (the final one, or a target such as
 * `FROM python:3.12-slim AS api`) copies the builder's venv but never puts its bin directory on
 * PATH, so its programs are found only through `uv run`, which the runtime lacks. PATH is read as
 * the container sees it (every ENV PATH in order), not from the last line alone.
 */
import { defineTransform } from '../src/core/transform.js';
import { isUnder, normalizePath, type Doc, type Instr, type Stage } from '../src/core/document.js';
import type { Edit } from '../src/core/types.js';

export default defineTransform({
  id: 'venv-on-path',
  title: "Put the copied venv's programs on PATH",
  rationale:
    'A runtime stage that copies the venv from the builder runs its programs directly only when ' +
    "the venv's bin directory is on PATH. Without it the start command needs `uv run`, which a " +
    'runtime stage does not have, or runs the system Python without the dependencies.',
  uvOnly: true,
  detect(doc) {
    return doc.runtimeStages().flatMap((stage) => {
      const venv = copiedVenv(doc, stage);
      const edit = venvPathEdit(doc, stage);
      if (!venv || !edit) return [];
      return [
        {
          message: `the runtime stage copies the venv but does not put ${venv.bin} on PATH; its programs would not be found without uv run`,
          range: { start: venv.after.start, end: venv.after.end },
          edits: [edit],
        },
      ];
    });
  },
});

/** The ENV PATH line a stage that copies the venv lacks, or null. */
export function venvPathEdit(doc: Doc, stage: Stage): Edit | null {
  const venv = copiedVenv(doc, stage);
  if (!venv || doc.runtimePath(stage)?.includes(venv.bin)) return null;
  return doc.insertAfter(venv.after, [`ENV PATH="${venv.bin}:$PATH"`]);
}

/**
 * The venv a stage copies, to the same path, from a stage that syncs it (or one built on it): its
 * bin directory, and the instruction after which PATH is set (the copy, or a later ENV PATH that
 * would otherwise replace it). Null when the stage copies no venv.
 */
export function copiedVenv(doc: Doc, stage: Stage): { bin: string; after: Instr } | null {
  const syncing = new Set(doc.uvCommands('sync').map((c) => c.instr.stage));
  const copies = doc.copies(stage).flatMap((c) => {
    const source = c.from === null ? null : doc.stageRef(c.from);
    if (!source || source === stage) return [];
    const builder = doc.lineage(source).find((s) => syncing.has(s.index));
    if (!builder) return [];
    const venv = doc.venvDir(builder);
    if (!venv || !venv.startsWith('/') || venv === '/usr/local' || venv === '/usr') return [];
    const target = normalizePath(c.target.value);
    const kept = c.sources.some((src) => {
      if (!src.startsWith('/')) return false;
      const from = normalizePath(src);
      // The venv's files stay where its scripts and its interpreter link expect them.
      return isUnder(venv, from) && c.target.exact && target === from;
    });
    return kept ? [{ instr: c.instr, bin: `${venv}/bin` }] : [];
  });
  const last = copies[copies.length - 1];
  if (!last) return null;
  const setsPath = stage.instructions.filter(
    (i) => i.keyword === 'ENV' && doc.properties(i).some((p) => p.name === 'PATH'),
  );
  const after = [last.instr, ...setsPath].reduce((a, b) => (b.index > a.index ? b : a));
  return { bin: last.bin, after };
}
