import { expect } from 'chai';
import Module from 'node:module';
import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { inspect } from 'node:util';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { ConfigurationError } from '../../src';
import { RedisIdempotencyStore } from '../../src/idempotency';
import { freePort } from '../e2e/helpers';
import { startRedisServer, type RedisServer } from '../helpers/redisServer';
import { claimOf, storeContract } from './storeContract';

describe('RedisIdempotencyStore, on a redis-server of its own', () => {
  let redis: RedisServer;
  const stores: RedisIdempotencyStore[] = [];
  const made = (store: RedisIdempotencyStore) => (stores.push(store), store);

  before(async () => (redis = await startRedisServer()));
  after(async () => {
    await Promise.all(stores.map((store) => store.close()));
    await redis.stop();
  });

  describe('the store contract, over a URL', () =>
    storeContract(() => made(new RedisIdempotencyStore({ url: redis.url }))));

  describe('the store contract, over a node-redis client given', () => {
    let given: ReturnType<typeof createClient>;
    before(async () => {
      given = createClient({ url: redis.url });
      await given.connect();
    });
    after(() => given.close());
    storeContract(() => new RedisIdempotencyStore({ client: given, prefix: `test-${randomUUID()}:` }));
  });

  it('keeps records under its prefix, as one string value each, expiring in Redis', async () => {
    const store = made(new RedisIdempotencyStore({ url: redis.url, prefix: 'p1:' }));
    await store.claim('fn:key-1', claimOf(5000));
    const client = createClient({ url: redis.url });
    await client.connect();
    try {
      expect(await client.type('p1:fn:key-1')).to.equal('string');
      const ttl = await client.pTTL('p1:fn:key-1');
      expect(ttl).to.be.within(1, 5000);
    } finally {
      await client.close();
    }
  });

  it('is unreachable within its timeout when nothing listens at the URL', async () => {
    const store = made(new RedisIdempotencyStore({ url: `redis://127.0.0.1:${await freePort()}`, timeoutMs: 300 }));
    const started = Date.now();
    const error = await store.claim('fn:k', claimOf(5000)).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).to.match(/Redis at 127\.0\.0\.1:\d+ could not be reached within 300 ms/);
    expect(Date.now() - started).to.be.below(5000);
  });

  it('is unreachable within its timeout when the server accepts the connection but never answers, and closes at once', async () => {
    const silent = createServer(() => undefined);
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
    try {
      const { port } = silent.address() as AddressInfo;
      const store = made(new RedisIdempotencyStore({ url: `redis://127.0.0.1:${port}`, timeoutMs: 300 }));
      const error = await store.claim('fn:k', claimOf(5000)).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(error?.message).to.match(
        /Redis at 127\.0\.0\.1:\d+ (could not be reached|did not answer \w+) within 300 ms/,
      );
      // Closing does not wait for a server that never answers.
      await store.close();
    } finally {
      silent.close();
    }
  });

  it('fails a command once its server has gone', async () => {
    const own = await startRedisServer();
    const store = made(new RedisIdempotencyStore({ url: own.url, timeoutMs: 500 }));
    expect(await store.claim('fn:a', claimOf(5000))).to.equal(undefined);
    await own.stop();
    const error = await store.claim('fn:b', claimOf(5000)).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error).to.be.instanceOf(Error);
  });

  it('never shows the password of its URL when printed', () => {
    const store = made(new RedisIdempotencyStore({ url: 'redis://user:S3cretPassw0rd@127.0.0.1:1', timeoutMs: 100 }));
    expect(inspect(store, { depth: 5 })).to.not.include('S3cretPassw0rd');
    expect(JSON.stringify(store)).to.not.include('S3cretPassw0rd');
  });

  it('names the package to install when node-redis is missing', () => {
    const resolved = require.resolve('redis');
    const cached = require.cache[resolved];
    const resolver = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
    const original = resolver._resolveFilename;
    resolver._resolveFilename = function (request: string, ...rest: unknown[]) {
      if (request === 'redis') {
        const error = new Error("Cannot find module 'redis'") as NodeJS.ErrnoException;
        error.code = 'MODULE_NOT_FOUND';
        throw error;
      }
      return original.call(this, request, ...rest);
    };
    delete require.cache[resolved];
    try {
      expect(() => new RedisIdempotencyStore({ url: redis.url }))
        .to.throw(ConfigurationError, /npm install redis/)
        .with.property('code', 'MISSING_PEER_DEPENDENCY');
    } finally {
      resolver._resolveFilename = original;
      if (cached) require.cache[resolved] = cached;
    }
  });

  it('takes a URL or a client, not both, not neither', () => {
    expect(() => new RedisIdempotencyStore({})).to.throw(TypeError, /either `url` or `client`/);
  });
});
