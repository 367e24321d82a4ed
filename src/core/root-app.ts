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
import type { Copy, Doc, Instr, Stage } from './document.js';
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
  /**
   * `WORKDIR <dir>` goes before `at`; `follow` moves the paths that name copied files at the root.
   * `dir` is /app, or the one directory every copy already writes to by its absolute path.
   */
  | { kind: 'move'; at: Instr; follow: Edit[]; dir: string; copiedThere: boolean };

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
  const copies = doc.copies(stage).filter((c) => c.from === null);
  const absolute = copies.filter((c) => c.dest.startsWith('/') && !/^\/tmp(\/|$)/.test(c.dest));
  if (absolute.length > 0 && absolute.length === copies.length) {
    const own = ownDirectory(doc, stage, absolute);
    return 'why' in own
      ? kept(own.instr, own.why)
      : { kind: 'move', at: copies[0].instr, follow: [], dir: own.dir, copiedThere: true };
  }
  if (new RegExp(`(^|[^\\w.-])${ROOT_APP_DIR}(?![\\w.-])`).test(doc.text))
    return kept(stage.from, `${moved}, but the file already names ${ROOT_APP_DIR}`);
  for (const c of absolute)
    return kept(
      c.instr,
      `${moved}, but this copy writes to ${c.dest} by its absolute path, which would no longer be beside the files copied relatively; copy those files relatively too (or all of them to one directory the start command runs from)`,
    );
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
  return {
    kind: 'move',
    at: copies[0]?.instr ?? install,
    follow,
    dir: ROOT_APP_DIR,
    copiedThere: false,
  };
}

/**
 * The directory an app at the root already has: every copy writes by its absolute path into one
 * top-level directory (`COPY ./src /src`, `COPY requirements.txt /src/`) that is not the system's,
 * and the start command names it (`CMD /src/run_worker.sh`). A WORKDIR there moves no file; it
 * only makes the directory the app directory, and the working directory of the RUNs and of the
 * program, which read their files by absolute paths. Otherwise why not, at the copy that says so.
 */
function ownDirectory(
  doc: Doc,
  stage: Stage,
  copies: Copy[],
): { dir: string } | { why: string; instr: Instr } {
  const lives = 'the app lives in / (no WORKDIR)';
  const first = (c: Copy) => c.dest.split('/')[1] ?? '';
  const seg = first(copies[0]);
  const other = copies.find((c) => first(c) !== seg);
  if (other)
    return {
      instr: other.instr,
      why: `${lives}, and its files are copied by absolute paths to /${seg} and /${first(other)}: no one directory holds the app; copy them into one directory and add a WORKDIR for it`,
    };
  const dir = `/${seg}`;
  if (seg === '' || SYSTEM.has(seg))
    return {
      instr: copies[0].instr,
      why: `${lives}, and this copy writes to ${copies[0].dest}, a system directory, which no runtime stage copies whole; copy the app into a directory of its own and add a WORKDIR for it`,
    };
  const under = new RegExp(`(^|[\\s"'=:,[(])${dir.replace(/[.]/g, '\\.')}/[\\w.-]`);
  // A copy of one file to /main.py names a file, not a directory: a WORKDIR cannot be it.
  const directory =
    copies.some(
      (c) => c.dest !== dir || c.sources.length > 1 || c.sources.some((x) => /^\.\/?$|\/$/.test(x)),
    ) ||
    stage.instructions.some(
      (i) =>
        i.keyword !== 'COPY' &&
        i.keyword !== 'ADD' &&
        under.test(doc.logical(i.argsStart, i.argsEnd)),
    );
  if (!directory)
    return {
      instr: copies[0].instr,
      why: `${lives}, and this copy writes to ${dir} by its absolute path, which may be a file rather than a directory; add a WORKDIR for the directory the app belongs in`,
    };
  const named = new RegExp(`(^|[\\s"'=:,[(])${dir.replace(/[.]/g, '\\.')}(/|["'\\s,\\]]|$)`);
  const start = stage.instructions.filter((i) => i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT');
  if (!start.some((i) => named.test(doc.logical(i.argsStart, i.argsEnd))))
    return {
      instr: start.at(-1) ?? copies[0].instr,
      why: `${lives}, and its files are copied to ${dir}, but the start command does not name ${dir}, so whether the program runs from there cannot be told; add WORKDIR ${dir} before the first COPY if it does`,
    };
  return { dir };
}

/** The edits that give a root app its directory, or null when it is not one to move. */
export function appDirectoryEdits(doc: Doc): Edit[] | null {
  const app = rootApp(doc);
  return app.kind === 'move'
    ? [doc.insertBefore(app.at, [`WORKDIR ${app.dir}`], true), ...app.follow]
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
