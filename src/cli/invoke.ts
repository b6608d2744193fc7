import { createKernel, DEFAULT_BODY_LIMIT, type Kernel } from '../index';
import { usageError } from './CliError';
import type { CliIo } from './CliIo';
import type { Command } from './Command';
import { describeError } from './describeError';
import { answerToExitCode, exchange } from './exchange';
import type { InvocationSettings } from './fcRequests';
import { httpTarget, parseContainerUrl } from './httpTarget';
import { entryBootError, loadEntry, type LoadedEntry } from './loadEntry';
import { parseCommandArgs } from './parseCommandArgs';
import { parseHeaderOptions } from './parseHeaderOption';
import { readEvent } from './readEvent';
import { credentialHeaderValues, redactedIo } from './redactedIo';

/** FC's default function timeout, in seconds. */
const DEFAULT_TIMEOUT_SECONDS = 3;
/** FC 3.0's longest function timeout, in seconds. */
const MAX_TIMEOUT_SECONDS = 86_400;
const DEFAULT_ANSWER_GRACE_MS = 5_000;

const OPTIONS = {
  function: { type: 'string', short: 'f' },
  event: { type: 'string', short: 'e' },
  header: { type: 'string', short: 'H', multiple: true },
  'no-init': { type: 'boolean' },
  timeout: { type: 'string', short: 't' },
  url: { type: 'string' },
} as const;

const HELP = `Usage:
  fc-kernel invoke <entry> [options]
  fc-kernel invoke --url <url> [options]

Invokes a function once, as FC does: POST /initialize, then POST /invoke with the event.
With <entry>, in this process: the entry's functions run on the kernel, and @OnPreStop runs
afterwards, as when the instance ends. With --url, the requests go to a running container
(docker run -p 9000:9000 <image>, or fc-kernel serve).

The answer's body goes to stdout, then a newline: the result, or FC's error JSON (a binary
answer is written exactly). Log and marker lines go to stderr (with --url they stay in the
container's log).

Options:
  -f, --function <name>  the function to invoke (x-fc-function-name); needed when the entry
                         has several
  -e, --event <file>     the event: the file's bytes, sent as they are; - reads stdin
                         (default: an empty event)
  -H, --header <k=v>     add or replace a request header; repeatable
      --no-init          skip POST /initialize (fc-kernel then initializes on the first
                         invoke, as under FC 3.0's local emulator)
  -t, --timeout <s>      the function's timeout in seconds, initialization's too
                         (default ${DEFAULT_TIMEOUT_SECONDS}, FC's default)
      --url <url>        send the requests to a running container at this address
  -h, --help             show this help

Credentials: ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET and
ALIBABA_CLOUD_SECURITY_TOKEN are sent from the environment as FC sends the function role's.

Exit status: 0 when x-fc-status is 200; 1 when the function failed (x-fc-status 404, no
answer in time, a dropped connection, an answer over 32 MiB); 2 when nothing could be invoked
(a usage error, an entry that cannot be loaded, an unreadable event or one over the body limit,
32 MiB by default, an unreachable container).

Examples:
  fc-kernel invoke dist/src/index.js --event event.json
  printf Ada | fc-kernel invoke dist/src/index.js -f hello --event -
  fc-kernel invoke --url http://127.0.0.1:9000 -f create-order --event event.json
`;

/** `fc-kernel invoke`: one invocation in-process, or against a running container. */
export const invokeCommand: Command = {
  name: 'invoke',
  summary: 'initialize and invoke a function once, in-process or at --url',
  help: HELP,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, OPTIONS);
    if (positionals.length > 1) throw usageError(`one entry at a time (got ${positionals.join(', ')})`);
    const entry = positionals[0];
    if (entry !== undefined && values.url !== undefined) throw usageError('give an entry or --url, not both');
    if (entry === undefined && values.url === undefined) throw usageError('give an entry to load, or --url');

    const request: InvocationRequest = {
      timeoutSeconds: parseTimeout(values.timeout),
      headers: parseHeaderOptions(values.header ?? []),
      initialize: !values['no-init'],
      functionName: values.function,
      event: values.event,
    };
    // Credentials given as headers are the function's too: what comes back must not show them.
    const redacted = redactedIo(io, credentialHeaderValues(request.headers));
    return values.url !== undefined
      ? invokeAtUrl(values.url, request, redacted)
      : invokeInProcess(entry, request, redacted);
  },
};

