/**
 * An app that lives in `/`: a single stage with no WORKDIR that copies its files to relative paths
 * (`COPY . .`, `COPY requirements.txt .`) lands them at the root of the image, next to /usr and
 * /etc, where no runtime stage can receive them on their own. A `WORKDIR /app` before the first copy
 * moves every relative copy, and every relative path the RUNs and the start command use, together
 * into /app, so the layout transforms have an app directory to split.
 *
 * That holds only while nothing names those files by their place at the root: an absolute copy
 * destination (`COPY app /app`), or a path such as `/startup.sh` or `/code/main.py` in a command,
 * would no longer meet them. Paths under the usual system directories are not the app's.
 */
import { runtimeImageFor } from './images.js';
import type { Doc, Instr, Stage } from './document.js';
import type { Edit } from './types.js';
import { pipInstalls } from './pip.js';
import { pipenvInstalls } from './pipenv.js';
import { poetryInstalls } from './poetry.js';
import { isUvCall } from './document.js';

/** The directory a root app moves to. */
export const ROOT_APP_DIR = '/app';

/** First segments of absolute paths that belong to the system, not to files copied to the root. */
const SYSTEM = new Set([
  'bin',
  'boot',
  'dev',
  'etc',
  'home',
  'lib',
  'lib32',
  'lib64',
  'media',
  'mnt',
  'opt',
  'proc',
  'root',
  'run',
  'sbin',
  'srv',
  'sys',
  'tmp',
  'usr',
  'var',
]);

export type RootApp =
  /** Not an app at the root: it has a WORKDIR, several stages, installs nothing, or no start command. */
  | { kind: 'none' }
  /** An app at the root that a WORKDIR would not move whole: `why`, at `instr`. */
  | { kind: 'kept'; why: string; instr: Instr }
  /** `WORKDIR /app` goes before `at`; `follow` moves the paths that name copied files at the root. */
  | { kind: 'move'; at: Instr; follow: Edit[] };

export function rootApp(doc: Doc): RootApp {
  const built = doc.stages.filter((s) => s.instructions.length > 0);
  if (built.length !== 1 || doc.stages.length !== 1) return { kind: 'none' };
  const stage = built[0];
  const has = (keyword: string) => stage.instructions.some((i) => i.keyword === keyword);
  if (has('WORKDIR') || (!has('CMD') && !has('ENTRYPOINT'))) return { kind: 'none' };
  const image = stage.image ?? '';
  if (image.includes('$') || runtimeImageFor(image) === null) return { kind: 'none' };
  const install = installs(doc, stage);
  if (!install) return { kind: 'none' };
  const kept = (instr: Instr, why: string): RootApp => ({ kind: 'kept', why, instr });
  const moved = `the app lives in / (no WORKDIR); a WORKDIR ${ROOT_APP_DIR} would move it`;
  if (new RegExp(`(^|[^\\w.-])${ROOT_APP_DIR}(?![\\w.-])`).test(doc.text))
    return kept(stage.from, `${moved}, but the file already names ${ROOT_APP_DIR}`);
  const copies = doc.copies(stage).filter((c) => c.from === null);
  for (const c of copies) {
    if (!c.dest.startsWith('/') || /^\/tmp(\/|$)/.test(c.dest)) continue;
    return kept(
      c.instr,
      `${moved}, but this copy writes to ${c.dest} by its absolute path, which would no longer be beside the files copied relatively`,
    );
  }
  // What each explicit copy puts at the root (`COPY startup.sh .` -> startup.sh): a path naming it
  // there (`CMD /startup.sh`) follows it into the app directory.
  const placed = new Set(
    copies.flatMap((c) => {
      if (c.dest.startsWith('/')) return [];
      const dest = c.dest.replace(/^\.\//, '');
      if (dest !== '.' && dest !== '') return [dest.split('/')[0]];
      return c.sources
        .filter((src) => src !== '.' && src !== './')
        .map((src) => src.replace(/\/$/, '').split('/').pop()!);
    }),
  );
  const follow: Edit[] = [];
  for (const instr of stage.instructions) {
    if (!['RUN', 'CMD', 'ENTRYPOINT', 'ENV', 'HEALTHCHECK', 'VOLUME'].includes(instr.keyword))
      continue;
    const text = doc.text.slice(instr.argsStart, instr.argsEnd);
    for (const m of text.matchAll(/(^|[\s"'=:,[(])\/([A-Za-z0-9_.-]+)/g)) {
      if (SYSTEM.has(m[2])) continue;
      if (!placed.has(m[2]))
        return kept(
          instr,
          `${moved}, but ${instr.keyword} names /${m[2]} at the root, where the files would no longer be`,
        );
      const at = instr.argsStart + m.index! + m[1].length;
      follow.push({ start: at, end: at, text: ROOT_APP_DIR });
    }
  }
  // Before the first copy, so the files land there; with no copy, before the first install.
  return { kind: 'move', at: copies[0]?.instr ?? install, follow };
}

/** The edits that give a root app its directory, or null when it is not one to move. */
export function appDirectoryEdits(doc: Doc): Edit[] | null {
  const app = rootApp(doc);
  return app.kind === 'move'
    ? [doc.insertBefore(app.at, [`WORKDIR ${ROOT_APP_DIR}`], true), ...app.follow]
    : null;
}

/** The first RUN that installs the app's packages (pip, Poetry, Pipenv, uv), or null. */
function installs(doc: Doc, stage: Stage): Instr | null {
  const found = [
    ...pipInstalls(doc, stage)
      .filter((i) => !i.tooling)
      .map((i) => i.instr),
    ...poetryInstalls(doc, stage).map((i) => i.instr),
    ...pipenvInstalls(doc, stage).map((i) => i.instr),
    ...stage.instructions.filter(
      (i) =>
        i.keyword === 'RUN' &&
        doc.shell(i).commands.some((c) => isUvCall(c, 'sync') || isUvCall(c, 'pip')),
    ),
  ];
  return found.sort((a, b) => a.index - b.index)[0] ?? null;
}
