import type { CliIo } from './CliIo';
import { describeError } from './describeError';

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

/**
 * Prints why a command failed, as `<prefix>: <message>` on stderr (with a pointer to its `--help`
 * for a usage error), and answers its exit code: a `CliError`'s own, 1 for anything else.
 */
export function reportFailure(prefix: string, error: unknown, io: Pick<CliIo, 'stderr'>): number {
  if (error instanceof CliError) {
    io.stderr.write(`${prefix}: ${error.message}\n`);
    if (error.usage) io.stderr.write(`Run '${prefix} --help' for the usage.\n`);
    return error.exitCode;
  }
  io.stderr.write(`${prefix}: ${describeError(error)}\n`);
  return 1;
}
