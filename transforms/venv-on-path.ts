/**
 * FROM python:3.12-slim-trixie               FROM python:3.12-slim-trixie
 * COPY --from=builder /app /app        ->    COPY --from=builder /app /app
 * CMD ["uvicorn", "app:app"]                 ENV PATH="/app/.venv/bin:$PATH"
 *                                            CMD ["uvicorn", "app:app"]
 *
 * A file that is already split: the runtime stage copies the builder's venv but never puts its
 * bin directory on PATH, so its programs are found only through `uv run`, which the runtime lacks.
 * PATH is read as the container sees it (every ENV PATH in order), not from the last line alone.
 */
import { defineTransform } from '../src/core/transform.js';
import { isUnder, normalizePath } from '../src/core/document.js';

export default defineTransform({
  id: 'venv-on-path',
  title: "Put the copied venv's programs on PATH",
  rationale:
    'A runtime stage that copies the venv from the builder runs its programs directly only when ' +
    "the venv's bin directory is on PATH. Without it the start command needs `uv run`, which a " +
    'runtime stage does not have, or runs the system Python without the dependencies.',
  uvOnly: true,
  detect(doc) {
    const final = doc.finalStage;
    if (!final || doc.stages.length < 2) return [];
    const builder = [...doc.stages]
      .reverse()
      .find((s) => s !== final && doc.uvCommands('sync').some((c) => c.instr.stage === s.index));
    if (!builder) return [];
    const venv = doc.venvDir(builder);
    if (!venv || !venv.startsWith('/') || venv === '/usr/local' || venv === '/usr') return [];
    const refs = [builder.name?.toLowerCase(), String(builder.index)];
    const copies = doc
      .copies(final)
      .filter(
        (c) =>
          c.from !== null &&
          refs.includes(c.from.toLowerCase()) &&
          c.sources.some((src) => src.startsWith('/') && isUnder(venv, normalizePath(src))),
      );
    if (copies.length === 0) return [];
    const bin = `${venv}/bin`;
    if (doc.runtimePath(final)?.includes(bin)) return [];
    // After the copy, and after any PATH line that would otherwise replace it.
    const setsPath = final.instructions.filter(
      (i) => i.keyword === 'ENV' && doc.properties(i).some((p) => p.name === 'PATH'),
    );
    const last = [copies[copies.length - 1].instr, ...setsPath].reduce((a, b) =>
      b.index > a.index ? b : a,
    );
    return [
      {
        message: `the runtime stage copies the venv but does not put ${bin} on PATH; its programs would not be found without uv run`,
        range: { start: last.start, end: last.end },
        edits: [doc.insertAfter(last, [`ENV PATH="${bin}:$PATH"`])],
      },
    ];
  },
});
