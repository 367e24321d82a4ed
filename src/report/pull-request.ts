/** The commit message and the pull-request body of `pr` and `org`: views of the report. */
import { markdown } from './markdown.js';
import type { Report } from './model.js';

export const DEFAULT_TITLE = 'Harden the Dockerfile (dockmig)';

/** The commit message: a subject, then per Dockerfile what changed. */
export function commitMessage(report: Report): string {
  const changed = report.files.filter((f) => f.status === 'changed');
  const lines = [
    changed.length === 1
      ? `Harden ${changed[0].path} with dockmig`
      : `Harden ${changed.length} Dockerfiles with dockmig`,
    '',
  ];
  for (const f of changed) {
    lines.push(`${f.path}:`);
    for (const id of [...new Set(f.findings.filter((x) => x.fixed).map((x) => x.transform))])
      lines.push(`- ${id}`);
    const others = f.changedFiles.filter((p) => p !== f.path);
    if (others.length > 0) lines.push(`- also: ${others.join(', ')}`);
  }
  return lines.join('\n') + '\n';
}

/** The pull-request body: the review, then how to verify it. */
export function pullRequestBody(report: Report): string {
  const dockerfiles = report.files.filter((f) => f.status === 'changed').map((f) => f.path);
  const first = dockerfiles[0] ?? 'Dockerfile';
  const dir = first.includes('/') ? first.slice(0, first.lastIndexOf('/')) : '.';
  return `${markdown(report)}
## How to verify

\`\`\`sh
docker build -t dockmig-check -f ${first} ${dir}
docker run --rm dockmig-check id -u            # not 0: the service runs as a non-root user
docker run --rm -p 8000:8000 dockmig-check     # the service starts without uv and without --reload
\`\`\`

Then stop it with Ctrl-C (or \`docker stop\`): it should exit at once with code 0, not be killed
after the timeout. Edit a source file and build again: the dependency layer comes from the cache.

<sub>Opened by dockmig. Running it again updates this pull request instead of opening another.</sub>
`;
}
