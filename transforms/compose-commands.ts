/**
 * In a Compose file beside the Dockerfile, at the context root or at the repository root, for each
 * service whose `build:` names this Dockerfile:
 *   command: uv run uvicorn app:app --reload      ->  command: uvicorn app:app
 *   command: ["uv", "run", "fastapi", "dev"]       ->  command: ["fastapi", "run"]
 *   entrypoint: (block list) - uv / - run / - app  ->  - app
 * the way the CMD is rewritten (uv run only where the stage the service builds, its build.target or
 * the final stage, has the venv on PATH).
 *
 * Left, with the reason: a development override (`docker-compose.dev.yml`, `compose.override.yaml`,
 * a `develop:` section, a bind mount of the source), where a reloading server is the point; a value
 * that is an alias or an anchor other keys use; a string with shell operators (Compose runs no shell).
 * Only the changed node's text is replaced; every edit is checked by reading the file back.
 */
import { defineTransform } from '../src/core/transform.js';
import {
  buildsDockerfile,
  developmentOf,
  nodeRange,
  parseCompose,
  type ComposeService,
  type ParsedCompose,
} from '../src/core/compose.js';
import { commandOverride, rewriteCommand, uvRunPrefix } from '../src/core/compose-command.js';
import type { Doc } from '../src/core/document.js';
import { joinPath } from '../src/core/paths.js';
import { editNode, keyNode } from '../src/core/yaml-edit.js';
import { dropDevFlags, stripUvRun, venvOnPath } from '../src/core/runtime-command.js';
import type { Finding, ProjectContext } from '../src/core/types.js';
import type { Node } from 'yaml';

export default defineTransform({
  id: 'compose-commands',
  title: "Rewrite Compose command and entrypoint overrides like the image's CMD",
  rationale:
    'A Compose service that builds the hardened image but overrides its start command with ' +
    '`uv run uvicorn app:app --reload` undoes the migration where it runs: uv at start, a file ' +
    'watcher in production. The override is rewritten as the CMD was; development overrides, ' +
    'where reloading is wanted, are left.',
  uvOnly: false,
  detect(doc, ctx) {
    return ctx.composeFiles.flatMap((path) => {
      const text = ctx.files[path];
      return text === undefined ? [] : composeFileFindings(doc, ctx, path, text);
    });
  },
});

/** One service's override of one key, with what every finding about it needs. */
interface Site {
  path: string;
  text: string;
  parsed: ParsedCompose;
  service: ComposeService;
  key: 'entrypoint' | 'command';
  /** `compose.yaml: service api: command`, the start of every message. */
  where: string;
  /** The stage the service runs has the venv on PATH, so `uv run` can go. */
  stripUv: boolean;
  /** A finding about this Compose file, at the node it names. */
  at: (f: Finding, node?: Node) => Finding;
}

function composeFileFindings(doc: Doc, ctx: ProjectContext, path: string, text: string): Finding[] {
  const parsed = parseCompose(path, text);
  if ('error' in parsed)
    return [
      { message: `${parsed.error}; its services are not checked`, severity: 'warning', file: path },
    ];
  // Named from the repository root when it lies outside the context (`../../compose.yaml`).
  const shown = path.startsWith('../') ? joinPath(ctx.contextPath, path) : path;
  const at = (f: Finding, node?: Node): Finding => {
    const range = nodeRange(parsed, node);
    return { ...f, file: path, ...(range ? { range } : {}) };
  };
  return parsed.services.flatMap((service) => {
    if (service.unknown)
      return [
        at(
          {
            message: `${shown}: service ${service.name}: ${service.unknown}, so whether it builds ${ctx.dockerfile} cannot be told; not checked`,
            severity: 'info',
          },
          service.node,
        ),
      ];
    if (!buildsDockerfile(service, ctx.dockerfile, ctx.contextPath)) return [];
    const stripUv = runsVenvOnPath(doc, service);
    return (['entrypoint', 'command'] as const).flatMap((key) =>
      overrideFindings({
        path,
        text,
        parsed,
        service,
        key,
        where: `${shown}: service ${service.name}: ${key}`,
        stripUv,
        at,
      }),
    );
  });
}

/** Each service runs the stage its build.target names (the final one without it). */
function runsVenvOnPath(doc: Doc, service: ComposeService): boolean {
  const stage = service.stage ? doc.stageRef(service.stage) : doc.finalStage;
  return stage !== undefined && stage !== null && venvOnPath(doc, stage);
}

function overrideFindings(site: Site): Finding[] {
  const { service, where, stripUv, at } = site;
  const override = commandOverride(site.parsed, service, site.key);
  if (override === null) return [];
  const rewriters = stripUv ? [stripUvRun, dropDevFlags] : [dropDevFlags];
  if ('merged' in override) {
    const r = rewriteCommand(override.merged, rewriters);
    return r.next === null
      ? []
      : [
          at(
            {
              message: `${where} comes through a merge key (<<); left as is: change it where it is defined (${r.changes.join('; ')})`,
              severity: 'warning',
            },
            service.node,
          ),
        ];
  }
  const { node } = override;
  if ('why' in override)
    return [at({ message: `${where} is left as is: ${override.why}`, severity: 'warning' }, node)];
  const emptied = emptiedPrefix(site, node, override.value);
  if (emptied) return [emptied];

  const findings: Finding[] = [];
  const r = rewriteCommand(override.value, rewriters);
  if (!stripUv && rewriteCommand(override.value, [stripUvRun]).next !== null)
    findings.push(
      at(
        {
          message: `${where}: uv run kept: the stage it runs (${service.stage ? `target ${service.stage}` : 'the final stage'}) does not have the venv on PATH, so the program would start without its dependencies`,
          severity: 'warning',
        },
        node,
      ),
    );
  const development = developmentOf(site.path, service);
  if (development) {
    if (r.next !== null)
      findings.push(
        at(
          {
            message: `${where} is left as is: ${development} (for production: ${r.changes.join('; ')})`,
            severity: 'info',
          },
          node,
        ),
      );
    return findings;
  }
  for (const p of r.problems)
    findings.push(at({ message: `${where}: ${p}`, severity: 'warning' }, node));
  if (r.next === null) return findings;
  const edit = editNode(
    site.text,
    site.parsed.offset,
    ['services', service.name, site.key],
    node,
    r.next,
  );
  findings.push(
    at(
      edit
        ? { message: `${where}: ${r.changes.join('; ')}`, edits: [{ ...edit, file: site.path }] }
        : {
            message: `${where} could not be rewritten without disturbing the file; by hand: ${r.changes.join('; ')}`,
            severity: 'warning',
          },
      node,
    ),
  );
  return findings;
}

/**
 * An entrypoint that only puts `uv run` in front of the service's command, emptied: the image's
 * entrypoint is not used either way. Null when it is more than that, or cannot be edited cleanly.
 */
function emptiedPrefix(site: Site, node: Node, value: string | string[]): Finding | null {
  const { service } = site;
  if (site.key !== 'entrypoint' || !site.stripUv || !service.node.has('command')) return null;
  const prefix = uvRunPrefix(value);
  if (!prefix) return null;
  const edit = editNode(
    site.text,
    site.parsed.offset,
    ['services', service.name, site.key],
    node,
    typeof value === 'string' ? '' : [],
    keyNode(service.node, 'entrypoint'),
  );
  return edit
    ? site.at(
        {
          message: `${site.where}: ${prefix} only prefixed the command; emptied (the image's entrypoint is not used, as before)`,
          edits: [{ ...edit, file: site.path }],
        },
        node,
      )
    : null;
}
