import { describe, expect, it } from 'vitest';
import { buildContext } from '../../src/core/context.js';
import { parse } from '../../src/core/document.js';
import { activeTransforms, kindDocument, projectKind } from '../../src/core/project-kind.js';
import { defineTransform } from '../../src/core/transform.js';
import { DEFAULT_OPTIONS } from '../../src/core/types.js';
import { TRANSFORMS } from '../../transforms/index.js';

const kindOf = (text: string, files: Record<string, string>) =>
  projectKind(parse(text), buildContext({ dockerfile: 'Dockerfile', files }));

const t = (id: string, uvOnly: boolean, pip?: boolean) =>
  defineTransform({ id, title: id, rationale: 'r', uvOnly, pip, detect: () => [] });

describe('projectKind', () => {
  it('a uv project gets every transform and no note', () => {
    const kind = kindOf('FROM python:3.12\nRUN uv sync\nCMD ["app"]\n', { 'uv.lock': '' });
    expect(kind).toEqual({ uv: true, withoutUv: false, note: null });
  });

  it('a pip project is hardened without uv, and the note says moving to uv is a separate step', () => {
    const kind = kindOf(
      'FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD ["python", "app.py"]\n',
      { 'requirements.txt': 'flask\n' },
    );
    expect(kind.uv).toBe(false);
    expect(kind.withoutUv).toBe(true);
    expect(kind.note).toMatch(
      /^uv migration skipped: a pip project: .*moving the project to uv is a separate step$/,
    );
  });

  it('a project neither uv nor hardened says why, and gets only the transforms not tied to uv', () => {
    const kind = kindOf('FROM node:22\nCMD ["node", "app.js"]\n', {});
    expect(kind.uv || kind.withoutUv).toBe(false);
    expect(kind.note).toMatch(/^uv migration skipped: /);
    const all = [t('any', false), t('uv', true), t('venv', true, true)];
    expect(activeTransforms(all, kind, DEFAULT_OPTIONS).map((x) => x.id)).toEqual(['any']);
    const hardened = { ...kind, withoutUv: true };
    expect(activeTransforms(all, hardened, DEFAULT_OPTIONS).map((x) => x.id)).toEqual([
      'any',
      'venv',
    ]);
    expect(
      activeTransforms(all, { ...hardened, uv: true }, { ...DEFAULT_OPTIONS, skip: ['uv'] }).map(
        (x) => x.id,
      ),
    ).toEqual(['any', 'venv']);
  });
});

describe('kindDocument', () => {
  const root = 'FROM python:3.12\nCOPY . .\nRUN uv sync\nCMD ["python", "app.py"]\n';

  it('reads an app at the root as app-directory will move it, when that transform runs', () => {
    const doc = parse(root);
    expect(kindDocument(doc, TRANSFORMS, DEFAULT_OPTIONS).text).not.toBe(root);
    expect(kindDocument(doc, TRANSFORMS, { ...DEFAULT_OPTIONS, skip: ['app-directory'] })).toBe(
      doc,
    );
    expect(kindDocument(doc, [], DEFAULT_OPTIONS)).toBe(doc);
  });
});
