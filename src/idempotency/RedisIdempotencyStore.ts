import { ConfigurationError } from '../errors/ConfigurationError';
import type { CompletedRecord, IdempotencyRecord, IdempotencyStore, InProgressRecord } from './IdempotencyStore';
import { decodeRecord, encodeRecord } from './recordCodec';
import { withTimeout } from './withTimeout';

/**
 * What the store needs of a Redis client: node-redis's (`redis` 5 or later) `sendCommand`. Plain
 * commands only (`SET NX PX`, `GET`, and `EVAL` of two short scripts), which Redis and Alibaba
 * Cloud Tair (ApsaraDB for Redis) both run, standalone or in cluster mode (one key each).
 */
export interface RedisCommandClient {
  sendCommand(args: ReadonlyArray<string | Buffer>, options?: RedisCommandOptions): Promise<unknown>;
}

/** The command options the store passes: replies as Buffers, so that answers stay byte for byte. */
export interface RedisCommandOptions {
  typeMapping?: Record<number, unknown>;
}

/** The part of a client the store made itself that it uses besides commands. */
interface OwnedClient extends RedisCommandClient {
  readonly isReady: boolean;
  readonly isOpen: boolean;
  connect(): Promise<unknown>;
  on(event: 'error', listener: (error: unknown) => void): unknown;
  close(): Promise<unknown>;
  destroy(): void;
}

export interface RedisIdempotencyStoreOptions {
  /**
   * `redis://[[user]:password@]host:port[/db]` (or `rediss://` for TLS): the store makes its own
   * client with node-redis (`npm install redis`), connects on first use and reconnects by itself.
   */
  url?: string;
  /** A connected node-redis client to use instead (the store never closes it). */
  client?: RedisCommandClient;
  /** Put before every key (default `fc-kernel:idempotency:`). */
  prefix?: string;
  /**
   * How long one step (a connection, a command) may take before the store is taken as unreachable,
   * in milliseconds (default 1000).
   */
  timeoutMs?: number;
}

/** The prefix of every key, by default. */
export const DEFAULT_REDIS_PREFIX = 'fc-kernel:idempotency:';
const DEFAULT_TIMEOUT_MS = 1000;

/** RESP's type code of a bulk string (`$`): replies of this type come back as Buffers. */
const BULK_STRING = 36;
const AS_BUFFERS: RedisCommandOptions = { typeMapping: { [BULK_STRING]: Buffer } };

/** Replaces the claim with the answer if the key still holds the claim, or nothing. */
const COMPLETE = `local current = redis.call('GET', KEYS[1])
if current == false or current == ARGV[1] then
  return redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
end
return false`;

/** Removes the claim if the key still holds it. */
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * Idempotency records in Redis or Alibaba Cloud Tair (ApsaraDB for Redis), shared by every
 * instance of a function. A claim is one `SET NX PX` round trip.
 *
 * @example
 * ```ts
 * const store = new RedisIdempotencyStore({ url: process.env.REDIS_URL });
 * void serve({ functions: [CreateOrderFunction], idempotency: { store } });
 * ```
 */
export class RedisIdempotencyStore implements IdempotencyStore {
  private readonly client: RedisCommandClient;
  // Private fields: the URL may hold a password, and printing the store must not show it.
  readonly #owned: OwnedClient | undefined;
  readonly #where: string;
  #connecting: Promise<unknown> | undefined;
  private readonly prefix: string;
  private readonly timeoutMs: number;

  constructor(options: RedisIdempotencyStoreOptions) {
    const { url, client, prefix = DEFAULT_REDIS_PREFIX, timeoutMs = DEFAULT_TIMEOUT_MS } = options;
    if ((url === undefined) === (client === undefined)) {
      throw new TypeError('RedisIdempotencyStore needs either `url` or `client`, not both');
    }
    if (!(timeoutMs > 0)) throw new RangeError(`timeoutMs must be more than 0: got ${String(timeoutMs)}`);
    this.prefix = prefix;
    this.timeoutMs = timeoutMs;
    if (client) {
      this.client = client;
      this.#where = 'the Redis client given';
    } else {
      this.#owned = createOwnedClient(url!, timeoutMs);
      this.client = this.#owned;
      this.#where = `Redis at ${hostOf(url!)}`;
    }
  }

