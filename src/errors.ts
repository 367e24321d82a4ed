/**
 * Known errors print one plain line; anything else is a bug in dockmig and prints its stack with a
 * request for a report. DOCKMIG_DEBUG=1 shows stacks for known errors too.
 */
export class UsageError extends Error {
  override name = 'UsageError';
}

export class InputError extends Error {
  override name = 'InputError';
}

/** A container engine that could not be run or refused a command: its own words, not a bug here. */
export class EngineError extends Error {
  override name = 'EngineError';
}

export function isKnown(error: unknown): error is UsageError | InputError | EngineError {
  return error instanceof UsageError || error instanceof InputError || error instanceof EngineError;
}

export function debugEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.DOCKMIG_DEBUG === '1' || env.DOCKMIG_DEBUG === 'true';
}

/**
 * One failure in words, for every place that reports one (the top of the command line, a failed
 * repository of `org`): a known error is its message; anything else is a bug in dockmig, named as
 * one with a request for a report and always followed by its stack. `stack` is the lines to print
 * under `message`, or null.
 */
export function failureOf(
  error: unknown,
  debug = debugEnabled(),
): { message: string; stack: string | null } {
  if (isKnown(error))
    return { message: error.message, stack: debug ? (error.stack ?? null) : null };
  const what =
    error instanceof Error ? `${error.name}: ${error.message}` : `${String(error)} (thrown)`;
  const stack = error instanceof Error ? (error.stack ?? '') : '';
  // The stack's own first lines repeat `what`: only the frames follow the message.
  const frames = stack.indexOf('\n    at ');
  return {
    message: `unexpected error, this is a bug in dockmig; please report it with the command you ran: ${oneLine(what)}`,
    stack: frames >= 0 ? stack.slice(frames + 1) : null,
  };
}

function oneLine(text: string): string {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join(' / ');
}

/** The text for an error that reached the top, and the exit code. */
export function describeFailure(error: unknown, debug = debugEnabled()): { text: string; code: 2 } {
  const { message, stack } = failureOf(error, debug);
  return { text: `dockmig: ${message}\n${stack ? `${stack}\n` : ''}`, code: 2 };
}

/** The last lines an engine printed, without podman's systemd chatter: the evidence of a failure. */
export function lastLines(text: string, n = 3): string {
  return text
    .trim()
    .split(/\r?\n/)
    .filter((l) => !/level=(error|warning) msg=".*systemd/.test(l))
    .slice(-n)
    .join(' / ');
}
