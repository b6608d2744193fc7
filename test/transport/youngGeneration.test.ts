import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ConfigurationError, FcFunction, OnInvoke, serve } from '../../src';
import { DEFAULT_YOUNG_GENERATION_MIB } from '../../src/transport/youngGeneration';
import { collectOutput } from '../helpers/collectedProcess';

const FIXTURE = join(__dirname, '..', 'fixtures', 'youngGeneration.js');
const MIB = 1024 * 1024;
/** Two semi-spaces of the default size: the most the young generation may hold under serve(). */
const CAPPED = 2 * DEFAULT_YOUNG_GENERATION_MIB * MIB;

/** Runs the fixture in a process of its own (the limit is process-wide) and answers what it printed. */
async function youngGenerationOf(mode: string, nodeOptions: string[] = []): Promise<Record<string, number>> {
  const run = collectOutput(
    spawn(process.execPath, [...nodeOptions, FIXTURE, mode], { stdio: ['ignore', 'pipe', 'pipe'] }),
  );
  const { code } = await run.exited;
  expect(code, run.stderr()).to.equal(0);
  return JSON.parse(run.stdout()) as Record<string, number>;
}

@FcFunction({ name: 'idle' })
class Idle {
  @OnInvoke()
  invoke(): string {
    return 'ok';
  }
}

describe("serve() and V8's young generation", function () {
  this.timeout(30_000);

  it('the workload alone grows the young generation past the limit: the other cases can tell', async () => {
    const { largest } = await youngGenerationOf('none');
    expect(largest).to.be.greaterThan(CAPPED);
  });

  it('holds it at 4 MiB per semi-space while the server of serve() runs', async () => {
    const { largest } = await youngGenerationOf('serve');
    expect(largest).to.be.at.most(CAPPED);
  });

  it('gives way while megabytes survive each scavenge, as when many requests in flight await', async () => {
    const { largest } = await youngGenerationOf('serve-busy');
    expect(largest).to.be.greaterThan(CAPPED);
  });

  it('leaves V8 alone with youngGenerationMiB: false, or when Node.js was started with --max-semi-space-size', async () => {
    expect((await youngGenerationOf('serve-off')).largest).to.be.greaterThan(CAPPED);
    expect((await youngGenerationOf('serve', ['--max-semi-space-size=16'])).largest).to.be.greaterThan(CAPPED);
  });

  it('leaves V8 alone when the application sized it with v8.setFlagsFromString, before serve() or while it runs', async () => {
    expect((await youngGenerationOf('flags-before')).largest).to.be.greaterThan(CAPPED);
    expect((await youngGenerationOf('flags-during')).largest).to.be.greaterThan(CAPPED);
  });

  it('lets V8 grow it again once released', async () => {
    const { capped, released } = await youngGenerationOf('released');
    expect(capped).to.be.at.most(CAPPED);
    expect(released).to.be.greaterThan(CAPPED);
  });

  for (const value of [0, 2.5, -1, '4', true]) {
    it(`refuses youngGenerationMiB: ${JSON.stringify(value)} at boot`, async () => {
      const serving = serve({ functions: [Idle], port: 0, youngGenerationMiB: value as number, handleSignals: false });
      const error: unknown = await serving.then(
        () => expect.fail('serve() listened'),
        (e: unknown) => e,
      );
      expect(error).to.be.instanceOf(ConfigurationError).and.include({ code: 'INVALID_YOUNG_GENERATION' });
      expect((error as Error).message).to.include(`got ${String(value)}`);
    });
  }
});
