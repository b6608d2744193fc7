import { expect } from 'chai';
import {
  ConfigurationError,
  container,
  createKernel,
  FcFunction,
  inject,
  Inject,
  Lifecycle,
  OnInvoke,
  type InjectionToken,
} from '../../src';
import { describeFunctions } from '../../src/plan/describeFunctions';
import { cli, fixture } from '../cli/helpers';
import { GREETING, ProvidedFunction, Settings } from '../cli/fixtures/provided';
import { okBody } from '../helpers/answers';
import { useTestKernels } from '../helpers/testKernels';

const PROVIDED = fixture('provided');

describe('@FcFunction({ providers })', () => {
  const kernelOf = useTestKernels();

  it("registers in the kernel's root container: the constructor's tokens resolve, a singleton is shared", async () => {
    const tk = kernelOf([ProvidedFunction]);
    expect((await tk.initialize()).ok).to.equal(true);
    expect(okBody(await tk.invoke('{}'))).to.equal('hello from a provider (settings loaded 1 time(s))');
  });

  it("leaves tsyringe's global container alone", () => {
    kernelOf([ProvidedFunction]);
    expect(container.isRegistered(GREETING, true)).to.equal(false);
    expect(container.isRegistered(Settings, true)).to.equal(false);
  });

  it("gives way to the kernel's container: a test kernel's overrides replace a provider", async () => {
    const tk = kernelOf([ProvidedFunction], { overrides: [[GREETING, { useValue: { text: () => 'overridden' } }]] });
    await tk.initialize();
    expect(okBody(await tk.invoke('{}'))).to.equal('overridden (settings loaded 1 time(s))');
  });

  it('are defaults, under test as in production: what the kernel inherits wins, the global container too', async () => {
    const LABEL: InjectionToken<string> = Symbol('Label');
    @FcFunction({ name: 'labelled', providers: [{ token: LABEL, useValue: 'from the provider' }] })
    class Labelled {
      constructor(@inject(LABEL) readonly label: string) {}
      @OnInvoke() handle() {
        return this.label;
      }
    }
    const answerOf = async (kernel: ReturnType<typeof createKernel>) => {
      const res = await kernel.dispatch({ method: 'POST', path: '/invoke', headers: {}, body: '{}' });
      await kernel.close();
      return res.body.toString();
    };
    expect(await answerOf(createKernel({ functions: [Labelled], logSink: () => undefined }))).to.equal(
      'from the provider',
    );
    const services = container.createChildContainer();
    services.register(LABEL, { useValue: 'from the container option' });
    expect(
      await answerOf(createKernel({ functions: [Labelled], container: services, logSink: () => undefined })),
    ).to.equal('from the container option');
    // LABEL is this test's own symbol: its global registration reaches no other test.
    container.register(LABEL, { useValue: 'from the global container' });
    expect(await answerOf(createKernel({ functions: [Labelled], logSink: () => undefined }))).to.equal(
      'from the global container',
    );
    const tk = kernelOf([Labelled]);
    expect(okBody(await tk.invoke('{}'))).to.equal('from the global container');
  });

  it('serves a handler @Inject() token too, one per invocation when ContainerScoped', async () => {
    const REQUEST_COUNTER: InjectionToken<{ n: number }> = Symbol('RequestCounter');
    @FcFunction({
      name: 'scoped',
      providers: [
        {
          token: REQUEST_COUNTER,
          useClass: class {
            n = 0;
          },
          options: { lifecycle: Lifecycle.ContainerScoped },
        },
      ],
    })
    class Scoped {
      @OnInvoke() handle(@Inject(REQUEST_COUNTER) a: { n: number }, @Inject(REQUEST_COUNTER) b: { n: number }) {
        a.n++;
        return { same: a === b, n: b.n };
      }
    }
    const tk = kernelOf([Scoped]);
    expect(okBody(await tk.invoke('{}'))).to.deep.equal({ same: true, n: 1 });
    expect(okBody(await tk.invoke('{}'))).to.deep.equal({ same: true, n: 1 });
  });

  it('refuses two different registrations of a token in one kernel, and one tsyringe refuses', () => {
    const TOKEN: InjectionToken<string> = Symbol('Shared');
    const shared = { token: TOKEN, useValue: 'one' };
    @FcFunction({ name: 'a', providers: [shared] })
    class A {
      constructor(@inject(TOKEN) readonly value: string) {}
      @OnInvoke() handle() {}
    }
    @FcFunction({ name: 'b', providers: [shared] })
    class B {
      @OnInvoke() handle() {}
    }
    @FcFunction({ name: 'c', providers: [{ token: TOKEN, useValue: 'two' }] })
    class C {
      @OnInvoke() handle() {}
    }
    @FcFunction({
      name: 'd',
      providers: [{ token: TOKEN, useValue: 'x', options: { lifecycle: Lifecycle.Singleton } }],
    })
    class D {
      @OnInvoke() handle() {}
    }
    expect(() => createKernel({ functions: [A, B], logSink: () => undefined })).to.not.throw();
    const duplicate = catchError(() => createKernel({ functions: [A, C] }));
    expect(duplicate).to.deep.include({ code: 'DUPLICATE_PROVIDER', where: { className: 'C', property: 'providers' } });
    expect(duplicate.message).to.contain('which A provides otherwise');
    const invalid = catchError(() => createKernel({ functions: [D] }));
    expect(invalid.code).to.equal('INVALID_PROVIDER');
    expect(invalid.message).to.match(/^@FcFunction of D: tsyringe refuses its provider of Symbol\(Shared\)/);
  });

  it('are seen by the dependency check and by inspect', () => {
    const { problems, functions } = describeFunctions({ functions: [ProvidedFunction] });
    expect(problems).to.deep.equal([]);
    const [settings, greeter] = functions[0]!.services;
    expect(settings).to.deep.include({ token: 'Settings', registered: true, lifecycle: 'singleton' });
    expect(greeter!.dependencies![1]).to.deep.include({
      token: 'Symbol(Greeting)',
      provider: 'value',
      registered: true,
    });
  });

  it('make the entry work with fc-kernel invoke and inspect, with nothing registered elsewhere', async () => {
    const run = await cli(['invoke', PROVIDED, '--event', '-'], { stdin: '{}' });
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.equal('hello from a provider (settings loaded 1 time(s))\n');
    const inspected = await cli(['inspect', PROVIDED]);
    expect(inspected.code, inspected.stdout + inspected.stderr).to.equal(0);
  });
});

function catchError(run: () => unknown): ConfigurationError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigurationError) return error;
    throw error;
  }
  throw new Error('expected a ConfigurationError');
}
