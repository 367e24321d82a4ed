/**
 * `dockmig --interactive`'s decisions, as `git add -p` takes hunks: file after file, each fix the
 * engine made in its order, shown as the change it adds to what was accepted so far, then a key.
 * Pure: the migrations are the core's (review.ts), the keys come in one at a time and screens and
 * the outcome go out; reading the terminal and writing the files belong to the command around it.
 *
 * A fix said no to is declined in the engine (MigrationControls), so the transforms after it see
 * the file without it: the fixes that stood on it are lost and said so (goesWith), and one that
 * comes back in other words is asked as a new fix.
 */
import { sameFinding, type FindingKey } from '../core/engine.js';
import {
  completing,
  fixedFindings,
  goesWith,
  migrateAccepting,
  type ReviewInput,
} from '../core/review.js';
import type { MigrationResult, ReportedFinding } from '../core/types.js';
import { colorDiff, paint, type Palette } from '../report/color.js';
import { unifiedDiff, type DiffFile } from '../report/diff.js';

export interface ReviewFile {
  /** The Dockerfile as the run names it. */
  path: string;
  review: ReviewInput;
  /** A change's path as the screen shows it (the engine's are relative to the build context). */
  label?: (path: string) => string;
}

export interface FileOutcome {
  file: ReviewFile;
  /** The migration with the accepted fixes only; null when the file was skipped with `d`. */
  result: MigrationResult | null;
  accepted: number;
  rejected: number;
}

export interface Outcome {
  /** False after Ctrl-C: nothing is written. */
  write: boolean;
  /** The files reviewed (to the end, skipped, or the one `q` was pressed in), in order. */
  files: FileOutcome[];
}

export interface Step {
  /** What to print (ends with the prompt while a key is awaited). */
  screen: string;
  /** Set once the review is over. */
  outcome?: Outcome;
}

export interface SessionOptions {
  color: boolean;
  /** Why a transform makes its change, for `?`. */
  rationale: (transform: string) => string;
}

export const KEYS = 'y,n,a,d,q,?';

const HELP = [
  'y - apply this fix',
  'n - do not apply it (nor the fixes that stand on it)',
  'a - apply it and every later fix of this file',
  'd - leave this file as it is (nothing is written for it)',
  'q - quit: write the fixes applied so far, in this file and the ones before',
  '? - this help, and why the transform makes this change',
  'Ctrl-C - quit without writing anything',
].join('\n');

const CTRL_C = '\u0003';

const keyOf = (f: FindingKey) => `${f.transform}\u0000${f.message}`;

/** One file under review: the decisions so far and the migration they make. */
class FileReview {
  private readonly decisions = new Map<string, boolean>();
  /** The migration with the decisions so far, the fixes not yet asked about applied. */
  current: MigrationResult;

  constructor(readonly file: ReviewFile) {
    this.current = this.migrate((f) => this.decisions.get(keyOf(f)) ?? true);
  }

  private migrate(accept: (f: FindingKey) => boolean): MigrationResult {
    return migrateAccepting(this.file.review, accept);
  }

  private readonly decidedOr = (undecided: boolean) => (f: FindingKey) =>
    this.decisions.get(keyOf(f)) ?? undecided;

  /** The next fix to ask about, in the engine's order; null when every one is decided. */
  next(): ReportedFinding | null {
    return fixedFindings(this.current).find((f) => !this.decisions.has(keyOf(f))) ?? null;
  }

  get decided(): number {
    return this.decisions.size;
  }

  get remaining(): number {
    return fixedFindings(this.current).filter((f) => !this.decisions.has(keyOf(f))).length;
  }

  /**
   * A fix with the ones not yet asked about that it cannot be written without (the split leaves
   * `uv run` in a stage without uv until no-uv-at-runtime takes it out), and the change they add
   * to the fixes accepted so far, the others left out on both sides.
   */
  offer(finding: ReportedFinding): Offer {
    const accepted = this.decidedOr(false);
    const withIt = (needs: FindingKey[]) =>
      this.migrate((f) => accepted(f) || [finding, ...needs].some((n) => sameFinding(n, f)));
    const undecided = fixedFindings(this.current).filter(
      (f) => !this.decisions.has(keyOf(f)) && !sameFinding(f, finding),
    );
    const needs =
      completing(this.file.review, (f) => accepted(f) || sameFinding(f, finding), undecided) ??
      undecided;
    return { finding, needs, hunk: between(this.migrate(accepted), withIt(needs), this.file) };
  }

  accept(offer: Offer): void {
    for (const f of [offer.finding, ...offer.needs]) this.decisions.set(keyOf(f), true);
  }

  /** Decline a fix; the fixes lost with it are declined too and returned. */
  decline(finding: FindingKey): ReportedFinding[] {
    const lost = goesWith(this.file.review, this.current, finding, this.decidedOr(true));
    this.decisions.set(keyOf(finding), false);
    for (const f of lost) this.decisions.set(keyOf(f), false);
    this.current = this.migrate(this.decidedOr(true));
    return lost;
  }

  /** The migration to write: with `rest`, the fixes not asked about are applied too. */
  outcome(rest: boolean): FileOutcome {
    const all = rest ? this.migrate(this.decidedOr(true)) : null;
    // The fixes accepted one by one always make a valid file; all the rest with them may not.
    const result = all && all.status !== 'error' ? all : this.migrate(this.decidedOr(false));
    return {
      file: this.file,
      result,
      accepted: fixedFindings(result).length,
      rejected: [...this.decisions.values()].filter((v) => !v).length,
    };
  }
}

