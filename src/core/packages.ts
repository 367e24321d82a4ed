/**
 * The system packages a stage installs (apt-get/apt on Debian, apk on Alpine), and which of them
 * only serve the build: compilers, headers and downloaders stay in a builder stage, and a header
 * package's run-time library goes to the runtime stage instead.
 */
import type { Doc, Instr, Stage } from './document.js';
import { expandedValues } from './shell.js';

export interface SystemPackage {
  manager: 'apt' | 'apk';
  /** As written, a version pin included (`libpq5=15.*`). */
  name: string;
  instr: Instr;
}

/** System packages that only serve the build (compilers, headers, downloaders and the unzip of what they fetched). */
const BUILD_ONLY =
  /^(build-essential|build-base|gcc|g\+\+|clang|make|cmake|pkg-config|pkgconf|autoconf|automake|libtool|curl|wget|unzip|git|gnupg2?|musl-dev|linux-headers|cargo|rustc|.*-dev|.*-devel)(=.*)?$/;

/** The run-time library of common header packages: Debian's names (the same on bookworm and trixie), Alpine's. */
const RUNTIME_LIBRARY: Record<SystemPackage['manager'], Record<string, string>> = {
  apt: {
    'libpq-dev': 'libpq5',
    'default-libmysqlclient-dev': 'libmariadb3',
    'libmariadb-dev': 'libmariadb3',
    'libmariadb-dev-compat': 'libmariadb3',
  },
  apk: {
    'postgresql-dev': 'libpq',
    'libpq-dev': 'libpq',
    'mariadb-dev': 'mariadb-connector-c',
  },
};

/** Options of apt-get and apk that take the next word as their value. */
const VALUED = new Set([
  '-o',
  '-t',
  '-c',
  '--option',
  '--target-release',
  '--config-file',
  '-X',
  '--repository',
  '-p',
  '--root',
  '--virtual',
]);

/** The package words of every install command in a stage (options and their values skipped; null for an expansion). */
function installs(
  doc: Doc,
  stage: Stage,
): { manager: SystemPackage['manager']; instr: Instr; names: (string | null)[] }[] {
  const out: { manager: SystemPackage['manager']; instr: Instr; names: (string | null)[] }[] = [];
  for (const instr of stage.instructions) {
    if (instr.keyword !== 'RUN') continue;
    for (const command of doc.shell(instr).commands) {
      // `apt-get install $RUN_DEPS` after `RUN_DEPS="libpq5 zlib1g"` in the same RUN names both.
      const words = expandedValues(command);
      const bin = words[0]?.split('/').pop();
      const manager = bin === 'apt-get' || bin === 'apt' ? 'apt' : bin === 'apk' ? 'apk' : null;
      if (!manager) continue;
      const verb = words.indexOf(manager === 'apt' ? 'install' : 'add');
      if (verb < 0) continue;
      const names: (string | null)[] = [];
      for (let i = verb + 1; i < words.length; i++) {
        const word = words[i];
        if (word !== null && word.startsWith('-')) {
          if (VALUED.has(word)) i++;
          continue;
        }
        names.push(word);
      }
      out.push({ manager, instr, names });
    }
  }
  return out;
}

/** Every package a stage's shell-form RUNs install, in order. */
export function systemPackages(doc: Doc, stage: Stage): SystemPackage[] {
  return installs(doc, stage).flatMap(({ manager, instr, names }) =>
    names.filter((n): n is string => n !== null).map((name) => ({ manager, name, instr })),
  );
}

/**
 * The first RUN that names packages through a variable whose value cannot be told (assigned in a
 * branch, from `$(..)`, an ARG without default), or null.
 */
export function packagesFromVariable(doc: Doc, stage: Stage): Instr | null {
  return installs(doc, stage).find((i) => i.names.includes(null))?.instr ?? null;
}

/** Whether a package only serves the build (a compiler, headers, a downloader). */
export function buildOnly(name: string): boolean {
  return BUILD_ONLY.test(name);
}

/** The run-time library a header package serves (`libpq-dev` -> `libpq5`), or null. */
export function runtimeLibrary(pkg: Pick<SystemPackage, 'manager' | 'name'>): string | null {
  return RUNTIME_LIBRARY[pkg.manager][pkg.name.replace(/=.*$/, '')] ?? null;
}
