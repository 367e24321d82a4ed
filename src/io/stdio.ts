/**
 * What the command line does when its output cannot be written, the same for every command.
 *
 * A reader that stops early (`dockmig --help | head`, a report piped into `head -1`) closes the
 * pipe under stdout. What is left to print has nobody to read it, so it is dropped without a word;
 * the command still finishes what it started (a change set, the HTML report, the state file,
 * verify's containers removed) and exits with its own code. Ending at the write, as a program
 * killed by SIGPIPE does, would leave that work half-done, and under `set -o pipefail` would fail a
 * pipeline that got what it asked for. A closed stderr is treated alike.
 *
 * Any other failure to write stdout (a full disk) loses output the user asked for: it is said once
 * on stderr, and the exit code is 2.
 */
import type { EventEmitter } from 'node:events';
import { describeIo } from './files.js';

/** The reader went away: nothing is wrong with the output, nobody wants the rest of it. */
const GONE = new Set(['EPIPE', 'ERR_STREAM_DESTROYED']);

export function guardOutput(
  stdout: EventEmitter,
  stderr: EventEmitter & { write: (text: string) => unknown },
  proc: EventEmitter & { exitCode?: number | string | null } = process,
): void {
  let lost = false;
  stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (lost || GONE.has(error.code ?? '')) return;
    lost = true;
    stderr.write(`dockmig: the output could not be written: ${describeIo(error)}\n`);
  });
  stderr.on('error', () => {
    // Nowhere left to say anything.
  });
  proc.once('exit', () => {
    if (lost) proc.exitCode = 2;
  });
}
