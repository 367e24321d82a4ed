/**
 * The users and groups a Dockerfile creates, read from its RUNs the way each tool reads its own
 * options: useradd and groupadd (shadow), Debian's adduser/addgroup and BusyBox's (Alpine). What
 * non-root-user numbers and multi-stage carries to the runtime stage both come from here.
 */
import type { Doc, Stage } from './document.js';
import type { ShellWord } from './shell.js';

export const NUMBER = /^\d+$/;

/** A user or group that a RUN creates (useradd, adduser, groupadd, addgroup). */
export interface Account {
  kind: 'user' | 'group';
  name: string;
  /** The id as written (`--uid 1000`, maybe `$UID`); null when the command gives none. */
  id: string | null;
  /** A user's primary group: a gid or group name given, its own group (gid = uid), or not known. */
  primary: { gid: string } | { group: string } | 'own' | 'unknown';
  /** How this tool is told the id (`--uid`, `-u`, `--gid`, `-g`). */
  idOption: string;
  /** Just after the command word: where the id option goes. */
  at: number;
  /** Where the command starts: what comes before it in its stage can use the account. */
  start: number;
  stage: number;
}

/** How each tool spells its options: short letters as long names, and the ones taking a value. */
interface Tool {
  short: Record<string, string>;
  valued: Set<string>;
}

const USERADD: Tool = {
  short: {
    b: 'base-dir',
    c: 'comment',
    d: 'home-dir',
    D: 'defaults',
    e: 'expiredate',
    f: 'inactive',
    g: 'gid',
    G: 'groups',
    h: 'help',
    k: 'skel',
    K: 'key',
    l: 'no-log-init',
    m: 'create-home',
    M: 'no-create-home',
    N: 'no-user-group',
    o: 'non-unique',
    p: 'password',
    P: 'prefix',
    r: 'system',
    R: 'root',
    s: 'shell',
    u: 'uid',
    U: 'user-group',
    Z: 'selinux-user',
  },
  valued: new Set(
    'base-dir comment home-dir home expiredate inactive gid groups skel key password prefix root shell uid selinux-user selinux-range'.split(
      ' ',
    ),
  ),
};
const GROUPADD: Tool = {
  short: {
    f: 'force',
    g: 'gid',
    h: 'help',
    K: 'key',
    o: 'non-unique',
    p: 'password',
    P: 'prefix',
    r: 'system',
    R: 'root',
    U: 'users',
  },
  valued: new Set('gid key password prefix root users'.split(' ')),
};
/** Debian's adduser (long options) and BusyBox's (short ones, Alpine) in one table. */
const ADDUSER: Tool = {
  short: {
    c: 'conf',
    D: 'disabled-password',
    g: 'gecos',
    G: 'ingroup',
    h: 'home',
    H: 'no-create-home',
    k: 'skel',
    q: 'quiet',
    s: 'shell',
    S: 'system',
    u: 'uid',
  },
  valued: new Set(
    'comment conf firstgid firstuid gecos gid home ingroup lastgid lastuid shell skel uid'.split(
      ' ',
    ),
  ),
};
const ADDGROUP: Tool = {
  short: { g: 'gid', S: 'system', q: 'quiet' },
  valued: new Set('conf firstgid gid lastgid'.split(' ')),
};

/** Options (by long name; value or true) and operands of a command; null when a name is a variable. */
function readArgs(
  words: ShellWord[],
  tool: Tool,
): { options: Map<string, string | true>; operands: string[]; letters: string[] } | null {
  const options = new Map<string, string | true>();
  const operands: string[] = [];
  const letters: string[] = [];
  const valueAt = (i: number) => words[i]?.value ?? words[i]?.raw ?? '';
  for (let i = 1; i < words.length; i++) {
    const v = words[i].value;
    if (v === null) return null;
    if (v === '--') {
      for (const w of words.slice(i + 1)) {
        if (w.value === null) return null;
        operands.push(w.value);
      }
      break;
    }
    if (v.startsWith('--')) {
      const eq = v.indexOf('=');
      const name = eq < 0 ? v.slice(2) : v.slice(2, eq);
      if (eq >= 0) options.set(name, v.slice(eq + 1));
      else if (tool.valued.has(name)) options.set(name, valueAt(++i));
      else options.set(name, true);
    } else if (v.startsWith('-') && v.length > 1) {
      for (let j = 1; j < v.length; j++) {
        letters.push(v[j]);
        const name = tool.short[v[j]] ?? v[j];
        if (!tool.valued.has(name)) {
          options.set(name, true);
          continue;
        }
        options.set(name, j + 1 < v.length ? v.slice(j + 1) : valueAt(++i));
        break;
      }
    } else {
      operands.push(v);
    }
  }
  return { options, operands, letters };
}

