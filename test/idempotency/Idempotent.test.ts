import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { ConfigurationError, Event, FcFunction, OnInvoke } from '../../src';
import {
  Idempotent,
  MemoryIdempotencyStore,
  RedisIdempotencyStore,
  type IdempotencyRecord,
  type IdempotencyStore,
} from '../../src/idempotency';
import { deliver, type TestKernelOptions } from '../../src/testing';
import { sleep } from '../helpers/async';
import { HEADER_CREDENTIALS } from '../helpers/fcHeaders';
import { startRedisServer, type RedisServer } from '../helpers/redisServer';
import { useTestKernels } from '../helpers/testKernels';
import { cli } from '../cli/helpers';
import { ChargeFunction, Ledger, payment, RefundFunction, RenderFunction, ReportFunction, Payment } from './fixtures';
import { claimOf } from './storeContract';

/** The record under `key`, read without leaving anything behind. */
async function peek(store: IdempotencyStore, key: string): Promise<IdempotencyRecord | undefined> {
  const probe = claimOf(1000, 'probe');
  const found = await store.claim(key, probe);
  if (found === undefined) await store.release(key, probe);
  return found;
}

interface StoreUnderTest {
  name: string;
  /** A store on a fresh key space; two calls in a test share it (two instances). */
  make(): IdempotencyStore;
}

let redis: RedisServer;
const redisStores: RedisIdempotencyStore[] = [];
before(async () => (redis = await startRedisServer()));
after(async () => {
  await Promise.all(redisStores.splice(0).map((store) => store.close()));
  await redis.stop();
});

const STORES: StoreUnderTest[] = [
  { name: 'MemoryIdempotencyStore', make: () => new MemoryIdempotencyStore() },
  {
    name: 'RedisIdempotencyStore (a real redis-server)',
    make: () => {
      const store = new RedisIdempotencyStore({ url: redis.url, prefix: `test-${randomUUID()}:` });
      redisStores.push(store);
      return store;
    },
  },
];

