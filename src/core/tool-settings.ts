/**
 * The environment settings of the tools that install a project and stay in the builder (uv,
 * Poetry, Pipenv: `UV_*`, `POETRY_*`, `PIPENV_*`), and what of an ENV a runtime stage without
 * those tools takes.
 */
import type { Doc, Instr } from './document.js';

const TOOL_SETTING = /^(UV|POETRY|PIPENV)_/;

export function isToolSetting(name: string): boolean {
  return TOOL_SETTING.test(name);
}

/**
 * An ENV as the runtime gets it: as written, or without the tools' settings when it mixes them
 * with the app's (`ENV UV_COMPILE_BYTECODE=1 APP_ENV=prod`), written with the file's
 * continuations; null when it holds nothing else. An app value built from a tool's setting
 * (`TOOLS=$POETRY_HOME/bin`) keeps the line whole.
 */
export function envForRuntime(doc: Doc, instr: Instr): string | null {
  const props = doc.properties(instr);
  const kept = props.filter((p) => !isToolSetting(p.name));
  if (kept.length === props.length) return doc.sourceOf(instr, true);
  if (kept.length === 0) return null;
  const dropped = props.filter((p) => isToolSetting(p.name)).map((p) => p.name);
  if (kept.some((p) => dropped.some((n) => new RegExp(`\\$\\{?${n}\\b`).test(p.written ?? ''))))
    return doc.sourceOf(instr, true);
  const pairs = kept.map((p) => `${p.name}=${p.written ?? ''}`);
  return doc.continued([`ENV ${pairs[0]}`, ...pairs.slice(1)]);
}
