/**
 * (only with --compose) The organisation's two Compose files, at the build context's root, where
 * they are missing:
 *   docker-compose.build.yml  one service building the production image for the CI: image and tags
 *                             from ${REGISTRY_ID}, ${PROJECT_NAME}, ${VERSION} (and latest),
 *                             context, dockerfile, platforms
 *   docker-compose.dev.yml    the same image for local runs: container_name, the EXPOSEd port,
 *                             ./.env, TRANSPORT/HOST/PORT/LOG_LEVEL where the app reads them,
 *                             restart: unless-stopped, a named volume per VOLUME
 * The service is named after the project in pyproject.toml. The text is written as prettier
 * formats YAML (a test runs prettier over every generated file and expects no change).
 */
import { defineTransform } from '../src/core/transform.js';
import type { Doc, Stage } from '../src/core/document.js';
import type { Finding, MigrationOptions, ProjectContext } from '../src/core/types.js';

export const BUILD_FILE = 'docker-compose.build.yml';
export const DEV_FILE = 'docker-compose.dev.yml';

export default defineTransform({
  id: 'compose-files',
  title: 'Add the build and dev Compose files (with --compose)',
  rationale:
    'The standard asks for two Compose files per service: one that builds and tags the production ' +
    'image the same way in every CI, and one that runs that same image locally with its port, ' +
    '.env and restart policy, so development runs what production runs. Off unless --compose.',
  uvOnly: false,
  detect(doc, ctx, options) {
    if (!options.compose) return [];
    const stage = doc.finalStage;
    if (!stage) return [];
    const findings: Finding[] = [];
    const facts = serviceFacts(doc, stage, ctx);
    const wanted: [string, string][] = [
      [BUILD_FILE, buildFile(facts, ctx, options)],
      [DEV_FILE, devFile(facts, options)],
    ];
    for (const [name, text] of wanted) {
      if (ctx.composeFiles.includes(name)) {
        findings.push({ message: `${name} exists; left as is`, severity: 'info', file: name });
        continue;
      }
      const current = ctx.files[name] ?? '';
      if (current === text) continue;
      findings.push({
        message: `${name} ${current === '' ? 'created' : 'written'}: ${describe(name, facts)}`,
        file: name,
        edits: [{ file: name, start: 0, end: current.length, text }],
      });
    }
    for (const note of facts.notes) findings.push({ message: note, severity: 'info' });
    return findings;
  },
});

interface Facts {
  service: string;
  port: number | null;
  env: { name: string; value: string }[];
  volumes: { name: string; path: string }[];
  notes: string[];
}

/** `My_App.core` -> `my-app-core`: a Compose service name from the project's name. */
export function serviceName(project: string | null): string {
  const name = (project ?? '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return name || 'app';
}

function serviceFacts(doc: Doc, stage: Stage, ctx: ProjectContext): Facts {
  const notes: string[] = [];
  const env = doc.stageEnv(stage);
  const reads = new Set([...ctx.appEnv, ...env.keys()]);
  const exposed: number[] = [];
  const volumes: { name: string; path: string }[] = [];
  for (const p of doc.ports(stage)) if (p.protocol === 'tcp') exposed.push(p.port);
  for (const path of doc.volumes(stage)) {
    if (!path.startsWith('/') || path.includes('$')) continue;
    const base = path.replace(/\/+$/, '').split('/').pop() || 'data';
    const name =
      base
        .toLowerCase()
        .replace(/[^a-z0-9_.-]+/g, '-')
        .replace(/^[^a-z0-9]+/, '') || 'data';
    if (!volumes.some((v) => v.name === name)) volumes.push({ name, path });
  }
  const envPort = /^\d{1,5}$/.test(env.get('PORT') ?? '') ? Number(env.get('PORT')) : null;
  const port = envPort ?? exposed[0] ?? null;
  if (port === null) notes.push(`${DEV_FILE}: no port is published: the Dockerfile EXPOSEs none`);
  const defaults: Record<string, string> = {
    TRANSPORT: '${TRANSPORT:-http}',
    HOST: '0.0.0.0',
    PORT: `\${PORT:-${port ?? 8000}}`,
    LOG_LEVEL: `\${LOG_LEVEL:-${/^[A-Za-z]+$/.test(env.get('LOG_LEVEL') ?? '') ? env.get('LOG_LEVEL') : 'INFO'}}`,
  };
  const vars = Object.keys(defaults)
    .filter((n) => reads.has(n) && !(n === 'PORT' && port === null))
    .map((name) => ({ name, value: defaults[name] }));
  return { service: serviceName(ctx.pyproject?.name ?? null), port, env: vars, volumes, notes };
}

function image(options: MigrationOptions, tag: string): string {
  return `${options.composeRegistry}/\${REGISTRY_ID}/\${PROJECT_NAME}:${tag}`;
}

function buildFile(facts: Facts, ctx: ProjectContext, options: MigrationOptions): string {
  return [
    '# Builds and tags the production image (dockmig --compose).',
    '# REGISTRY_ID, PROJECT_NAME and VERSION come from the environment.',
    'services:',
    `  ${facts.service}:`,
    `    image: ${image(options, '${VERSION}')}`,
    '    build:',
    '      context: .',
    `      dockerfile: ${ctx.dockerfile}`,
    '      platforms:',
    ...options.composePlatforms.map((p) => `        - ${p}`),
    '      tags:',
    `        - ${image(options, '${VERSION}')}`,
    `        - ${image(options, 'latest')}`,
    '',
  ].join('\n');
}

function devFile(facts: Facts, options: MigrationOptions): string {
  const lines = [
    '# Runs the production image locally (dockmig --compose): rebuild it rather than mount the source.',
    'services:',
    `  ${facts.service}:`,
    `    image: ${image(options, '${VERSION}')}`,
    '    container_name: ${PROJECT_NAME}',
  ];
  if (options.composePlatforms.length === 1)
    lines.push(`    platform: ${options.composePlatforms[0]}`);
  if (facts.port !== null) {
    const reads = facts.env.some((e) => e.name === 'PORT');
    const host = `\${PORT:-${facts.port}}`;
    lines.push('    ports:', `      - "${host}:${reads ? host : facts.port}"`);
  }
  lines.push('    env_file:', '      - path: ./.env', '        required: false');
  if (facts.env.length > 0)
    lines.push('    environment:', ...facts.env.map((e) => `      - ${e.name}=${e.value}`));
  lines.push('    restart: unless-stopped');
  if (facts.volumes.length > 0) {
    lines.push('    volumes:', ...facts.volumes.map((v) => `      - ${v.name}:${v.path}`));
    lines.push('volumes:', ...facts.volumes.map((v) => `  ${v.name}:`));
  }
  return `${lines.join('\n')}\n`;
}

function describe(name: string, facts: Facts): string {
  if (name === BUILD_FILE) return `service ${facts.service} builds and tags the production image`;
  const parts = [`service ${facts.service} runs that image`];
  if (facts.port !== null) parts.push(`port ${facts.port}`);
  if (facts.env.length > 0) parts.push(`environment ${facts.env.map((e) => e.name).join(', ')}`);
  if (facts.volumes.length > 0)
    parts.push(`volumes ${facts.volumes.map((v) => v.path).join(', ')}`);
  return parts.join(', ');
}
