import { expect } from 'chai';
import { IsString } from 'class-validator';
import { ConfigurationError, FcFunction, OnInvoke, UseInterceptors, type InterceptorFunction } from '../../src';
import { OnRecord, type BatchRecord, type BatchReport } from '../../src/batch';
import { MemoryIdempotencyStore } from '../../src/idempotency';
import { MnsQueueEvent, RocketMqEventBatch } from '../../src/events';
import { deliverBatch, fixtures } from '../../src/testing';
import { sleep } from '../helpers/async';
import { useTestKernels } from '../helpers/testKernels';

class Refund {
  @IsString() orderId!: string;
}

describe('batch: records one by one', () => {
  const createTestKernel = useTestKernels();
  const idempotency = () => ({ store: new MemoryIdempotencyStore() });

  it('next(event) on the seam: an inner interceptor and the handler see the record, an outer one the batch', async () => {
    const seen: string[] = [];
    const outer: InterceptorFunction = (invocation, next) => {
      seen.push(`outer ${Buffer.isBuffer(invocation.event) ? 'bytes' : typeof invocation.event}`);
      return next();
    };
    const inner: InterceptorFunction = (invocation, next) => {
      seen.push(`inner ${(invocation.event as BatchRecord<Refund>).body.orderId}`);
      return next();
    };
    @FcFunction({ name: 'refunds', interceptors: [outer] })
    class Refunds {
      @OnRecord([MnsQueueEvent], { body: Refund })
      @UseInterceptors(inner)
      refund(record: BatchRecord<Refund>) {
        seen.push(`handler ${record.body.orderId} ${record.coordinates.messageId}`);
      }
    }
    const batch = fixtures.mnsQueueBatch(
      ['o-1', 'o-2'].map((orderId) => ({ messageBody: JSON.stringify({ orderId }) })),
    );
    const res = await createTestKernel(Refunds, { idempotency: idempotency() }).invoke<BatchReport>(batch);
    expect(res.body).to.deep.include({ records: 2, done: 2 });
    expect(seen).to.deep.equal(['outer bytes', 'inner o-1', 'handler o-1 M-0', 'inner o-2', 'handler o-2 M-1']);
  });

  it('an invalid record fails alone, its error named; a batch that is not a JSON array fails whole', async () => {
    @FcFunction({ name: 'refunds' })
    class Refunds {
      @OnRecord(RocketMqEventBatch, { body: Refund, policy: 'dead-letter', deadLetters: () => undefined })
      refund() {}
    }
    const tk = createTestKernel(Refunds, { idempotency: idempotency() });
    const res = await tk.invoke<BatchReport>(
      fixtures.rocketMqBatch([
        { body: '{"orderId":"o-1"}', systemProperties: { UNIQ_KEY: 'm-1' } },
        { body: '{"orderId":7}', systemProperties: { UNIQ_KEY: 'm-2' } },
      ]),
    );
    expect(res.body).to.deep.include({ records: 2, done: 1, deadLettered: 1 });
    expect(res.body.listed[0].error).to.match(/^ValidationError: .*orderId must be a string/);
    const whole = await tk.invoke({ not: 'an array' });
    expect(whole.error?.errorType).to.equal('ValidationError');
    expect(whole.error?.errorMessage).to.include('event must be a JSON array');
  });

  it('near the deadline it takes no more records: the rest are not attempted, and come with the redelivery', async () => {
    const ran: number[] = [];
    @FcFunction({ name: 'slow' })
    class Slow {
      @OnRecord([Refund], { deadlineMarginMs: 500 })
      async each(record: BatchRecord<Refund>) {
        ran.push(record.coordinates.index);
        await sleep(100);
      }
    }
    const tk = createTestKernel(Slow, { idempotency: idempotency() });
    const batch = Array.from({ length: 20 }, (_, i) => ({ orderId: `o-${i}` }));
    const delivery = deliverBatch<BatchReport>(batch, { timeoutSeconds: 1, retryStrategy: 'EXPONENTIAL_DECAY_RETRY' });
    const first = await delivery.push(tk);
    expect(first.error?.errorType).to.equal('BatchFailedError');
    const taken = ran.length;
    expect(taken).to.be.within(3, 6);
    expect(first.error!.errorMessage).to.include(`and ${20 - taken} were not attempted`);
    const cut = first.logs.filter((line) => /batch: #\d+ not attempted/.test(line));
    expect(cut).to.have.length(20 - taken);
    expect(cut[0]).to.match(
      new RegExp(`\\[INFO\\] batch: #${taken} not attempted: the invocation is near its deadline$`),
    );
    const outcome = await delivery.untilDelivered(tk);
    expect(outcome.delivered).to.equal(true);
    expect(ran).to.deep.equal(Array.from({ length: 20 }, (_, i) => i));
  });

  it('concurrency: N records of an unordered source at once', async () => {
    let running = 0;
    let most = 0;
    @FcFunction({ name: 'wide' })
    class Wide {
      @OnRecord([Refund], { concurrency: 4, remember: false })
      async each() {
        most = Math.max(most, ++running);
        await sleep(5);
        running--;
      }
    }
    const res = await createTestKernel(Wide).invoke<BatchReport>(
      Array.from({ length: 12 }, (_, i) => ({ orderId: `o-${i}` })),
    );
    expect(res.body).to.deep.include({ records: 12, done: 12 });
    expect(most).to.equal(4);
  });

  it('boot: remembering without an idempotency store, or dead-lettering without a sink, fails naming the handler', () => {
    @FcFunction({ name: 'a' })
    class NoStore {
      @OnRecord([Refund])
      each() {}
    }
    expect(() => createTestKernel(NoStore)).to.throw(
      ConfigurationError,
      /NoStore\.each remembers .* no idempotency store/,
    );
    @FcFunction({ name: 'b' })
    class NoSink {
      @OnRecord([Refund], { policy: 'dead-letter', remember: false })
      each() {}
    }
    expect(() => createTestKernel(NoSink)).to.throw(
      ConfigurationError,
      /NoSink\.each dead-letters .* no dead-letter sink/,
    );
  });

  it('a function without a batch handler loads nothing of the layer', () => {
    @FcFunction({ name: 'plain' })
    class Plain {
      @OnInvoke({ event: Object })
      handle() {}
    }
    const before = Object.keys(require.cache).filter((path) => path.includes('/src/batch/'));
    createTestKernel(Plain);
    // This test file loads the layer itself; the kernel loads nothing more of it.
    expect(Object.keys(require.cache).filter((path) => path.includes('/src/batch/'))).to.deep.equal(before);
  });
});
