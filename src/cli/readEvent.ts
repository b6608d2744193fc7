import { open } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { CliIo } from './CliIo';
import { CliError } from './CliError';
import { fileErrorReason } from './fileErrorReason';

/**
 * The event's bytes, sent as they are: `undefined` is the empty event, `-` is stdin, anything else
 * a file. Whether the bytes are JSON is the function's business (its answer says so), as it is
 * when FC delivers an event; a source that cannot be read, or holds more than `limit` bytes (the
 * body FC or the kernel would refuse), is refused. A file's size is checked before it is read, and
 * any source is read no further than the limit (a pipe, a device may never end).
 *
 * @throws CliError (exit 2) when the file or stdin cannot be read, or holds more than `limit` bytes.
 */
export async function readEvent(source: string | undefined, io: CliIo, limit: number): Promise<Buffer> {
  if (source === undefined) return Buffer.alloc(0);
  const tooLarge = (what: string) =>
    new CliError(`${what} holds more than ${limit} bytes, more than the function may receive (its body limit)`);
  if (source === '-') {
    if (io.stdin.isTTY) io.stderr.write('fc-kernel: reading the event from stdin (end it with Ctrl-D)\n');
    try {
      return await readAtMost(io.stdin, limit, () => tooLarge('the event on stdin'));
    } catch (error) {
      if (error instanceof CliError) throw error;
      throw new CliError(`cannot read the event from stdin: ${(error as Error).message}`, { cause: error });
    }
  }
  const what = `the event file ${source}`;
  try {
    const file = await open(resolve(io.cwd, source));
    try {
      const stat = await file.stat();
      if (stat.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
      if (stat.isFile() && stat.size > limit) throw tooLarge(what);
      return await readAtMost(file.createReadStream({ autoClose: false }), limit, () => tooLarge(what));
    } finally {
      await file.close();
    }
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`cannot read ${what}: ${fileErrorReason(error as NodeJS.ErrnoException)}`, { cause: error });
  }
}

/** All of `stream`, unless it holds more than `limit` bytes: then it is left unread and `tooLarge()` thrown. */
async function readAtMost(stream: NodeJS.ReadableStream, limit: number, tooLarge: () => CliError): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    total += bytes.length;
    if (total > limit) throw tooLarge();
    chunks.push(bytes);
  }
  return Buffer.concat(chunks);
}
