import type { CliIo } from './CliIo';

/** One `fc-kernel <name>` command. */
export interface Command {
  readonly name: string;
  /** Its line in `fc-kernel --help`. */
  readonly summary: string;
  /** What `fc-kernel <name> --help` prints. */
  readonly help: string;
  /**
   * Runs the command with the arguments after its name; resolves with the exit code.
   *
   * @throws CliError when it cannot do what it was asked.
   */
  run(args: readonly string[], io: CliIo): Promise<number>;
}