for (const { name, make } of STORES) {
  describe(`@Idempotent on ${name}`, () => {
    const createTestKernel = useTestKernels();
    let store: IdempotencyStore;
    let ledger: Ledger;
    /** One instance of the function; each call is another instance sharing the store. */
    const instance = (
      functions: Parameters<typeof createTestKernel>[0] = ChargeFunction,
      options: TestKernelOptions = {},
    ) =>
      createTestKernel(functions, { overrides: [[Ledger, { useValue: ledger }]], idempotency: { store }, ...options });

    beforeEach(() => {
      store = make();
      ledger = new Ledger();
    });

    it('first delivery: claims the key until the deadline, runs the handler, stores its answer and answers it', async () => {
      const tk = instance();
      ledger.hold();
      const before = Date.now();
      const answer = tk.invoke(payment('P-1'), { timeoutSeconds: 30 });
      await ledger.started.promise;
      const claim = await peek(store, 'charge:P-1');
      expect(claim).to.include({ status: 'in-progress' });
      expect(claim!.expiresAt).to.be.within(before + 29_000, Date.now() + 30_000);
      ledger.open();
      const res = await answer;
      expect(res.ok).to.equal(true);
      expect(res.body).to.include({ paymentId: 'P-1', charged: 100, run: 1 });
      const stored = await peek(store, 'charge:P-1');
      expect(stored).to.include({ status: 'completed', requestId: res.requestId });
      expect(stored!.status === 'completed' && stored!.body.equals(res.raw)).to.equal(true);
      expect(stored!.expiresAt).to.be.within(Date.now() + 3_590_000, Date.now() + 3_600_000);
    });

    it('a duplicate while the first runs: IdempotencyInProgressError (x-fc-status 404), the handler not run', async () => {
      const [a, b] = [instance(), instance()];
      ledger.hold();
      const delivery = deliver(payment('P-2'), { timeoutSeconds: 30 });
      const first = delivery.attempt(a);
      await ledger.started.promise;
      const retry = await delivery.attempt(b);
      expect(retry.statusCode).to.equal(404);
      expect(retry.xFcStatus).to.equal(404);
      expect(retry.error).to.include({ errorType: 'IdempotencyInProgressError' });
      expect(retry.error!.errorMessage).to.include(delivery.requestId);
      ledger.open();
      expect((await first).ok).to.equal(true);
      expect(ledger.runs).to.equal(1);
    });

    it('a duplicate after completion: the stored answer byte for byte, from another instance, logged as replayed', async () => {
      const [a, b] = [instance(), instance()];
      const first = await instance().invoke(payment('P-3'));
      const again = await a.invoke(payment('P-3'));
      const elsewhere = await b.invoke(payment('P-3'));
      for (const duplicate of [again, elsewhere]) {
        expect(duplicate.ok).to.equal(true);
        expect(duplicate.raw.equals(first.raw)).to.equal(true);
        expect(duplicate.headers['content-type']).to.equal(first.headers['content-type']);
        expect(
          duplicate.logs.some((line) => /\[INFO\] idempotency: replayed the answer of request /.test(line)),
        ).to.equal(true);
        expect(duplicate.logs.join('\n')).to.include(first.requestId);
      }
      expect(ledger.runs).to.equal(1);
    });

    it('replays binary answers byte for byte, keyed by the request id FC keeps across retries', async () => {
      const [a, b] = [instance(RenderFunction), instance(RenderFunction)];
      const delivery = deliver(payment('R-1'));
      const first = await delivery.attempt(a);
      const retry = await delivery.attempt(b);
      expect(first.raw.equals(Buffer.from([0xff, 0x00, 0x0a, 1, ...Buffer.from('R-1')]))).to.equal(true);
      expect(retry.raw.equals(first.raw)).to.equal(true);
      expect(retry.headers['content-type']).to.equal('application/octet-stream');
      // Another request id is another delivery under the default key.
      expect((await a.invoke(payment('R-1'))).raw[3]).to.equal(2);
      expect(ledger.runs).to.equal(2);
    });

    it('the handler fails: the claim is removed, so the retry runs it again', async () => {
      const tk = instance();
      const delivery = deliver(payment('P-4', -5));
      const failed = await delivery.attempt(tk);
      expect(failed.error?.errorMessage).to.equal('declined: -5');
      expect(await peek(store, 'charge:P-4')).to.equal(undefined);
      const retried = await delivery.attempt(tk);
      expect(retried.error?.errorMessage).to.equal('declined: -5');
      expect(ledger.runs).to.equal(2);
    });

    it('the instance dies mid-run: its claim stays until the deadline, then a retry runs', async () => {
      const [dying, survivor] = [instance(), instance()];
      ledger.hold();
      const delivery = deliver(payment('P-5'), { timeoutSeconds: 1 });
      const died = await delivery.attemptAndDie(dying, ledger.started.promise);
      expect(died.statusCode).to.equal(502);
      expect(died.error?.errorMessage).to.equal('Process exited unexpectedly before completing request');
      const early = await delivery.attempt(survivor);
      expect(early.error?.errorType).to.equal('IdempotencyInProgressError');
      await sleep(1100);
      // The dead instance never resumes: its handler stays held.
      ledger = Object.assign(new Ledger(), { runs: ledger.runs });
      const late = await delivery.attempt(instance());
      expect(late.ok, JSON.stringify(late.error)).to.equal(true);
      expect(late.body).to.include({ paymentId: 'P-5', run: 2 });
    });

    it('the same key with another event: IdempotencyKeyMismatchError (404), not replayed, the handler not run', async () => {
      const tk = instance();
      await tk.invoke(payment('P-6', 100));
      const other = await tk.invoke(payment('P-6', 999));
      expect(other.xFcStatus).to.equal(404);
      expect(other.error).to.include({ errorType: 'IdempotencyKeyMismatchError' });
      expect(ledger.runs).to.equal(1);
      // The same event with its keys in another order is the same event.
      expect((await tk.invoke('{"amount":100,"paymentId":"P-6"}')).ok).to.equal(true);
    });

    it('stores the encoded answer only: no request header, no credential', async () => {
      const tk = instance(ChargeFunction, {
        headers: {
          'x-fc-access-key-id': HEADER_CREDENTIALS.accessKeyId,
          'x-fc-access-key-secret': HEADER_CREDENTIALS.accessKeySecret,
          'x-fc-security-token': HEADER_CREDENTIALS.securityToken,
        },
      });
      const res = await tk.invoke(payment('P-7'));
      const stored = await peek(store, 'charge:P-7');
      const text = JSON.stringify(stored) + (stored?.status === 'completed' ? stored.body.toString('latin1') : '');
      for (const secret of Object.values(HEADER_CREDENTIALS)) expect(text).to.not.include(secret);
      expect(stored!.status === 'completed' && stored!.body.equals(res.raw)).to.equal(true);
    });

    it('keeps no answer over the body limit: answered, logged, and a duplicate runs again', async () => {
      const tk = instance(ReportFunction, { bodyLimit: 1024 });
      const big = await tk.invoke(payment('P-8', 2000));
      expect(big.ok).to.equal(true);
      expect((big.body as string).length).to.equal(2000);
      expect(
        big.logs.some((line) => /\[WARN\] idempotency: the answer \(2000 bytes\) is over the body limit/.test(line)),
      ).to.equal(true);
      expect(await peek(store, 'report:P-8')).to.equal(undefined);
      await tk.invoke(payment('P-8', 2000));
      expect(ledger.runs).to.equal(2);
      await tk.invoke(payment('P-9', 500));
      await tk.invoke(payment('P-9', 500));
      expect(ledger.runs).to.equal(3);
    });

    it('a key function, namespaced by the function name, kept for ttlSeconds', async () => {
      const tk = instance([ChargeFunction, RefundFunction]);
      const refund = await tk.invoke(payment('P-10'), { functionName: 'refund' });
      expect(refund.body).to.equal('refund P-10 #1');
      expect((await peek(store, 'refund:refund-of-P-10'))?.status).to.equal('completed');
      expect((await tk.invoke(payment('P-10'), { functionName: 'refund' })).body).to.equal('refund P-10 #1');
      // Another function with the same key value is not a duplicate.
      expect((await tk.invoke(payment('refund-of-P-10'), { functionName: 'charge' })).ok).to.equal(true);
      await sleep(400);
      expect((await tk.invoke(payment('P-10'), { functionName: 'refund' })).body).to.equal('refund P-10 #3');
    });

    it('concurrent copies on two instances: the handler runs once, the others are refused, then all replay', async () => {
      const instances = [instance(), instance()];
      ledger.hold();
      const delivery = deliver(payment('P-11'), { timeoutSeconds: 30 });
      const first = delivery.attempt(instances[0]);
      await ledger.started.promise;
      const copies = await delivery.copies(instances, 10);
      expect(copies.map((res) => res.error?.errorType)).to.deep.equal(Array(10).fill('IdempotencyInProgressError'));
      ledger.open();
      const answered = await first;
      const replays = await delivery.copies(instances, 10);
      expect(replays.every((res) => res.raw.equals(answered.raw))).to.equal(true);
      expect(ledger.runs).to.equal(1);
    });

    it('an event without its key: IdempotencyKeyError (404), the handler not run', async () => {
      @FcFunction({ name: 'loose' })
      class LooseFunction {
        @OnInvoke()
        @Idempotent({ key: 'order.id' })
        handle(@Event() event: Payment) {
          return event;
        }
      }
      const res = await instance(LooseFunction).invoke(payment('P-12'));
      expect(res.error).to.include({ errorType: 'IdempotencyKeyError' });
      expect(res.error!.errorMessage).to.include(`the event's "order.id" is missing`);
    });
  });
}

