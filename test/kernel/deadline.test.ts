import { expect } from 'chai';
import { TimeoutError } from '../../src';
import { timeoutSecondsOf, withDeadline } from '../../src/kernel/deadline';
import { deferred } from '../helpers/async';

describe('withDeadline', () => {
  it('settles as the work does when the work wins', async () => {
    const expirations: TimeoutError[] = [];
    const deadline = withDeadline(Promise.resolve('done'), 30, 'Function', (timeout) => expirations.push(timeout));
    try {
      expect(await deadline.promise).to.equal('done');
      expect(deadline.expired).to.equal(false);
      expect(expirations).to.deep.equal([]);
    } finally {
      deadline.cancel();
    }
  });

  it('runs onExpire, then rejects with a TimeoutError, when the time runs out first', async () => {
    const work = deferred<string>();
    const seen: string[] = [];
    const deadline = withDeadline(work.promise, 0.01, 'Initialization', (timeout) => {
      seen.push(`expired: ${timeout.message}`);
    });
    const error = await deadline.promise.then(
      () => undefined,
      (reason: unknown) => {
        seen.push('rejected');
        return reason;
      },
    );
    deadline.cancel();
    work.resolve('late');
    expect(error).to.be.instanceOf(TimeoutError);
    expect(seen).to.deep.equal(['expired: Initialization timed out after 0.01 seconds', 'rejected']);
    expect(deadline.expired).to.equal(true);
  });

  it('keeps `expired` a plain data property, not an accessor of its own', () => {
    // A per-object accessor makes V8 allocate its pair in the old generation, which then keeps
    // the invocation reachable from it alive through every young-generation GC.
    const deadline = withDeadline(Promise.resolve(1), 30, 'Function', () => undefined);
    deadline.cancel();
    const own = Object.getOwnPropertyDescriptor(deadline, 'expired');
    expect(own?.get).to.equal(undefined);
    expect(own?.value).to.equal(false);
  });
});

describe('timeoutSecondsOf', () => {
  it("takes the header's first valid value, within setTimeout's range", () => {
    expect(timeoutSecondsOf({ t: '1, 1' }, 't')).to.equal(1);
    expect(timeoutSecondsOf({ t: '1s' }, 't')).to.equal(1);
    expect(timeoutSecondsOf({ t: '86400' }, 't')).to.equal(86_400);
    // About 34.7 days: past setTimeout's 24.8, which would fire at once.
    expect(timeoutSecondsOf({ t: '3000000' }, 't')).to.equal(undefined);
    expect(timeoutSecondsOf({ t: 'soon' }, 't')).to.equal(undefined);
    expect(timeoutSecondsOf({}, 't')).to.equal(undefined);
  });
});
