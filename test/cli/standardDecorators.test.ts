import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ConfigurationError, FcFunction, OnInvoke } from '../../src';
import { cli, PROJECT_ROOT } from './helpers';

const TSC = join(PROJECT_ROOT, 'node_modules/tsc7/bin/tsc');

/** What a user writes, with or without a DTO declared before the function. */
function source(withDto: boolean): string {
  return `import { Ctx, Event, FcFunction, OnInvoke, type FcContext } from 'fc-kernel';
${withDto ? "import { IsString } from 'class-validator';\nexport class Greeting { @IsString() name!: string; }\n" : ''}
@FcFunction({ name: 'hello' })
export class Hello {
  @OnInvoke()
  handle(@Event() event: ${withDto ? 'Greeting' : 'object'}, @Ctx() ctx: FcContext): string {
    return 'hello';
  }
}
`;
}

const FLAGS_ADVICE =
  'set "experimentalDecorators": true and "emitDecoratorMetadata": true in the compilerOptions of tsconfig.json';

describe('decorators compiled as standard (TC39) decorators: a tsconfig without experimentalDecorators', () => {
  let project: string;

  before(async function () {
    this.timeout(60_000);
    project = realpathSync(mkdtempSync(join(tmpdir(), 'fc-kernel-tc39-')));
    mkdirSync(join(project, 'node_modules'));
    for (const name of [
      'fc-kernel',
      'class-validator',
      'reflect-metadata',
      'tsyringe',
      'class-transformer',
      '@types',
    ]) {
      symlinkSync(
        name === 'fc-kernel' ? PROJECT_ROOT : join(PROJECT_ROOT, 'node_modules', name),
        join(project, 'node_modules', name),
      );
    }
    writeFileSync(join(project, 'plain.ts'), source(false));
    writeFileSync(join(project, 'withDto.ts'), source(true));
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { target: 'ES2022', module: 'commonjs', strict: true, outDir: 'dist', skipLibCheck: true },
        files: ['plain.ts', 'withDto.ts'],
      }),
    );
    // tsc reports TS1240/TS1241/TS1206 and exits 2, but writes the JavaScript anyway: what users ran.
    const compiled = await promisify(execFile)(process.execPath, [TSC, '-p', project]).catch(
      (error: { stdout: string }) => error,
    );
    expect(compiled.stdout).to.include('TS1241');
  });

  after(() => rmSync(project, { recursive: true, force: true }));

  it('invoke names the tsconfig flags, not "has no @OnInvoke() method"', async () => {
    const run = await cli(['invoke', join(project, 'dist/plain.js')]);
    expect(run.code).to.equal(2);
    expect(run.stderr).to.include('@OnInvoke() on handle was compiled as a standard (TC39) decorator');
    expect(run.stderr).to.include(FLAGS_ADVICE);
    expect(run.stderr).to.not.include('has no @OnInvoke() method');
  });

  it('names them too when a DTO decorator fails first while the entry loads', async () => {
    const run = await cli(['invoke', join(project, 'dist/withDto.js')]);
    expect(run.code).to.equal(2);
    expect(run.stderr).to.include('compiled with standard (TC39) decorators');
    expect(run.stderr).to.include(FLAGS_ADVICE);
  });

  it('each fc-kernel decorator refuses a standard decorator call with ConfigurationError', () => {
    class Standard {
      handle(): void {}
    }
    const refused = (decorate: () => void) => {
      try {
        decorate();
      } catch (error) {
        return error;
      }
      return undefined;
    };
    const onInvoke = refused(() =>
      (OnInvoke() as unknown as (value: unknown, context: object) => void)(Standard.prototype.handle, {
        kind: 'method',
        name: 'handle',
      }),
    );
    expect(onInvoke).to.be.instanceOf(ConfigurationError).and.include({ code: 'STANDARD_DECORATORS' });
    expect((onInvoke as Error).message).to.include('@OnInvoke() on handle was compiled as a standard (TC39) decorator');
    const fcFunction = refused(() =>
      (FcFunction() as unknown as (value: unknown, context: object) => void)(Standard, {
        kind: 'class',
        name: 'Standard',
      }),
    );
    expect(fcFunction).to.be.instanceOf(ConfigurationError).and.include({ code: 'STANDARD_DECORATORS' });
  });
});
