import type { RedisCommandClient } from '../idempotency/RedisIdempotencyStore';
import { withTimeout } from '../idempotency/withTimeout';
import type { DeadLetter } from './DeadLetter';

export interface RedisDeadLetterSinkOptions {
  /** A connected node-redis client (`redis` 5 or later): the sink never closes it. */
  client: RedisCommandClient;
  /** The stream's or list's key. */
  key: string;
  /**
   * `'stream'` (the default): each dead letter is an entry of a Redis stream (`XADD`), with the
   * fields `key` (the record's), `error` (its type) and `letter` (the dead letter as JSON), read
   * with `XRANGE` or a consumer group. `'list'`: each is an element of a list (`RPUSH`), its JSON.
   */
  as?: 'stream' | 'list';
  /** A stream keeps about this many entries, the oldest trimmed first (`MAXLEN ~`). Default: all. */
  maxLength?: number;
  /** How long sending may take before it counts as failed, in milliseconds (default 1000). */
  timeoutMs?: number;
}

/** Adds every letter to the stream in one script: all of them, or none. */
const APPEND_TO_STREAM = `local limit = tonumber(ARGV[1])
for i = 2, #ARGV, 3 do
  if limit > 0 then
    redis.call('XADD', KEYS[1], 'MAXLEN', '~', limit, '*', 'key', ARGV[i], 'error', ARGV[i + 1], 'letter', ARGV[i + 2])
  else
    redis.call('XADD', KEYS[1], '*', 'key', ARGV[i], 'error', ARGV[i + 1], 'letter', ARGV[i + 2])
  end
end
return #ARGV`;

/**
 * Dead letters in a Redis (or Alibaba Cloud Tair) stream or list: every letter of an invocation in
 * one atomic command, so that a sink that fails took none of them (and the invocation fails).
 *
 * @example
 * ```ts
 * const redis = await createClient({ url: process.env.REDIS_URL }).connect();
 * const deadLetters = new RedisDeadLetterSink({ client: redis, key: 'orders:dead-letters' });
 * void serve({ functions: [OrderEvents], idempotency: { store }, batch: { deadLetters } });
 * ```
 */
export class RedisDeadLetterSink {
  private readonly client: RedisCommandClient;
  private readonly key: string;
  private readonly as: 'stream' | 'list';
  private readonly maxLength: number;
  private readonly timeoutMs: number;

  constructor(options: RedisDeadLetterSinkOptions) {
    const { client, key, as = 'stream', maxLength = 0, timeoutMs = 1000 } = options;
    if (typeof client?.sendCommand !== 'function')
      throw new TypeError('RedisDeadLetterSink needs a node-redis `client`');
    if (typeof key !== 'string' || key === '')
      throw new TypeError('RedisDeadLetterSink needs the `key` of its stream or list');
    if (as !== 'stream' && as !== 'list') throw new TypeError(`as is 'stream' or 'list': got ${String(as)}`);
    if (!(Number.isInteger(maxLength) && maxLength >= 0))
      throw new RangeError(`maxLength must be a whole number: got ${maxLength}`);
    if (!(timeoutMs > 0)) throw new RangeError(`timeoutMs must be more than 0: got ${String(timeoutMs)}`);
    this.client = client;
    this.key = key;
    this.as = as;
    this.maxLength = maxLength;
    this.timeoutMs = timeoutMs;
  }

  /** Appends `letters`, all or none. */
  async send(letters: readonly DeadLetter[]): Promise<void> {
    if (letters.length === 0) return;
    const command =
      this.as === 'list'
        ? ['RPUSH', this.key, ...letters.map((letter) => JSON.stringify(letter))]
        : [
            'EVAL',
            APPEND_TO_STREAM,
            '1',
            this.key,
            String(this.maxLength),
            ...letters.flatMap((letter) => [letter.key, letter.error.type, JSON.stringify(letter)]),
          ];
    await withTimeout(
      this.client.sendCommand(command),
      this.timeoutMs,
      `Redis did not take the dead letters within ${this.timeoutMs} ms`,
    );
  }
}
