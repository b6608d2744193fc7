import { expect } from 'chai';
import { createClient } from 'redis';
import { invoke, type HttpAnswer } from '../e2e/helpers';
import { sleep } from '../helpers/async';
import { startRedisServer, type RedisServer } from '../helpers/redisServer';
import { listeningPort, startSample, stopSample, type SampleProcess } from '../samples/helpers';

const SERVER = 'test/idempotency/fixtures/chargeServer.js';

describe('@Idempotent on one Redis shared by two server processes', function () {
  this.timeout(30_000);
  let redis: RedisServer;
  let effects: ReturnType<typeof createClient>;
  let servers: SampleProcess[] = [];
  let ports: number[] = [];

  const startInstance = async (): Promise<number> => {
    const server = startSample(SERVER, { REDIS_URL: redis.url });
    servers.push(server);
    return listeningPort(server, '127.0.0.1');
  };
  const runs = async (paymentId: string) => Number((await effects.get(`effects:${paymentId}`)) ?? 0);
  /** One try of an asynchronous invocation, as FC sends it. */
  const attempt = (port: number, paymentId: string, requestId: string, retryCount: number, workMs = 300) =>
    invoke(
      port,
      { paymentId, workMs },
      {
        'x-fc-request-id': requestId,
        'x-fc-function-name': 'charge',
        'x-fc-retry-count': String(retryCount),
        'x-fc-invocation-type': 'Async',
        'x-fc-function-timeout': '2',
      },
    );

  before(async () => {
    redis = await startRedisServer();
    effects = createClient({ url: redis.url });
    await effects.connect();
  });
  beforeEach(async () => {
    ports = await Promise.all([startInstance(), startInstance()]);
  });
  afterEach(async () => {
    servers.forEach(stopSample);
    await Promise.all(servers.map((server) => server.exited));
    servers = [];
  });
  after(async () => {
    await effects.close();
    await redis.stop();
  });

  it('concurrent duplicates on both: the handler runs once; the others are refused, then replayed byte for byte', async () => {
    const copies = (retryCount: number) =>
      Promise.all(Array.from({ length: 20 }, (_, i) => attempt(ports[i % 2], 'C-1', 'req-c1', retryCount)));
    const first = await copies(0);
    const answered = first.filter((res) => res.status === 200);
    expect(answered).to.have.length(1);
    const refused = first.filter((res) => res.status === 404);
    expect(refused).to.have.length(19);
    for (const res of refused) {
      expect(res.headers['x-fc-status']).to.equal('404');
      expect(res.json()).to.include({ errorType: 'IdempotencyInProgressError' });
    }
    const replayed = await copies(1);
    expect(replayed.every((res) => res.status === 200 && res.body.equals(answered[0].body))).to.equal(true);
    expect(await runs('C-1')).to.equal(1);
  });

  it('many events, each delivered four times at once over both: each handler ran once, each answer the same', async () => {
    const ids = Array.from({ length: 10 }, (_, i) => `M-${i}`);
    const answers = await Promise.all(
      ids.flatMap((id) => [0, 1, 2, 3].map((copy) => attempt(ports[copy % 2], id, `req-${id}`, 0, 50))),
    );
    await sleep(100);
    const again = await Promise.all(ids.map((id, i) => attempt(ports[i % 2], id, `req-${id}`, 1, 50)));
    for (const [i, id] of ids.entries()) {
      expect(await runs(id)).to.equal(1);
      const copies = answers.slice(i * 4, i * 4 + 4);
      // A copy that arrived after the first answered got its answer replayed.
      const ok = copies.filter((res: HttpAnswer) => res.status === 200);
      expect(ok.length).to.be.at.least(1);
      for (const res of [...ok, again[i]]) expect(res.body.equals(ok[0].body)).to.equal(true);
      for (const res of copies.filter((copy) => copy.status !== 200)) {
        expect(res.json()).to.include({ errorType: 'IdempotencyInProgressError' });
      }
    }
  });

  it('an instance killed mid-run: its claim holds until the deadline, then the retry runs on the other', async () => {
    const killed = attempt(ports[0], 'K-1', 'req-k1', 0, 20_000).catch((error: Error) => error);
    while ((await runs('K-1')) === 0) await sleep(10);
    servers[0].child.kill('SIGKILL');
    expect(await killed).to.be.instanceOf(Error);
    const early = await attempt(ports[1], 'K-1', 'req-k1', 1, 20_000);
    expect(early.json()).to.include({ errorType: 'IdempotencyInProgressError' });
    // The claim expires at the first try's deadline (x-fc-function-timeout: 2).
    await sleep(2100);
    const late = await attempt(ports[1], 'K-1', 'req-k1', 2, 20_000);
    expect(late.status).to.equal(200);
    expect(late.json()).to.include({ paymentId: 'K-1', run: 2, pid: servers[1].child.pid });
  });
});
