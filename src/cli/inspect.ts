import { ConfigurationError } from '../index';
import { environmentSecrets } from '../context/credentials';
import { createRedactor, prepareSecrets } from '../logging/redaction';
import { describeFunctions, describeProblem } from '../plan/describeFunctions';
import { CliError, usageError } from './CliError';
import type { Command } from './Command';
import { formatInspection, type InspectedEntry } from './formatInspection';
import { batchHandlersOf, deploymentBeside, triggerWarnings } from './triggerWarnings';
import { loadEntry } from './loadEntry';
import { parseCommandArgs } from './parseCommandArgs';

const OPTIONS = {
  json: { type: 'boolean' },
} as const;

const HELP = `Usage:
  fc-kernel inspect <entry> [--json]

Describes the entry's functions as the kernel compiles them, without running any: for each
function its name and class, its hooks and what each parameter receives, the interceptors
around its handler, the event's type and how it is decoded, the DTO's fields and constraints (nested classes too), the validation
settings in force and the engine that validates each class, and the services its
constructor and handlers inject, with their lifecycles.

Checks the entry as creating a kernel does, but lists every configuration problem at once,
each with its code and where it is, rather than stopping at the first. When a function has a
batch handler (fc-kernel/batch), warns of what the s.yaml nearest the entry sets against its
policy: a dead-letter queue without errorsTolerance: ALL, errorsTolerance NONE before a policy
that fails the batch.

It loads the entry as serve and invoke do, with the default kernel options: validation
settings or a container that main.js passes to serve() are not known to it.

Options:
      --json      print the description as JSON: { entry, functions, problems, warnings }
  -h, --help      show this help

Exit status: 0 when no configuration problem was found; 1 when some were (all listed);
2 for a usage error or an entry that cannot be loaded.

Examples:
  fc-kernel inspect dist/src/index.js
  fc-kernel inspect dist/src/index.js --json | jq '.problems[].code'
`;

/** `fc-kernel inspect`: the entry's functions as data, with every configuration problem. */
export const inspectCommand: Command = {
  name: 'inspect',
  summary: "describe the entry's functions and list every configuration problem",
  help: HELP,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, OPTIONS);
    if (positionals.length !== 1) throw usageError('give exactly one entry to inspect');
    const entry = positionals[0];
    const description = inspectEntry(entry, io.cwd);
    // Nothing described is read from the environment, but an entry may have put a credential in a
    // decorator's argument or a token's name: what leaves the process is redacted, as logs are.
    const redact = createRedactor([], prepareSecrets(environmentSecrets({ ...process.env, ...io.env })));
    io.stdout.write(
      values.json
        ? JSON.stringify(
            { entry, ...description },
            (_key, value: unknown) => (typeof value === 'string' ? redact(value) : value),
            2,
          ) + '\n'
        : redact(formatInspection(entry, description)),
    );
    return description.problems.length > 0 ? 1 : 0;
  },
};

function inspectEntry(entry: string, cwd: string): InspectedEntry {
  let functions;
  try {
    functions = loadEntry(entry, cwd).functions;
  } catch (error) {
    // A decorator used wrongly throws while the entry loads: a configuration problem like the rest.
    const cause = error instanceof CliError ? error.cause : undefined;
    if (!(cause instanceof ConfigurationError)) throw error;
    return { functions: [], problems: [describeProblem(cause)], warnings: [] };
  }
  const described = describeFunctions({ functions });
  const handlers = batchHandlersOf(functions);
  const deployment = handlers.length > 0 ? deploymentBeside(entry, cwd) : undefined;
  return { ...described, warnings: deployment ? triggerWarnings(deployment, handlers, cwd) : [] };
}
