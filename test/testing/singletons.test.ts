import { expect } from 'chai';
import { FcFunction, OnInvoke } from '../../src';
import { container, injectAll, singleton } from 'tsyringe';
import { createTestKernel } from '../../src/testing';

/** A pool the application declares once per process, closed when its container is disposed. */
@singleton()
class ConnectionPool {
  private static opened = 0;
  readonly id = ++ConnectionPool.opened;
  closed = false;
  dispose(): void {
    this.closed = true;
  }
}

@FcFunction({ name: 'kit-singletons' })
class UsesPool {
  constructor(private readonly pool: ConnectionPool) {}
  @OnInvoke()
  handle(): { id: number; closed: boolean } {
    return { id: this.pool.id, closed: this.pool.closed };
  }
}

const PLUGIN = Symbol('kit-singletons-plugin');
class FirstPlugin {
  readonly name = 'first';
}
class SecondPlugin {
  readonly name = 'second';
}
container.registerSingleton(PLUGIN, FirstPlugin);
container.registerSingleton(PLUGIN, SecondPlugin);

@FcFunction({ name: 'kit-plugins' })
class UsesPlugins {
  constructor(@injectAll(PLUGIN) private readonly plugins: { name: string }[]) {}
  @OnInvoke()
  handle(): string[] {
    return this.plugins.map((p) => p.name);
  }
}

describe('fc-kernel/testing: singletons', () => {
  it('two test kernels in turn: the second gets a pool of its own, not the one the first closed', async () => {
    const first = createTestKernel(UsesPool);
    const one = await first.invoke<{ id: number; closed: boolean }>();
    await first.close();
    const second = createTestKernel(UsesPool);
    try {
      const two = await second.invoke<{ id: number; closed: boolean }>();
      expect(one.body.closed).to.equal(false);
      expect(two.body).to.deep.equal({ id: two.body.id, closed: false });
      expect(two.body.id).to.not.equal(one.body.id);
    } finally {
      await second.close();
    }
  });

  it('two test kernels at once: closing one leaves the other its pool; the global container keeps none of theirs', async () => {
    const a = createTestKernel(UsesPool);
    const b = createTestKernel(UsesPool);
    const [fromA, fromB] = [await a.invoke<{ id: number }>(), await b.invoke<{ id: number }>()];
    expect(fromA.body.id).to.not.equal(fromB.body.id);
    await a.close();
    expect((await b.invoke<{ closed: boolean }>()).body.closed).to.equal(false);
    await b.close();
    const global = container.resolve(ConnectionPool);
    expect([fromA.body.id, fromB.body.id]).to.not.include(global.id);
  });

  it("every registration of a token is the test kernel's own, so @injectAll still sees them all", async () => {
    const tk = createTestKernel(UsesPlugins);
    try {
      expect((await tk.invoke()).body).to.deep.equal(['first', 'second']);
    } finally {
      await tk.close();
    }
  });

  it('an override of a singleton wins over the copy', async () => {
    const replacement = Object.assign(new ConnectionPool(), { id: -1 });
    const tk = createTestKernel(UsesPool, { overrides: [[ConnectionPool, { useValue: replacement }]] });
    try {
      expect((await tk.invoke<{ id: number }>()).body.id).to.equal(-1);
    } finally {
      await tk.close();
    }
  });
});
