/**
 * A problem with the user's input, connection or options: printed as one clear line, exit code 2,
 * no stack trace (unless --debug). Anything else that escapes is a bug in pgarchitect.
 */
export class UserError extends Error {
  override readonly name = 'UserError';
  constructor(
    message: string,
    /** What to do about it, printed after the message. */
    readonly hint?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