describe('@Idempotent at boot', () => {
  const createTestKernel = useTestKernels();

  it('is listed by fc-kernel inspect around the handler, as idempotency', async () => {
    const run = await cli(['inspect', 'dist/test/idempotency/fixtures.js']);
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.match(
      /invoke {2}charge\(event Payment, ctx\)\n.*\n {8}idempotency {2}provider, @UseInterceptors on the method/,
    );
  });

  it('refuses a kernel without an idempotency store, naming the function and method', () => {
    expect(() => createTestKernel(ChargeFunction))
      .to.throw(ConfigurationError, /ChargeFunction\.charge is idempotent, but the kernel has no idempotency store/)
      .with.property('code', 'LAYER_NOT_CONFIGURED');
  });

  it('refuses settings that mean nothing', () => {
    const store = new MemoryIdempotencyStore();
    expect(() => createTestKernel(ChargeFunction, { idempotency: { store, ttlSeconds: 0 } }))
      .to.throw(ConfigurationError, /ttlSeconds is a number of seconds, more than 0: got 0/)
      .with.property('code', 'INVALID_LAYER_OPTION');
    expect(() =>
      createTestKernel(ChargeFunction, { idempotency: { store, whenStoreFails: 'maybe' as 'run' } }),
    ).to.throw(ConfigurationError, /whenStoreFails is 'refuse' or 'run'/);
  });
});

