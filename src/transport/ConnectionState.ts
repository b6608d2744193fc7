import { InFlight, type InFlightLinks } from './InFlight';

/**
 * What the HTTP server knows of one connection. `node:http` starts every request it parses at
 * once, pipelined ones included, and writes their answers in request order; an answer that says
 * `Connection: close` makes it drop the answers queued behind it. So this decides which answer
 * closes a connection (the one to its latest request, so no answer is thrown away), refuses to
 * start what arrives after that answer (it would run and never be answered), and holds the
 * error answer to bytes `node:http` could not parse until the answers to the requests before
 * them are out.
 *
 * `E` is whatever the server tracks per request; `linksOf` answers its place among the
 * connection's open requests (see `InFlight`).
 */
export class ConnectionState<E> {
  /** Requests received and not answered yet (their answer not written out, their handler not settled). */
  readonly open: InFlight<E>;
  /** How many requests the connection delivered: the sequence number of the latest. */
  private received = 0;
  /** The sequence number of the answer that closes the connection, once decided. */
  private last: number | undefined;
  /** A parse error ended the connection: its answer goes out after the open ones, and closes it. */
  private failed = false;
  private onAnswered: (() => void) | undefined;

  constructor(linksOf: (request: E) => InFlightLinks<E>) {
    this.open = new InFlight(linksOf);
  }

  /**
   * Registers a request and returns its sequence number, or `undefined` when it came after the
   * connection's last answer was decided: it must not be started. `keepAlive` is false when the
   * request itself asked to close the connection.
   */
  receive(request: E, keepAlive: boolean): number | undefined {
    if (this.last !== undefined || this.failed) return undefined;
    const seq = ++this.received;
    if (!keepAlive) this.last = seq;
    this.open.add(request);
    return seq;
  }

  /**
   * Whether the answer to request `seq` carries `Connection: close`. With `wanted` (the server is
   * draining, the answer refuses the request) it does when no later request has arrived; if one
   * has, the latest answer closes the connection instead.
   */
  closesAfter(seq: number, wanted: boolean): boolean {
    // The parse error's answer, written after this one, closes the connection.
    if (this.failed) return false;
    if (this.last !== undefined) return seq === this.last;
    if (wanted && seq === this.received) {
      this.last = seq;
      return true;
    }
    return false;
  }

  /**
   * `node:http` could not parse what followed the requests received so far. Returns whether that
   * deserves an answer: not when it came after the connection's last answer (the client said it
   * was done, or was told so). Then `whenAnswered` runs the answer in its turn.
   */
  parseFailed(): boolean {
    if (this.last !== undefined || this.failed) return false;
    this.failed = true;
    return true;
  }

  /** Runs `then` once every open request is answered: at once when none is. */
  whenAnswered(then: () => void): void {
    if (this.open.size === 0) then();
    else this.onAnswered = then;
  }

  /** The request's answer went out, or can no longer go out. */
  answered(request: E): void {
    if (!this.open.delete(request) || this.open.size > 0) return;
    const then = this.onAnswered;
    this.onAnswered = undefined;
    then?.();
  }
}