/** What the command line asks of one invocation. */
interface InvocationRequest {
  timeoutSeconds: number;
  headers: Record<string, string>;
  initialize: boolean;
  /** `--function`, if given. */
  functionName: string | undefined;
  /** `--event`, if given. */
  event: string | undefined;
}

function settingsOf(request: InvocationRequest, functionName: string | undefined, io: CliIo): InvocationSettings {
  return { functionName, timeoutSeconds: request.timeoutSeconds, headers: request.headers, env: io.env };
}

async function invokeAtUrl(url: string, request: InvocationRequest, io: CliIo): Promise<number> {
  const waitMs = request.timeoutSeconds * 1000 + (io.answerGraceMs ?? DEFAULT_ANSWER_GRACE_MS);
  const send = httpTarget(parseContainerUrl(url), waitMs);
  // The container's own limit is unknown here; FC's, which the kernel's default matches, holds.
  const event = await readEvent(request.event, io, DEFAULT_BODY_LIMIT);
  const answer = await exchange(send, settingsOf(request, request.functionName, io), event, request.initialize);
  return answerToExitCode(answer, io);
}

async function invokeInProcess(entryPath: string, request: InvocationRequest, io: CliIo): Promise<number> {
  const entry = loadEntry(entryPath, io.cwd);
  const kernel = createEntryKernel(entry, io);
  // A handler's forgotten promise that rejects is logged under its request id, as serve() does,
  // rather than ending the command before it answers.
  const onRejection = (reason: unknown) => kernel.logUnhandledRejection(reason);
  process.on('unhandledRejection', onRejection);
  try {
    const functionName = chooseFunction(entry, kernel.functionNames, request.functionName, io.env);
    const event = await readEvent(request.event, io, kernel.bodyLimit);
    const settings = settingsOf(request, functionName, io);
    const answer = await exchange((r) => kernel.dispatch(r), settings, event, request.initialize);
    const exitCode = answerToExitCode(answer, io);
    await windDown(kernel, request.timeoutSeconds, io);
    return exitCode;
  } finally {
    await kernel.close().catch(() => undefined);
    // Node reports a rejection nobody handled once the microtask queue drains, which a command
    // made only of promises may never let happen before it exits: give it one turn of the loop.
    await new Promise((resolve) => setImmediate(resolve));
    process.off('unhandledRejection', onRejection);
  }
}

function parseTimeout(text: string | undefined): number {
  if (text === undefined) return DEFAULT_TIMEOUT_SECONDS;
  const seconds = Number(text);
  if (text.trim() === '' || !(seconds > 0 && seconds <= MAX_TIMEOUT_SECONDS)) {
    throw usageError(`--timeout ${JSON.stringify(text)}: give seconds, more than 0 and at most ${MAX_TIMEOUT_SECONDS}`);
  }
  return seconds;
}

function createEntryKernel(entry: LoadedEntry, io: CliIo): Kernel {
  try {
    return createKernel({
      functions: entry.functions,
      env: io.env,
      logSink: (line) => {
        io.stderr.write(line + '\n');
      },
    });
  } catch (error) {
    throw entryBootError(entry, error);
  }
}

/**
 * The function to invoke: `--function`, else the only one, else `FC_FUNCTION_NAME` as a container
 * would use it. An unknown name is refused here, with the known ones, rather than answered with
 * FC's `FunctionNotFoundError`.
 */
function chooseFunction(
  entry: LoadedEntry,
  names: readonly string[],
  requested: string | undefined,
  env: NodeJS.ProcessEnv,
): string {
  const known = names.join(', ');
  if (requested !== undefined) {
    if (names.includes(requested)) return requested;
    throw usageError(`${entry.name} has no function named ${JSON.stringify(requested)}; its functions: ${known}`);
  }
  if (names.length === 1) return names[0];
  const fromEnv = env.FC_FUNCTION_NAME;
  if (fromEnv && names.includes(fromEnv)) return fromEnv;
  throw usageError(`${entry.name} has several functions (${known}): choose one with --function`);
}

/** The instance ends with the command: `@OnPreStop` runs (within the timeout), then the kernel closes. */
async function windDown(kernel: Kernel, timeoutSeconds: number, io: CliIo): Promise<void> {
  try {
    await kernel.preStop({ timeoutMs: timeoutSeconds * 1000 });
    await kernel.close();
  } catch (error) {
    io.stderr.write(`fc-kernel invoke: closing the kernel failed: ${describeError(error)}\n`);
  }
}
