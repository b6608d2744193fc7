import { expect } from 'chai';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI_MAIN, PROJECT_ROOT, servingPort, startProcess, stopClis } from './helpers';

const TSC = join(PROJECT_ROOT, 'node_modules/tsc7/bin/tsc');

/** A function answering `version`. */
function source(version: string): string {
  return `import { FcFunction, OnInvoke, OnPreStop, Ctx, type FcContext } from 'fc-kernel';

@FcFunction({ name: 'versioned' })
export class Versioned {
  @OnInvoke()
  handle(): string {
    return '${version}';
  }

  @OnPreStop()
  stop(@Ctx() ctx: FcContext): void {
    ctx.logger.info('pre-stop of ${version}');
  }
}
`;
}

async function answerOf(port: number): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/invoke`, { method: 'POST' });
  return res.text();
}

describe('fc-kernel serve --watch', () => {
  let project: string;

  beforeEach(() => {
    project = realpathSync(mkdtempSync(join(tmpdir(), 'fc-kernel-watch-')));
    mkdirSync(join(project, 'node_modules'));
    mkdirSync(join(project, 'src'));
    for (const name of ['class-validator', 'reflect-metadata', 'tsyringe', 'class-transformer', '@types']) {
      symlinkSync(join(PROJECT_ROOT, 'node_modules', name), join(project, 'node_modules', name));
    }
    symlinkSync(PROJECT_ROOT, join(project, 'node_modules/fc-kernel'));
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name: 'watched', private: true, scripts: { build: `node ${TSC} -p .` } }),
    );
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'commonjs',
          strict: true,
          experimentalDecorators: true,
          emitDecoratorMetadata: true,
          outDir: 'dist',
          rootDir: 'src',
          skipLibCheck: true,
          types: ['node'],
        },
        include: ['src'],
      }),
    );
    writeFileSync(join(project, 'src/index.ts'), source('v1'));
  });

  afterEach(async () => {
    await stopClis();
    rmSync(project, { recursive: true, force: true });
  });

  it('builds, serves, and on a source change rebuilds and restarts on the same port with the new code', async function () {
    this.timeout(60_000);
    const run = startProcess(process.execPath, [CLI_MAIN, 'serve', '--watch', 'dist/index.js'], {
      cwd: project,
      env: { FC_CUSTOM_LISTEN_PORT: '0' },
    });
    const { port } = await servingPort(run);
    expect(await answerOf(port)).to.equal('v1');

    writeFileSync(join(project, 'src/index.ts'), source('v2'));
    let answer = '';
    for (const started = Date.now(); answer !== 'v2' && Date.now() - started < 40_000;) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      answer = await answerOf(port).catch(() => '');
    }
    expect(answer, run.stderr()).to.equal('v2');
    // The old server stopped as FC stops an instance: its pre-stop ran.
    expect(run.stdout()).to.include('[INFO] pre-stop of v1');
    expect(run.stderr()).to.match(/src\/index\.ts changed: rebuilding/);
    expect(run.stderr()).to.include(`restarted on port ${port}`);

    // A change that does not build leaves the running server alone.
    writeFileSync(join(project, 'src/index.ts'), source('v3').replace("return 'v3';", 'return 3;'));
    for (const started = Date.now(); !run.stderr().includes('the build failed') && Date.now() - started < 40_000;) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(run.stderr()).to.include('the build failed: the server goes on with the code it has');
    expect(run.stderr()).to.include('TS2322');
    expect(await answerOf(port)).to.equal('v2');

    run.child.kill('SIGTERM');
    expect(await run.exited).to.deep.include({ code: 0 });
    expect(run.stdout()).to.include('[INFO] pre-stop of v2');
  });

  it('refuses a project without a build script', async () => {
    writeFileSync(join(project, 'package.json'), '{"name":"watched","private":true}');
    const run = startProcess(process.execPath, [CLI_MAIN, 'serve', '--watch', 'dist/index.js'], { cwd: project });
    const { code } = await run.exited;
    expect(code).to.equal(2);
    expect(run.stderr()).to.include('--watch rebuilds with `npm run build`');
  });
});
