/** Where a command writes: `process.stdout`, or a test's collector. */
export interface OutputStream {
  write(chunk: string | Uint8Array): unknown;
  readonly isTTY?: boolean;
}

/** What a command reads and writes instead of the process's globals, so it can run in a test. */
export interface CliIo {
  /** The answer's body (invoke), the server's log lines (serve). */
  stdout: OutputStream;
  /** Messages, and invoke's log and marker lines. */
  stderr: OutputStream;
  /** Read by `--event -`. */
  stdin: NodeJS.ReadableStream & { readonly isTTY?: boolean };
  /** The environment the functions see: `ALIBABA_CLOUD_*` credentials, `FC_*` settings. */
  env: NodeJS.ProcessEnv;
  /** Relative entry and event paths are resolved against it. */
  cwd: string;
  /**
   * How long `invoke --url` waits past the function's timeout for an answer before it gives up
   * (default 5 s): the container answers a timeout itself, the margin covers a slow network.
   */
  answerGraceMs?: number;
}

/** `io`, with the process's own streams, environment and working directory where it has none. */
export function withProcessDefaults(io: Partial<CliIo> = {}): CliIo {
  return {
    stdout: io.stdout ?? process.stdout,
    stderr: io.stderr ?? process.stderr,
    // Read only when a command needs it: touching process.stdin opens it.
    get stdin() {
      return io.stdin ?? process.stdin;
    },
    env: io.env ?? process.env,
    cwd: io.cwd ?? process.cwd(),
    answerGraceMs: io.answerGraceMs,
  };
}
