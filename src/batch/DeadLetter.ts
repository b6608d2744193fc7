import type { FcContext } from '../context/FcContext';
import type { RecordCoordinates } from './BatchRecord';

/**
 * A record the dead-letter policy set aside: what failed, where it came from, and the record as
 * it was delivered, so that it can be looked at and sent again.
 */
export interface DeadLetter {
  /** The function that failed it. */
  readonly functionName: string;
  /** The invocation that failed it. */
  readonly requestId: string;
  /** What the record is remembered by: the same record delivered again has the same key. */
  readonly key: string;
  readonly coordinates: RecordCoordinates;
  /** The last error: its type (`ValidationError`, or the error's name) and message. */
  readonly error: { readonly type: string; readonly message: string };
  /** How many times the handler was tried on it in this invocation (0: it did not decode). */
  readonly attempts: number;
  /** FC's `x-fc-retry-count` of the invocation (0 on the first delivery of an asynchronous one). */
  readonly retryCount: number;
  /** When it was set aside, ISO 8601. */
  readonly failedAt: string;
  /** The record as delivered: its JSON text (cut at `MAX_DEAD_LETTER_RECORD_BYTES`). */
  readonly record: string;
}

/** The most of a record's text a dead letter keeps, in UTF-16 units: a Kafka message's default limit. */
export const MAX_DEAD_LETTER_RECORD_BYTES = 1024 * 1024;

/**
 * Where dead letters go: a Redis stream or list (`RedisDeadLetterSink`), or a function of your
 * own. It receives every dead letter of one invocation at once; when it throws or rejects, the
 * invocation fails and FC delivers the batch again (the records it did take may then be sent to
 * it again: key them by `key` if that matters).
 *
 * @example
 * ```ts
 * const sink: DeadLetterSink = async (letters) => {
 *   await db.insert('dead_letters', letters.map((l) => ({ key: l.key, error: l.error.message, record: l.record })));
 * };
 * ```
 */
export type DeadLetterSink =
  | ((letters: readonly DeadLetter[], ctx: FcContext) => unknown)
  | { send(letters: readonly DeadLetter[], ctx: FcContext): Promise<unknown> };

/** Sends to a sink of either form. */
export function sendToSink(sink: DeadLetterSink, letters: readonly DeadLetter[], ctx: FcContext): Promise<unknown> {
  try {
    return Promise.resolve(typeof sink === 'function' ? sink(letters, ctx) : sink.send(letters, ctx));
  } catch (error) {
    return Promise.reject(error);
  }
}

/** Whether `value` is a sink of either form. */
export function isDeadLetterSink(value: unknown): value is DeadLetterSink {
  return typeof value === 'function' || typeof (value as { send?: unknown } | undefined)?.send === 'function';
}
