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
import { isDevFileName, mergedCommand, parseCompose } from '../src/core/compose.js';
import { commandValue, rewriteCommand } from '../src/core/compose-command.js';
import { joinPath } from '../src/core/paths.js';
import { editNode, keyNode } from '../src/core/yaml-edit.js';
import {
  dropDevFlags,
  onlyUvRunPrefix,
  stripUvRun,
  venvOnPath,
} from '../src/core/runtime-command.js';
import { parseShell } from '../src/core/shell.js';
import type { Finding } from '../src/core/types.js';
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
    if (ctx.composeFiles.length === 0) return [];
    // Each service runs the stage its build.target names (the final one without it).
    const stripsUv = (service: { stage: string | null }) => {
      const stage = service.stage ? doc.stageRef(service.stage) : doc.finalStage;
      return stage !== undefined && stage !== null && venvOnPath(doc, stage);
    };
    // Paths compared from the repository root: a root Compose file says `build: services/api`
    // where the Dockerfile is `Dockerfile` in the context services/api.
    const fromRoot = (p: string) => joinPath(ctx.contextPath, p);
    const target = fromRoot(ctx.dockerfile);
    const findings: Finding[] = [];
    for (const path of ctx.composeFiles) {
      // Named from the repository root when it lies outside the context (`../../compose.yaml`).
      const shown = path.startsWith('../') ? fromRoot(path) : path;
      const text = ctx.files[path];
      if (text === undefined) continue;
      const parsed = parseCompose(path, text);
      // Every finding here is about this Compose file, at the node it names.
      const add = (f: Finding, at?: Node): void => {
        findings.push({
          ...f,
          file: path,
          ...(at?.range && 'offset' in parsed
            ? { range: { start: at.range[0] + parsed.offset, end: at.range[1] + parsed.offset } }
            : {}),
        });
      };
      if ('error' in parsed) {
        add({
          message: `${parsed.error}; its services are not checked`,
          severity: 'warning',
        });
        continue;
      }
      for (const service of parsed.services) {
        if (service.unknown) {
          add(
            {
              message: `${shown}: service ${service.name}: ${service.unknown}, so whether it builds ${ctx.dockerfile} cannot be told; not checked`,
              severity: 'info',
            },
            service.node,
          );
          continue;
        }
        if (service.dockerfile === null || fromRoot(service.dockerfile) !== target) continue;
        const stripUv = stripsUv(service);
        for (const key of ['entrypoint', 'command'] as const) {
          const node = service.node.get(key, true);
          const where = `${shown}: service ${service.name}: ${key}`;
          if (node === undefined || node === null) {
            // Given through a merge key (`<<: *defaults`): rewritten where it is written, not here.
            const merged = mergedCommand(parsed, service, key);
            if (merged === null) continue;
            const r = rewriteCommand(merged, stripUv ? [stripUvRun, dropDevFlags] : [dropDevFlags]);
            if (r.next !== null)
              add(
                {
                  message: `${where} comes through a merge key (<<); left as is: change it where it is defined (${r.changes.join('; ')})`,
                  severity: 'warning',
                },
                service.node,
              );
            continue;
          }
          const value = commandValue(parsed.doc, node);
          if ('why' in value) {
            add({ message: `${where} is left as is: ${value.why}`, severity: 'warning' }, node);
            continue;
          }
          if (key === 'entrypoint' && stripUv && service.node.has('command')) {
            const prefix = uvPrefixOnly(value.value);
            if (prefix) {
              const next = typeof value.value === 'string' ? '' : [];
              const edit = editNode(
                text,
                parsed.offset,
                ['services', service.name, key],
                node,
                next,
                keyNode(service.node, 'entrypoint'),
              );
              if (edit) {
                add(
                  {
                    message: `${where}: ${prefix} only prefixed the command; emptied (the image's entrypoint is not used, as before)`,
                    edits: [{ ...edit, file: path }],
                  },
                  node,
                );
                continue;
              }
            }
          }
          const r = rewriteCommand(
            value.value,
            stripUv ? [stripUvRun, dropDevFlags] : [dropDevFlags],
          );
          if (!stripUv && rewriteCommand(value.value, [stripUvRun]).next !== null)
            add(
              {
                message: `${where}: uv run kept: the stage it runs (${service.stage ? `target ${service.stage}` : 'the final stage'}) does not have the venv on PATH, so the program would start without its dependencies`,
                severity: 'warning',
              },
              node,
            );
          const development = isDevFileName(path)
            ? 'the file is a development override'
            : service.development;
          if (development) {
            if (r.next !== null)
              add(
                {
                  message: `${where} is left as is: ${development} (for production: ${r.changes.join('; ')})`,
                  severity: 'info',
                },
                node,
              );
            continue;
          }
          for (const p of r.problems) add({ message: `${where}: ${p}`, severity: 'warning' }, node);
          if (r.next === null) continue;
          const edit = editNode(text, parsed.offset, ['services', service.name, key], node, r.next);
          if (!edit) {
            add(
              {
                message: `${where} could not be rewritten without disturbing the file; by hand: ${r.changes.join('; ')}`,
                severity: 'warning',
              },
              node,
            );
            continue;
          }
          add(
            {
              message: `${where}: ${r.changes.join('; ')}`,
              edits: [{ ...edit, file: path }],
            },
            node,
          );
        }
      }
    }
    return findings;
  },
});

/** An entrypoint of `uv run [options]` alone (string or list), as written for the message. */
function uvPrefixOnly(value: string | string[]): string | null {
  let words: (string | null)[] = typeof value === 'string' ? [] : value;
  if (typeof value === 'string') {
    const script = parseShell(value, 0, value.length, { escape: '\\', continuations: false });
    if (!script.ok || script.commands.length !== 1) return null;
    words = script.commands[0].words.map((w) => w.value);
  }
  return onlyUvRunPrefix(words) ? words.join(' ') : null;
}
