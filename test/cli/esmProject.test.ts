import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { cli, PROJECT_ROOT } from './helpers';

const TSC = join(PROJECT_ROOT, 'node_modules/tsc7/bin/tsc');

/** An ESM project's files: a DTO, an injected service, a function; two main modules. */
const SOURCES: Record<string, string> = {
  'src/index.ts': `import 'reflect-metadata';
import { Event, FcFunction, OnInvoke } from 'fc-kernel';
import { injectable } from 'tsyringe';
import { IsString } from 'class-validator';

export class Greeting {
  @IsString() name!: string;
}

@injectable()
export class Greeter {
  greet(name: string): string {
    return \`hello \${name}\`;
  }
}

@FcFunction({ name: 'hello' })
export class Hello {
  constructor(private readonly greeter: Greeter) {}

  @OnInvoke()
  handle(@Event() greeting: Greeting): string {
    return this.greeter.greet(greeting.name);
  }
}
`,
  'src/awaiting.ts': `export { Hello } from './index.js';
export const settings = await Promise.resolve({ region: 'cn-hangzhou' });
`,
  'src/main.ts': `import { serve } from 'fc-kernel';
import { Hello } from './index.js';
void serve(Hello);
`,
  'src/awaitingMain.ts': `import { serve } from 'fc-kernel';
import { Hello } from './index.js';
await serve(Hello);
`,
};

describe('an ESM project ("type": "module", module nodenext)', function () {
  this.timeout(60_000);
  let project: string;

  before(async () => {
    project = realpathSync(mkdtempSync(join(tmpdir(), 'fc-kernel-esm-')));
    mkdirSync(join(project, 'node_modules'));
    mkdirSync(join(project, 'src'));
    for (const name of ['class-validator', 'reflect-metadata', 'tsyringe', 'class-transformer', 'esbuild', '@types']) {
      symlinkSync(join(PROJECT_ROOT, 'node_modules', name), join(project, 'node_modules', name));
    }
    symlinkSync(PROJECT_ROOT, join(project, 'node_modules/fc-kernel'));
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'esm-app', private: true, type: 'module' }));
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'nodenext',
          moduleResolution: 'nodenext',
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
    for (const [file, text] of Object.entries(SOURCES)) writeFileSync(join(project, file), text);
    await promisify(execFile)(process.execPath, [TSC, '-p', project]);
  });

  after(() => rmSync(project, { recursive: true, force: true }));

  it('invoke: its entry loads, with decorator metadata, injection and validation', async () => {
    const ok = await cli(['invoke', 'dist/index.js', '-e', '-'], { cwd: project, stdin: '{"name":"Ada"}' });
    expect(ok.code, ok.stderr).to.equal(0);
    expect(ok.stdout).to.equal('hello Ada\n');
    const invalid = await cli(['invoke', 'dist/index.js', '-e', '-'], { cwd: project, stdin: '{"name":1}' });
    expect(invalid.code).to.equal(1);
    expect(JSON.parse(invalid.stdout)).to.include({ errorType: 'ValidationError' });
  });

  it('build: bundles its main module into a CommonJS bundle', async () => {
    const run = await cli(['build', 'dist/main.js', '--out', 'bundle', '--no-code-cache'], { cwd: project });
    expect(run.code, run.stderr).to.equal(0);
  });

  it('invoke and serve: an entry with top-level await is refused with what to do', async () => {
    const run = await cli(['invoke', 'dist/awaiting.js'], { cwd: project });
    expect(run.code).to.equal(2);
    expect(run.stderr).to.include(
      'dist/awaiting.js (or a module it imports) awaits at its top level, so it cannot be loaded with require(), as fc-kernel loads entries: an entry only declares functions; move the awaited work into an @OnInitialize() hook',
    );
    expect(run.stderr).to.not.include('standard (TC39) decorators');
  });

  it('build: a main module with top-level await is refused with what to do', async () => {
    const run = await cli(['build', 'dist/awaitingMain.js', '--out', 'bundle2', '--no-code-cache'], { cwd: project });
    expect(run.code).to.equal(1);
    expect(run.stderr).to.include('Top-level await is currently not supported');
    expect(run.stderr).to.include(
      'fc-kernel build makes a CommonJS bundle (V8 caches its compiled code only for those), where nothing can await at the top level: write void serve(...) in main (serve() needs no await), and move other awaited work into an @OnInitialize() hook',
    );
  });
});
