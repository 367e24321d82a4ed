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

/** The text for an error that reached the top, and the exit code. */
export function describeFailure(error: unknown, debug = debugEnabled()): { text: string; code: 2 } {
  if (isKnown(error)) {
    return {
      text: `dockmig: ${error.message}${debug && error.stack ? `\n${error.stack}` : ''}\n`,
      code: 2,
    };
  }
  const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return {
    text: `dockmig: unexpected error, this is a bug in dockmig; please report it with the command you ran:\n${stack}\n`,
    code: 2,
  };
}
