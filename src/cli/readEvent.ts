import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { CliIo } from './CliIo';
import { CliError } from './CliError';

/**
 * The event's bytes, sent as they are: `undefined` is the empty event, `-` is stdin, anything else
 * a file. Whether the bytes are JSON is the function's business (its answer says so), as it is
 * when FC delivers an event; only a source that cannot be read is refused.
 *
 * @throws CliError (exit 2) when the file or stdin cannot be read.
 */
export async function readEvent(source: string | undefined, io: CliIo): Promise<Buffer> {
  if (source === undefined) return Buffer.alloc(0);
  if (source === '-') {
    if (io.stdin.isTTY) io.stderr.write('fc-kernel: reading the event from stdin (end it with Ctrl-D)\n');
    try {
      return await readAll(io.stdin);
    } catch (error) {
      throw new CliError(`cannot read the event from stdin: ${(error as Error).message}`, { cause: error });
    }
  }
  try {
    return await readFile(resolve(io.cwd, source));
  } catch (error) {
    throw new CliError(`cannot read the event file ${source}: ${reasonOf(error as NodeJS.ErrnoException)}`, {
      cause: error,
    });
  }
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
  return Buffer.concat(chunks);
}

function reasonOf(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'it is a directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    default:
      return error.message;
  }
}
