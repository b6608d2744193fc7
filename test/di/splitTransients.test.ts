import { expect } from 'chai';
import {
  createKernel,
  FcFunction,
  Inject,
  injectable,
  Lifecycle,
  OnInitialize,
  OnInvoke,
  singleton,
  type Constructor,
} from '../../src';
import { formatInspection } from '../../src/cli/formatInspection';
import { describeFunctions } from '../../src/plan/describeFunctions';
import { ProvidedFunction } from '../cli/fixtures/provided';

@injectable()
class Config {
  region = '';
  load(): void {
    this.region = 'cn-hangzhou';
  }
}

@injectable()
class Reporter {
  constructor(readonly config: Config) {}
}

/** The boot warnings a kernel of `fn` logs, and those inspect lists. */
function warningsOf(fn: Constructor): { logged: string[]; described: string[]; printed: string } {
  const lines: string[] = [];
  const kernel = createKernel({ functions: [fn], logSink: (line) => lines.push(line) });
  void kernel.close();
  const description = describeFunctions({ functions: [fn] });
  return {
    logged: lines.filter((line) => line.includes('[WARN]')),
    described: description.functions[0]!.warnings,
    printed: formatInspection('entry.js', description),
  };
}

describe('a transient service the hooks and a handler each get one of', () => {
  it("is one log line at boot, and inspect's warning: the constructor's and a service's", async () => {
    @FcFunction({ name: 'split' })
    class Split {
      constructor(
        readonly config: Config,
        readonly reporter: Reporter,
      ) {}
      @OnInitialize() init() {
        this.config.load();
      }
      @OnInvoke() handle() {
        return { hooks: this.config.region, service: this.reporter.config.region };
      }
    }
    // What the warning is about: two instances, the service's never loaded.
    const kernel = createKernel({ functions: [Split], logSink: () => undefined });
    const res = await kernel.dispatch({ method: 'POST', path: '/invoke', headers: {}, body: '{}' });
    expect(JSON.parse(res.body.toString())).to.deep.equal({ hooks: 'cn-hangzhou', service: '' });
    await kernel.close();

    const { logged, described, printed } = warningsOf(Split);
    expect(logged).to.have.length(1);
    expect(logged[0]).to.match(
      / - \[WARN\] Config is transient \(tsyringe's default\), so Split constructor parameter 0 \(Config\), which the hooks use, and Split constructor parameter 1 \(Reporter\) → Config each get an instance of their own/,
    );
    expect(logged[0]).to.contain(
      'declare it @singleton(), or provide it with { options: { lifecycle: Lifecycle.Singleton } }',
    );
    expect(described).to.have.length(1);
    expect(logged[0]).to.contain(described[0]);
    expect(printed).to.contain(`  warning  ${described[0]}`);
  });

  it("names a handler's @Inject() that gets another instance", () => {
    @FcFunction({ name: 'handler-split' })
    class HandlerSplit {
      constructor(readonly config: Config) {}
      @OnInitialize() init() {
        this.config.load();
      }
      @OnInvoke() handle(@Inject(Reporter) reporter: Reporter) {
        return reporter.config.region;
      }
    }
    const { described } = warningsOf(HandlerSplit);
    expect(described).to.have.length(1);
    expect(described[0]).to.contain('HandlerSplit.handle parameter 0 (Reporter) → Config each get');
  });

  it('is silent when the class is shared: provided as a singleton, or @singleton()', () => {
    expect(warningsOf(ProvidedFunction).described).to.deep.equal([]);

    @singleton()
    class SharedConfig {
      region = '';
    }
    @injectable()
    class SharedReporter {
      constructor(readonly config: SharedConfig) {}
    }
    @FcFunction({ name: 'shared' })
    class Shared {
      constructor(
        readonly config: SharedConfig,
        readonly reporter: SharedReporter,
      ) {}
      @OnInvoke() handle() {}
    }
    expect(warningsOf(Shared).described).to.deep.equal([]);
  });

  it('is silent for a transient class made once, or only below other services', () => {
    @FcFunction({
      name: 'once',
      providers: [{ token: Reporter, useClass: Reporter, options: { lifecycle: Lifecycle.Singleton } }],
    })
    class Once {
      constructor(readonly reporter: Reporter) {}
      @OnInvoke() handle(@Inject(Reporter) again: Reporter) {
        return again === this.reporter;
      }
    }
    expect(warningsOf(Once).logged).to.deep.equal([]);
  });
});
