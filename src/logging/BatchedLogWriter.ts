import { writeSync } from 'node:fs';

/** Writes bytes to a file descriptor at once, as `fs.writeSync` does: the count written, or a throw. */
export type WriteSync = (fd: number, data: string | Uint8Array) => number;

export interface BatchedLogWriterOptions {
  /** The file descriptor the lines go to. */
  fd: number;
  /** Default `fs.writeSync`. */
  writeSync?: WriteSync;
  /** A batch this large (in UTF-16 units) is written at once instead of at the end of the turn. Default 64 KiB. */
  flushAt?: number;
  /**
   * How many bytes may wait for a descriptor that takes none (a pipe nobody reads); lines past it
   * are dropped and counted. Default `MAX_PENDING_LOG_BYTES`.
   */
  maxPendingBytes?: number;
}

/** Default of `maxPendingBytes`: 16 MiB of lines waiting for a reader before lines are dropped. */
export const MAX_PENDING_LOG_BYTES = 16 * 1024 * 1024;

/** How long `flushSync` waits for a descriptor that takes nothing more before it gives up. */
export const SYNC_FLUSH_TIMEOUT_MS = 3_000;

const FLUSH_AT = 64 * 1024;
/** Retries of a full descriptor start at 1 ms and back off to this. */
const MAX_RETRY_MS = 50;
const sleeper = new Int32Array(new SharedArrayBuffer(4));

const writeToDescriptor: WriteSync = (fd, data) =>
  typeof data === 'string' ? writeSync(fd, data) : writeSync(fd, data);

/**
 * Log lines for one file descriptor, written once per event-loop turn (or once the batch reaches
 * `flushAt`) in one system call instead of one per line. Lines keep the order they were given in.
 *
 * The writer owns its queue rather than handing batches to `process.stdout`: a pipe's stream
 * queues in libuv what the pipe does not take, and `process.exit` drops that queue. Here a
 * descriptor that answers `EAGAIN` (a non-blocking pipe whose reader is behind) keeps the rest
 * queued and is retried on a timer; `flushSync` (at exit, on a fatal error) waits for it up to
 * `SYNC_FLUSH_TIMEOUT_MS`. A descriptor that is gone (`EPIPE`, `EBADF`) drops what is queued.
 */
export class BatchedLogWriter {
  private readonly fd: number;
  private readonly writeSync: WriteSync;
  private readonly flushAt: number;
  private readonly maxPendingBytes: number;
  /** Lines not yet handed to the descriptor, each ending in `\n`. */
  private text = '';
  /** Bytes the descriptor refused (its rest after a partial write first), in order. */
  private readonly queued: Buffer[] = [];
  private queuedBytes = 0;
  private dropped = 0;
  private scheduled = false;
  private retry: NodeJS.Timeout | undefined;
  private retryMs = 1;

  constructor(options: BatchedLogWriterOptions) {
    this.fd = options.fd;
    this.writeSync = options.writeSync ?? writeToDescriptor;
    this.flushAt = options.flushAt ?? FLUSH_AT;
    this.maxPendingBytes = options.maxPendingBytes ?? MAX_PENDING_LOG_BYTES;
  }

  /** Whether lines wait to be written. */
  get hasPending(): boolean {
    return this.text.length > 0 || this.queued.length > 0;
  }

  /** Adds one line (without its newline); it is written by the end of the current turn. */
  write(line: string): void {
    if (this.queuedBytes + this.text.length > this.maxPendingBytes) {
      this.dropped++;
      return;
    }
    this.text += line + '\n';
    if (this.text.length >= this.flushAt) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.onTurnEnd);
    }
  }

  /** Writes what the descriptor takes now; the rest stays queued and is retried. */
  flush(): void {
    const before = this.queuedBytes;
    if (this.step() !== 'blocked') return;
    // A reader that took something is about to take more: retry soon rather than backing off.
    if (this.queuedBytes < before) this.retryMs = 1;
    this.scheduleRetry();
  }

  /**
   * Writes everything before returning, for the process's last moments: waits (blocking the
   * thread) while the descriptor is full, until it has taken nothing for `timeoutMs`.
   */
  flushSync(timeoutMs = SYNC_FLUSH_TIMEOUT_MS): void {
    let deadline = Date.now() + timeoutMs;
    let waitMs = 1;
    let before = Infinity;
    while (this.step() === 'blocked') {
      const now = Date.now();
      if (this.queuedBytes < before) {
        deadline = now + timeoutMs;
        waitMs = 1;
      } else if (now >= deadline) {
        return;
      }
      before = this.queuedBytes;
      Atomics.wait(sleeper, 0, 0, waitMs);
      waitMs = Math.min(waitMs * 2, MAX_RETRY_MS);
    }
  }

  private readonly onTurnEnd = (): void => {
    this.scheduled = false;
    this.flush();
  };

  private readonly onRetry = (): void => {
    this.retry = undefined;
    this.flush();
  };

  /** Writes the batch, then the queue; once the queue is empty, the count of dropped lines. */
  private step(): 'done' | 'blocked' {
    this.takeText();
    const state = this.drain();
    if (state === 'blocked' || this.dropped === 0) return state;
    this.takeText();
    return this.drain();
  }

  private scheduleRetry(): void {
    if (this.retry) return;
    // Unref'd: a process with nothing else to do exits, and its exit flush waits for the reader.
    this.retry = setTimeout(this.onRetry, this.retryMs).unref();
    this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
  }

  /** Moves the batch to the queue, or writes it straight away when nothing waits before it. */
  private takeText(): void {
    if (this.dropped > 0 && this.queued.length === 0) {
      // Where the lines went missing: after what was queued, before what came once there was room.
      this.text = `fc-kernel: ${this.dropped} log line(s) dropped: the log descriptor was not read fast enough\n${this.text}`;
      this.dropped = 0;
    }
    if (this.text.length === 0) return;
    const text = this.text;
    this.text = '';
    if (this.queued.length === 0) {
      const written = this.attempt(text);
      if (written === 'gone') return;
      // The common case: the whole batch went in one call, with no Buffer made for it.
      const bytes = Buffer.byteLength(text);
      if (written === bytes) return;
      this.enqueue(Buffer.from(text).subarray(written === 'blocked' ? 0 : written));
      return;
    }
    this.enqueue(Buffer.from(text));
  }

  private enqueue(chunk: Buffer): void {
    this.queued.push(chunk);
    this.queuedBytes += chunk.length;
  }

  /** Writes queued chunks in order until the queue is empty or the descriptor refuses more. */
  private drain(): 'done' | 'blocked' {
    while (this.queued.length > 0) {
      const chunk = this.queued[0];
      const written = this.attempt(chunk);
      if (written === 'gone') {
        this.queued.length = 0;
        this.queuedBytes = 0;
        return 'done';
      }
      if (written === 'blocked') return 'blocked';
      this.queuedBytes -= written;
      if (written === chunk.length) this.queued.shift();
      else this.queued[0] = chunk.subarray(written);
    }
    this.retryMs = 1;
    return 'done';
  }

  private attempt(data: string | Buffer): number | 'blocked' | 'gone' {
    try {
      return this.writeSync(this.fd, data);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      return code === 'EAGAIN' || code === 'EWOULDBLOCK' || code === 'EINTR' ? 'blocked' : 'gone';
    }
  }
}
