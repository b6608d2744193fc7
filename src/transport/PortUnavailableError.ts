/**
 * The server cannot listen on its port: another process holds it (`EADDRINUSE`), or the process
 * may not bind it (`EACCES`). The message says which setting chose the port; `code` is the
 * system's, `cause` the original error.
 *
 * @example
 * ```ts
 * serve(CreateOrderFunction).catch((error: unknown) => {
 *   if (error instanceof PortUnavailableError) console.error(`choose another port than ${error.port}`);
 *   process.exit(1);
 * });
 * ```
 */
export class PortUnavailableError extends Error {
  readonly code: string;
  /** Why, after `port <n> `: `is in use (EADDRINUSE): another process listens on it`. */
  readonly reason: string;

  constructor(
    readonly port: number,
    cause: NodeJS.ErrnoException,
  ) {
    const reason = reasonOf(cause);
    super(`port ${port} ${reason}. The port is ${PORT_RULE}`, { cause });
    this.code = cause.code ?? 'EADDRINUSE';
    this.reason = reason;
  }

  override get name(): string {
    return 'PortUnavailableError';
  }

  /** `error` as a `PortUnavailableError` when it is a failure to take `port`, else as it is. */
  static from(error: unknown, port: number): unknown {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    return code === 'EADDRINUSE' || code === 'EACCES' ? new PortUnavailableError(port, error as Error) : error;
  }
}

/** How serve() chooses its port. */
const PORT_RULE =
  "serve()'s `port` option, else FC_CUSTOM_LISTEN_PORT, else FC_SERVER_PORT, else 9000 (0 picks a free one)";

function reasonOf(error: NodeJS.ErrnoException): string {
  return error.code === 'EACCES'
    ? 'may not be taken by this process (EACCES): ports below 1024 need privileges'
    : 'is in use (EADDRINUSE): another process listens on it';
}
