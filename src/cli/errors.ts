/**
 * A usage or input error the CLI reports as one line on stderr with exit code 1 (no stack trace).
 * Errors from the layers below (DataError, TypeError, RangeError with their whole-sentence messages)
 * are reported the same way by main.ts.
 */
export class CliError extends Error {
  override readonly name = 'CliError';
}
