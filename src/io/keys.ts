/**
 * Keys from a terminal, one at a time, as `git add -p` reads them: raw mode, so a key counts
 * without Enter and Ctrl-C comes as a key (`\u0003`) rather than a signal, and the review can end
 * without writing. Keys typed ahead are kept in order; an escape sequence (an arrow key) is one key.
 */
import type { ReadStream } from 'node:tty';

export interface KeyReader {
  /** The next key; null once the input has ended. */
  next(): Promise<string | null>;
  /** Give the terminal back as it was. */
  close(): void;
}

/** The keys of a terminal; null when `input` is not one (a pipe, a file, /dev/null). */
export function terminalKeys(input: NodeJS.ReadStream): KeyReader | null {
  if (!input.isTTY) return null;
  const tty = input as ReadStream;
  const wasRaw = tty.isRaw;
  const queue: (string | null)[] = [];
  const waiting: ((key: string | null) => void)[] = [];
  const push = (key: string | null) => {
    const w = waiting.shift();
    if (w) w(key);
    else queue.push(key);
  };
  const onData = (chunk: string) => {
    for (const key of splitKeys(chunk)) push(key);
  };
  const onEnd = () => push(null);
  tty.setRawMode(true);
  tty.setEncoding('utf8');
  tty.on('data', onData);
  tty.on('end', onEnd);
  tty.resume();
  let closed = false;
  return {
    next: () =>
      queue.length > 0
        ? Promise.resolve(queue.shift()!)
        : new Promise<string | null>((resolve) => waiting.push(resolve)),
    close() {
      if (closed) return;
      closed = true;
      tty.off('data', onData);
      tty.off('end', onEnd);
      tty.setRawMode(wasRaw);
      tty.pause();
    },
  };
}

/** A chunk of terminal input as keys: characters, and CSI/SS3 escape sequences whole. */
export function splitKeys(chunk: string): string[] {
  return chunk.match(/\u001b\[[0-9;?]*[ -/]*[@-~]|\u001bO.|\u001b.?|[^]/gsu) ?? [];
}
