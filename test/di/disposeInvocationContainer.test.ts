import { expect } from 'chai';
import { IsString } from 'class-validator';
import {
  createKernel,
  currentInvocation,
  Event,
  FC_CONTEXT,
  FcFunction,
  injectable,
  Lifecycle,
  OnInvoke,
  registry,
  type DependencyContainer,
} from '../../src';

class Note {
  @IsString()
  text!: string;
}

const disposed: string[] = [];

@injectable()
class ScopedResource {
  dispose(): void {
    disposed.push('scoped');
  }
}

@injectable()
class SharedResource {
  dispose(): void {
    disposed.push('singleton');
  }
}

let seen: DependencyContainer | undefined;

@FcFunction({ name: 'plain' })
class PlainFunction {
  @OnInvoke()
  handle(@Event() note: Note): string {
    seen = currentInvocation()!.container;
    return note.text;
  }
}

@FcFunction({ name: 'with-resources' })
@registry([
  { token: ScopedResource, useClass: ScopedResource, options: { lifecycle: Lifecycle.ContainerScoped } },
  { token: SharedResource, useClass: SharedResource, options: { lifecycle: Lifecycle.Singleton } },
])
class ResourceFunction {
  @OnInvoke()
  handle(@Event() note: Note): string {
    const container = currentInvocation()!.container;
    container.resolve(ScopedResource);
    container.resolve(SharedResource);
    return note.text;
  }
}

const invoke = { method: 'POST', path: '/invoke', body: '{"text":"hi"}' };

describe('the invocation container', () => {
  beforeEach(() => {
    disposed.length = 0;
    seen = undefined;
  });

  it('is disposed after an invocation that created nothing disposable', async () => {
    const kernel = createKernel({ functions: [PlainFunction], logSink: () => undefined });
    const res = await kernel.dispatch(invoke);
    expect(res.statusCode).to.equal(200);
    expect(seen).to.not.equal(undefined);
    expect(() => seen!.resolve(FC_CONTEXT)).to.throw(/disposed/);
    await kernel.close();
  });

  it('disposes container-scoped services and hands singletons to the root', async () => {
    const kernel = createKernel({ functions: [ResourceFunction], logSink: () => undefined });
    expect((await kernel.dispatch(invoke)).statusCode).to.equal(200);
    expect(disposed).to.deep.equal(['scoped']);
    expect((await kernel.dispatch(invoke)).statusCode).to.equal(200);
    expect(disposed).to.deep.equal(['scoped', 'scoped']);
    await kernel.close();
    expect(disposed).to.deep.equal(['scoped', 'scoped', 'singleton']);
  });
});