  async claim(key: string, claim: InProgressRecord): Promise<IdempotencyRecord | undefined> {
    const fullKey = this.prefix + key;
    // A record found by SET NX can expire before the GET that reads it: then claim again.
    for (let attempt = 0; attempt < 3; attempt++) {
      const set = await this.send([
        'SET',
        fullKey,
        encodeRecord(claim),
        'NX',
        'PX',
        String(millisUntil(claim.expiresAt)),
      ]);
      if (set !== null) return undefined;
      const found = await this.send(['GET', fullKey]);
      if (Buffer.isBuffer(found)) return decodeRecord(found);
    }
    throw new Error(`${this.#where}: the record of a key kept expiring while it was read`);
  }

  async complete(key: string, claim: InProgressRecord, answer: CompletedRecord): Promise<void> {
    const ttl = String(millisUntil(answer.expiresAt));
    await this.send(['EVAL', COMPLETE, '1', this.prefix + key, encodeRecord(claim), encodeRecord(answer), ttl]);
  }

  async release(key: string, claim: InProgressRecord): Promise<void> {
    await this.send(['EVAL', RELEASE, '1', this.prefix + key, encodeRecord(claim)]);
  }

  /**
   * Closes the client the store made from `url` (a client given is left open): once the commands
   * sent have answered, or at once when Redis is unreachable or does not answer within `timeoutMs`.
   */
  async close(): Promise<void> {
    const owned = this.#owned;
    if (!owned?.isOpen) return;
    if (!owned.isReady) return owned.destroy();
    await withTimeout(owned.close(), this.timeoutMs, 'close').catch(() => owned.destroy());
  }

  private async send(args: ReadonlyArray<string | Buffer>): Promise<unknown> {
    await this.connected();
    return withTimeout(
      this.client.sendCommand(args, AS_BUFFERS),
      this.timeoutMs,
      `${this.#where} did not answer ${String(args[0])} within ${this.timeoutMs} ms`,
    );
  }

  /**
   * Connects the store's own client on first use. node-redis reconnects by itself after that,
   * and fails a command at once while it is offline (no queue): the store is then unreachable.
   */
  private async connected(): Promise<void> {
    const owned = this.#owned;
    if (owned === undefined || owned.isReady) return;
    if (!owned.isOpen) {
      // node-redis retries a first connection until it succeeds: its promise may never settle.
      this.#connecting = owned.connect().catch(() => undefined);
    }
    await withTimeout(
      this.#connecting ?? Promise.resolve(),
      this.timeoutMs,
      `${this.#where} could not be reached within ${this.timeoutMs} ms`,
    );
  }
}

function createOwnedClient(url: string, timeoutMs: number): OwnedClient {
  const client = loadRedis().createClient({
    url,
    disableOfflineQueue: true,
    socket: { connectTimeout: timeoutMs },
  });
  // Without a listener, a connection error would be an uncaught 'error' event: the command that
  // needed the connection reports it instead.
  client.on('error', () => undefined);
  return client;
}

interface RedisModule {
  createClient(options: { url: string; disableOfflineQueue: boolean; socket: { connectTimeout: number } }): OwnedClient;
}

/** node-redis, an optional peer dependency: loaded only when a store is made from a URL. */
function loadRedis(): RedisModule {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('redis') as RedisModule;
  } catch (error) {
    const missing =
      (error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' &&
      (error as Error).message.startsWith("Cannot find module 'redis'");
    if (!missing) throw error;
    throw new ConfigurationError(
      'MISSING_PEER_DEPENDENCY',
      'RedisIdempotencyStore({ url }) connects with node-redis, which is not installed: npm install redis',
      { className: 'RedisIdempotencyStore' },
      { cause: error },
    );
  }
}

/** `host:port` of a Redis URL: what a message may show of it (never the password). */
function hostOf(url: string): string {
  try {
    return new URL(url).host || 'the URL given';
  } catch {
    return 'the URL given';
  }
}

/** Milliseconds from now to `at`, at least 1 (PX refuses 0). */
function millisUntil(at: number): number {
  return Math.max(1, Math.ceil(at - Date.now()));
}