describe('@Idempotent when the store fails (a redis-server that stopped)', () => {
  const createTestKernel = useTestKernels();
  let own: RedisServer;
  let store: RedisIdempotencyStore;
  let ledger: Ledger;
  beforeEach(async () => {
    own = await startRedisServer();
    store = new RedisIdempotencyStore({ url: own.url, timeoutMs: 300 });
    ledger = new Ledger();
  });
  afterEach(async () => {
    await store.close();
    await own.stop();
  });

  it('fails closed: IdempotencyStoreError (404), the handler not run', async () => {
    const tk = createTestKernel(ChargeFunction, {
      overrides: [[Ledger, { useValue: ledger }]],
      idempotency: { store },
    });
    expect((await tk.invoke(payment('S-1'))).ok).to.equal(true);
    await own.stop();
    const res = await tk.invoke(payment('S-2'));
    expect(res.xFcStatus).to.equal(404);
    expect(res.error).to.include({ errorType: 'IdempotencyStoreError' });
    expect(res.error!.errorMessage).to.match(/^The idempotency store failed, so the handler did not run: /);
    expect(ledger.runs).to.equal(1);
  });

  it("with whenStoreFails: 'run', runs the handler unguarded and logs it", async () => {
    const tk = createTestKernel(ChargeFunction, {
      overrides: [[Ledger, { useValue: ledger }]],
      idempotency: { store, whenStoreFails: 'run' },
    });
    await own.stop();
    const res = await tk.invoke(payment('S-3'));
    expect(res.ok).to.equal(true);
    expect(
      res.logs.some((line) =>
        /\[WARN\] idempotency: the store failed \(.+\): running the handler unguarded/.test(line),
      ),
    ).to.equal(true);
    expect(ledger.runs).to.equal(1);
  });

  it('an answer it cannot store is still answered, and logged', async () => {
    const tk = createTestKernel(ChargeFunction, {
      overrides: [[Ledger, { useValue: ledger }]],
      idempotency: { store },
    });
    ledger.hold();
    const answer = tk.invoke(payment('S-4'));
    await ledger.started.promise;
    await own.stop();
    ledger.open();
    const res = await answer;
    expect(res.ok).to.equal(true);
    expect(
      res.logs.some((line) => /\[ERROR\] idempotency: the answer for key "charge:S-4" could not be stored/.test(line)),
    ).to.equal(true);
  });
});
