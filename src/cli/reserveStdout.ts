import type { OutputStream } from './CliIo';

/**
 * Keeps the process's stdout for one writer: `fc-kernel invoke` writes the answer there and
 * nothing else, so that `fc-kernel invoke … | jq` reads exactly the answer. Everything else that
 * writes to `process.stdout` while the function runs (a `console.log` in a handler, a chatty
 * library) goes to stderr with the log lines.
 */
export function reserveStdout(): OutputStream & { flush(): Promise<void> } {
  const stdout = process.stdout;
  // The original write, bound before it is replaced.
  const original = stdout.write.bind(stdout);
  const write = (chunk: string | Uint8Array, done?: () => void): boolean => original(chunk, done);
  stdout.write = process.stderr.write.bind(process.stderr);
  return {
    isTTY: stdout.isTTY,
    write: (chunk) => write(chunk),
    flush: () => new Promise((resolve) => write('', resolve)),
  };
}