/** The files of two migrations of one Dockerfile that differ, as a diff from one to the other. */
function between(a: MigrationResult, b: MigrationResult, file: ReviewFile): DiffFile[] {
  const label = file.label ?? ((p: string) => p);
  const paths = [...new Set([...b.changes, ...a.changes].map((c) => c.path))];
  return paths.flatMap((path) => {
    const ca = a.changes.find((c) => c.path === path);
    const cb = b.changes.find((c) => c.path === path);
    const original = (ca ?? cb)!.before;
    const before = ca ? ca.after : original;
    const after = cb ? cb.after : original;
    if (before === after || after === null) return [];
    return [{ path: label(path), before, after }];
  });
}

/** A fix as it is asked about. */
interface Offer {
  finding: ReportedFinding;
  /** Later fixes taken with it: without them the file would be invalid. */
  needs: ReportedFinding[];
  /** The change it makes to the fixes accepted so far. */
  hunk: DiffFile[];
}

export class ReviewSession {
  private index = -1;
  private review: FileReview | null = null;
  private asking: Offer | null = null;
  private readonly done: FileOutcome[] = [];
  private readonly c: Palette;

  constructor(
    private readonly files: readonly ReviewFile[],
    private readonly options: SessionOptions,
  ) {
    this.c = paint(options.color);
  }

  /** The first screen: the first fix of the first file that has one. */
  start(): Step {
    return this.advance('');
  }

  /** One key pressed (as the terminal sends it). */
  press(key: string): Step {
    if (this.asking === null || this.review === null)
      throw new Error('the review is over; no key is awaited');
    if (key === CTRL_C) return this.finish('^C\n', false);
    const offer = this.asking;
    const finding = offer.finding;
    const review = this.review;
    const echo = `${printable(key)}\n`;
    switch (key) {
      case 'y':
        review.accept(offer);
        return this.advance(echo);
      case 'n': {
        const lost = review.decline(finding);
        const said =
          lost.length === 0
            ? ''
            : `${this.c.yellow(`These fixes stand on it and go with it (${lost.length}):`)}\n` +
              lost.map((f) => `  ${f.transform}: ${f.message}\n`).join('');
        return this.advance(echo + said);
      }
      case 'a':
        review.accept(offer);
        this.done.push(review.outcome(true));
        return this.nextFile(echo);
      case 'd':
        this.done.push({ file: review.file, result: null, accepted: 0, rejected: 0 });
        return this.nextFile(`${echo}${review.file.path}: left as it is\n`);
      case 'q':
        this.done.push(review.outcome(false));
        return this.finish(echo, true);
      case '?':
        return {
          screen:
            `${echo}${this.c.red(HELP)}\n\n` +
            `${this.c.bold(`Why ${finding.transform}:`)} ${this.options.rationale(finding.transform)}\n` +
            this.prompt(),
        };
      default:
        return { screen: `${echo}${this.c.red(HELP)}\n${this.prompt()}` };
    }
  }

  private prompt(): string {
    return this.c.bold(`Apply this fix [${KEYS}]? `);
  }

  /** The next undecided fix of this file, or on to the next file. */
  private advance(before: string): Step {
    if (this.review === null) return this.nextFile(before);
    const next = this.review.next();
    if (next !== null) return this.ask(before, next);
    this.done.push(this.review.outcome(false));
    return this.nextFile(before);
  }

  private nextFile(before: string): Step {
    let out = before;
    for (;;) {
      this.index += 1;
      this.review = null;
      this.asking = null;
      if (this.index >= this.files.length) return this.finish(out, true);
      const review = new FileReview(this.files[this.index]);
      const path = review.file.path;
      if (review.current.status === 'error') {
        out += `${path}: ${this.c.red('error')}: ${review.current.errors.join('; ')}\n`;
        continue;
      }
      const first = review.next();
      if (first === null) {
        out += `${path}: nothing to change\n`;
        continue;
      }
      this.review = review;
      out += `${this.c.bold(`${path}: ${plural(review.remaining, 'fix', 'fixes')} to review`)}\n`;
      return this.ask(out, first);
    }
  }

  private ask(before: string, finding: ReportedFinding): Step {
    const review = this.review!;
    const offer = review.offer(finding);
    this.asking = offer;
    const count = `(${review.decided + 1}/${review.decided + review.remaining})`;
    const needs =
      offer.needs.length === 0
        ? ''
        : `${this.c.yellow('Taken with it (the file would be invalid without them):')}\n` +
          offer.needs.map((f) => `  ${f.transform}: ${f.message}\n`).join('');
    return {
      screen:
        before +
        colorDiff(unifiedDiff(offer.hunk), this.options.color) +
        needs +
        `${this.c.cyan(count)} ${finding.transform}: ${finding.message}\n` +
        this.prompt(),
    };
  }

  private finish(before: string, write: boolean): Step {
    this.review = null;
    this.asking = null;
    return { screen: before, outcome: { write, files: this.done } };
  }
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** A key as it is echoed after the prompt (a control key as ^X, an escape sequence by name). */
function printable(key: string): string {
  if (key === '\r' || key === '\n') return '<Enter>';
  if (key.startsWith('\u001b')) return '<Esc>';
  const code = key.charCodeAt(0);
  if (key.length === 1 && code < 32) return `^${String.fromCharCode(code + 64)}`;
  return key;
}
