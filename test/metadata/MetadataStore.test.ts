import { expect } from 'chai';
import { createKernel, MetadataStore, type Constructor } from '../../src';
import { createTestKernel } from '../../src/testing';
import { okBody } from '../helpers/answers';

describe('MetadataStore', () => {
  class Base {
    handle(): string {
      return 'base';
    }
    init(): void {}
  }
  class Derived extends Base {
    override handle(): string {
      return 'derived';
    }
  }
  class Unrelated {
    handle(): void {}
  }

  function storeWithRecords(): MetadataStore {
    const store = new MetadataStore();
    store.addFunction({ target: Derived, options: { name: 'derived' } });
    store.addHook({ target: Base, method: 'handle', kind: 'invoke', options: {} });
    store.addHook({ target: Base, method: 'init', kind: 'initialize', options: {} });
    store.addHook({ target: Unrelated, method: 'handle', kind: 'invoke', options: {} });
    store.addParam({ target: Base, method: 'handle', index: 0, kind: 'context' });
    store.addParam({ target: Base, method: 'init', index: 0, kind: 'context' });
    return store;
  }

  it('answers the records of a class, inherited ones included', () => {
    const store = storeWithRecords();
    expect(store.functionOf(Derived)).to.deep.equal({ target: Derived, options: { name: 'derived' } });
    expect(store.functionOf(Base)).to.equal(undefined);
    expect(store.hooksOf(Derived).map((h) => `${h.kind}:${h.method}`)).to.deep.equal([
      'invoke:handle',
      'initialize:init',
    ]);
    expect(store.hooksOf(Unrelated)).to.have.length(1);
    expect(store.paramsOf(Derived, 'handle')).to.deep.equal([
      { target: Base, method: 'handle', index: 0, kind: 'context' },
    ]);
    expect(store.paramsOf(Derived, 'other')).to.deep.equal([]);
  });

  it("takes a method's parameters from the nearest class that decorates them", () => {
    const store = storeWithRecords();
    store.addParam({ target: Derived, method: 'handle', index: 0, kind: 'headers', name: 'x-fc-region' });
    store.addParam({ target: Derived, method: 'handle', index: 1, kind: 'context' });
    expect(store.paramsOf(Derived, 'handle').map((p) => p.kind)).to.deep.equal(['headers', 'context']);
    expect(store.paramsOf(Base, 'handle').map((p) => p.kind)).to.deep.equal(['context']);
    expect(store.paramsOf(Derived, 'init').map((p) => p.target)).to.deep.equal([Base]);
  });

  it('forgets everything on reset', () => {
    const store = storeWithRecords();
    store.reset();
    expect(store.functionOf(Derived)).to.equal(undefined);
    expect(store.hooksOf(Derived)).to.deep.equal([]);
    expect(store.paramsOf(Base, 'handle')).to.deep.equal([]);
  });

  it('is what a kernel compiles when given as metadata, instead of the decorators’ store', async () => {
    const store = new MetadataStore();
    class Hand {
      handle(event: unknown): object {
        return { got: event };
      }
    }
    store.addFunction({ target: Hand as Constructor, options: { name: 'by-hand' } });
    store.addHook({ target: Hand, method: 'handle', kind: 'invoke', options: { event: Object } });
    const tk = createTestKernel(Hand, { metadata: store });
    expect(tk.kernel.functionNames).to.deep.equal(['by-hand']);
    expect(okBody(await tk.invoke('{"x":1}'))).to.deep.equal({ got: { x: 1 } });
    // The process-wide store never saw Hand.
    expect(() => createKernel({ functions: [Hand], logSink: () => undefined, env: {} })).to.throw(/@FcFunction/);
    await tk.close();
  });
});
