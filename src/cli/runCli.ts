import { buildCommand } from './build';
import { CliError, reportFailure } from './CliError';
import { withProcessDefaults, type CliIo } from './CliIo';
import type { Command } from './Command';
import { initCommand } from './init';
import { inspectCommand } from './inspect';
import { invokeCommand } from './invoke';
import { packageVersion } from './packageManifest';
import { parseCommandArgs } from './parseCommandArgs';
import { redactedIo } from './redactedIo';
import { serveCommand } from './serve';

const COMMANDS: readonly Command[] = [initCommand, serveCommand, invokeCommand, inspectCommand, buildCommand];

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

function topHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `Usage: fc-kernel <command> [options]

Runs Function Compute functions written with fc-kernel, as FC runs them.

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

An <entry> is a compiled module that exports @FcFunction classes (named exports or a default
array) and starts nothing when loaded, e.g. dist/src/index.js beside a main.js that serves them.

Options:
  -h, --help     show this help; fc-kernel <command> --help shows a command's
  -v, --version  print the version
`;
}

/**
 * The `fc-kernel` command line, callable in-process: runs `argv` (the arguments after
 * `fc-kernel`) against `io` (default: the process's streams, environment and working directory)
 * and resolves with the exit code. `serve` resolves only if the server cannot start: once
 * listening, the process ends when `serve()` handles SIGTERM/SIGINT.
 *
 * @example
 * ```ts
 * const exitCode = await runCli(['invoke', 'dist/src/index.js', '--event', 'event.json']);
 * ```
 */
export async function runCli(argv: readonly string[], io: Partial<CliIo> = {}): Promise<number> {
  // stdout carries the kernel's lines (redacted already; serve writes them to file descriptor 1
  // itself) and answers, which invoke redacts with the credentials it sends.
  const full = redactedIo(withProcessDefaults(io), [], ['stderr']);
  const [first, ...rest] = argv;
  const command = COMMANDS.find((c) => c.name === first);
  if (command) {
    try {
      if (asksForHelp(rest)) {
        full.stdout.write(command.help);
        return 0;
      }
      return await command.run(rest, full);
    } catch (error) {
      return reportFailure(`fc-kernel ${command.name}`, error, full);
    }
  }
  try {
    if (first !== undefined && !first.startsWith('-')) {
      throw new CliError(
        `unknown command ${JSON.stringify(first)}; the commands: ${COMMANDS.map((c) => c.name).join(', ')}`,
        {
          usage: true,
        },
      );
    }
    const { values, positionals } = parseCommandArgs(argv, OPTIONS);
    if (positionals.length > 0) throw new CliError('options go after the command', { usage: true });
    if (values.version) {
      full.stdout.write(`${packageVersion()}\n`);
      return 0;
    }
    if (values.help) {
      full.stdout.write(topHelp());
      return 0;
    }
    // Nothing asked: the help, as a usage error, so that a script calling it bare fails.
    full.stderr.write(topHelp());
    return 2;
  } catch (error) {
    return reportFailure('fc-kernel', error, full);
  }
}

/** `--help` or `-h` among a command's arguments (before a `--` that ends the options). */
function asksForHelp(args: readonly string[]): boolean {
  for (const arg of args) {
    if (arg === '--') return false;
    if (arg === '--help' || arg === '-h') return true;
  }
  return false;
}
