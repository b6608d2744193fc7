/**
 * A command that could not do what it was asked: bad arguments, a missing or unusable entry, an
 * unreadable event, an unreachable server. The CLI prints the message (with a pointer to the
 * command's `--help` when the arguments are at fault) and exits with `exitCode`.
 */
export class CliError extends Error {
  readonly exitCode: number;
  /** Whether the command line itself is wrong, so that its `--help` would help. */
  readonly usage: boolean;

  constructor(message: string, options: { exitCode?: number; usage?: boolean; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.exitCode = options.exitCode ?? 2;
    this.usage = options.usage ?? false;
  }

  override get name(): string {
    return 'CliError';
  }
}

/** A mistake on the command line: exit 2, and a pointer to `--help`. */
export function usageError(message: string): CliError {
  return new CliError(message, { usage: true });
}