/** Every user and group the file's shell-form RUNs create, in file order. */
export function accounts(doc: Doc): Account[] {
  const out: Account[] = [];
  for (const stage of doc.stages) {
    const alpine = /alpine/.test(rootImage(doc, stage) ?? '');
    for (const instr of stage.instructions) {
      if (instr.keyword !== 'RUN') continue;
      for (const command of doc.shell(instr).commands) {
        const account = accountOf(command.words, alpine);
        if (account)
          out.push({
            ...account,
            at: command.words[0].end,
            start: command.start,
            stage: stage.index,
          });
      }
    }
  }
  return out;
}

function accountOf(
  words: ShellWord[],
  alpine: boolean,
): Omit<Account, 'at' | 'start' | 'stage'> | null {
  const tool = words[0]?.value?.split('/').pop();
  if (tool === 'useradd') {
    const args = readArgs(words, USERADD);
    if (
      !args ||
      args.operands.length !== 1 ||
      args.options.has('defaults') ||
      args.options.has('help')
    )
      return null;
    const gid = args.options.get('gid');
    return {
      kind: 'user',
      name: args.operands[0],
      id: text(args.options.get('uid')),
      primary:
        typeof gid === 'string'
          ? NUMBER.test(gid)
            ? { gid }
            : { group: gid }
          : // A system user's own group gets a system gid, not the uid; -N leaves it in the default group.
            args.options.has('system') || args.options.has('no-user-group')
            ? 'unknown'
            : 'own',
      idOption: '--uid',
    };
  }
  if (tool === 'groupadd') {
    const args = readArgs(words, GROUPADD);
    if (!args || args.operands.length !== 1 || args.options.has('help')) return null;
    return {
      kind: 'group',
      name: args.operands[0],
      id: text(args.options.get('gid')),
      primary: 'unknown',
      idOption: '--gid',
    };
  }
  if (tool === 'adduser') {
    const args = readArgs(words, ADDUSER);
    // `adduser user group` adds an existing user to a group.
    if (!args || args.operands.length !== 1) return null;
    // Debian's adduser has long options only (and -q); BusyBox's are mostly short.
    const busybox = alpine || args.letters.some((l) => l !== 'q');
    if (!busybox && args.options.has('group') && !args.options.has('system')) {
      return {
        kind: 'group',
        name: args.operands[0],
        id: text(args.options.get('gid')),
        primary: 'unknown',
        idOption: '--gid',
      };
    }
    const ingroup = text(args.options.get('ingroup'));
    const gid = busybox ? null : text(args.options.get('gid'));
    return {
      kind: 'user',
      name: args.operands[0],
      id: text(args.options.get('uid')),
      // Both give a new user its own group with gid = uid; a system user goes to nogroup.
      primary:
        ingroup !== null
          ? { group: ingroup }
          : gid !== null
            ? { gid }
            : args.options.has('system')
              ? 'unknown'
              : 'own',
      idOption: busybox ? '-u' : '--uid',
    };
  }
  if (tool === 'addgroup') {
    const args = readArgs(words, ADDGROUP);
    if (!args || args.operands.length !== 1) return null;
    const busybox = alpine || args.letters.some((l) => l !== 'q');
    return {
      kind: 'group',
      name: args.operands[0],
      id: text(args.options.get('gid')),
      primary: 'unknown',
      idOption: busybox ? '-g' : '--gid',
    };
  }
  return null;
}

function text(value: string | true | undefined): string | null {
  return typeof value === 'string' ? value : null;
}

/** The image at the root of a stage's FROM chain (`FROM base` ... `FROM python:3.12-alpine AS base`). */
function rootImage(doc: Doc, stage: Stage): string | null {
  return doc.lineage(stage).at(-1)!.image;
}
