/**
 * CMD uv run uvicorn app:app            ->  CMD uvicorn app:app
 * CMD ["uv", "run", "--no-sync", "app"] ->  CMD ["app"]
 * CMD uv run main.py                    ->  CMD python main.py
 * CMD PORT=8000 /usr/local/bin/uv run x ->  CMD PORT=8000 x
 * CMD uv --directory src run gunicorn x ->  CMD cd src && gunicorn x
 * ENTRYPOINT ["uv", "run"] + CMD [...]  ->  the ENTRYPOINT removed
 *
 * In the final stage, also inside `sh -c "..."`, once the venv's bin directory is on PATH there
 * (the runtime stage has it); a stage without it keeps uv run, with the reason. uv is recognised by
 * any path and as `python -m uv`. Reported, not fixed: `uv run --with` (packages added at start),
 * `--env-file`, an extra or group the build's sync does not install, `uv --directory` in exec form
 * (no shell to cd), a command that runs `uv sync`, `uv pip install` or another uv command at start,
 * uvx.
 */
import { defineTransform } from '../src/core/transform.js';
import { programWords, rewriteFindings, rewriteInstruction } from '../src/core/command.js';
import { onlyUvRunPrefix, runnerRun, stripUvRun, venvOnPath } from '../src/core/runtime-command.js';
import type { Finding } from '../src/core/types.js';
import type { Doc, Stage } from '../src/core/document.js';

export default defineTransform({
  id: 'no-uv-at-runtime',
  title: 'Start the program without uv',
  rationale:
    '`uv run` at container start re-validates the lockfile against the venv, can reach the package ' +
    'index, and fails as a non-root user on a root-owned venv. The venv is already built and its ' +
    'bin directory is on PATH, so the program is started directly.',
  uvOnly: true,
  pip: true,
  detect(doc) {
    return doc.runtimeStages().flatMap((stage) => inStage(doc, stage));
  },
});

/** The start commands of one stage the image can be built to run. */
function inStage(doc: Doc, stage: Stage): Finding[] {
  const findings: Finding[] = [];
  const starts = stage.instructions.filter(
    (i) => i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT',
  );
  if (!venvOnPath(doc, stage)) {
    // Without the venv on PATH, the program would start from the system Python, without its dependencies.
    // What would not be rewritten even with it (uvx, `uv run --with`) still says why.
    return starts.flatMap((i): Finding[] => {
      const r = rewriteInstruction(doc, i, stripUvRun);
      const range = { start: i.start, end: i.end };
      const problems = r.problems.map((p): Finding => ({
        message: `${i.keyword}: ${p}`,
        range,
        severity: 'warning',
      }));
      if (r.edits.length === 0) return problems;
      return [
        ...problems,
        {
          message: `${i.keyword}: ${
            programWords(doc, i)
              .map(runnerRun)
              .find((r) => r !== null)?.tool ?? 'uv'
          } run kept: the venv's bin directory is not on PATH in this stage, so the program would start without its dependencies`,
          range,
          severity: 'warning',
        },
      ];
    });
  }
  for (const instr of starts) {
    const range = { start: instr.start, end: instr.end };
    if (
      instr.keyword === 'ENTRYPOINT' &&
      instr.json &&
      onlyUvRunPrefix(instr.json) &&
      starts.some((i) => i.keyword === 'CMD')
    ) {
      findings.push({
        message: `ENTRYPOINT ${JSON.stringify(instr.json)} only prefixed the CMD with uv run; removed`,
        range,
        edits: [doc.remove(instr, true)],
      });
      continue;
    }
    if (instr.jsonInvalid) continue;
    findings.push(...rewriteFindings(instr, rewriteInstruction(doc, instr, stripUvRun)));
  }
  return findings;
}
