import { expect } from 'chai';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installApp, packFreshClone, PROJECT_ROOT, repositoryPackage, run, runOk, TSC, type Packed } from './packing';

/** Every `.ts` source of src/, as paths relative to it, without the extension. */
function sourceModules(dir = join(PROJECT_ROOT, 'src'), prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) return sourceModules(join(dir, entry.name), `${prefix}${entry.name}/`);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [prefix + entry.name.slice(0, -3)] : [];
  });
}

describe('the package, packed and installed in a project of its own', () => {
  let work: string;
  let packed: Packed;
  let app: string;

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'fc-kernel-package-'));
    packed = await packFreshClone(work);
    app = join(work, 'app');
    cpSync(join(PROJECT_ROOT, 'test/package/app'), app, { recursive: true });
    await installApp(app, packed.tarball, { '@types/node': repositoryPackage().devDependencies['@types/node']! });
  });

  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  describe('npm pack on a fresh clone', () => {
    it('builds first, and ships the compiled code with declarations and source maps', () => {
      for (const module of sourceModules()) {
        for (const suffix of ['.js', '.d.ts', '.js.map']) {
          expect(packed.files, module + suffix).to.include(`dist/src/${module}${suffix}`);
        }
      }
      expect(packed.files).to.include('dist/src/testing/index.d.ts');
    });

    it("ships nothing else but init's project template, the README, the licence and package.json", () => {
      const shipped = packed.files.filter((file) => !file.startsWith('templates/project/'));
      const others = shipped.filter((file) => !file.startsWith('dist/src/'));
      expect(others.sort()).to.deep.equal(['LICENSE', 'README.md', 'package.json']);
      const compiledOnly = shipped.filter((file) => !/\.(js|d\.ts|js\.map)$/.test(file));
      expect(compiledOnly.sort()).to.deep.equal(['LICENSE', 'README.md', 'package.json']);
    });

    it('ships its bin executable, and no other file', () => {
      expect(packed.executables).to.deep.equal([repositoryPackage().bin['fc-kernel']]);
    });

    it('carries the TypeScript sources inside its source maps', () => {
      const map = JSON.parse(
        readFileSync(join(app, 'node_modules/fc-kernel/dist/src/kernel/Kernel.js.map'), 'utf8'),
      ) as {
        sourcesContent?: string[];
      };
      expect(map.sourcesContent?.[0]).to.equal(readFileSync(join(PROJECT_ROOT, 'src/kernel/Kernel.ts'), 'utf8'));
    });
  });

  describe('npm install', () => {
    it('installs one copy of each peer, shared by the app and fc-kernel', () => {
      const installed = JSON.parse(readFileSync(join(app, 'node_modules/fc-kernel/package.json'), 'utf8')) as {
        dependencies?: object;
        peerDependencies: Record<string, string>;
      };
      expect(installed.dependencies).to.equal(undefined);
      expect(Object.keys(installed.peerDependencies).sort()).to.deep.equal([
        // Optional: OpenTelemetry, for fc-kernel/telemetry.
        '@opentelemetry/api',
        '@opentelemetry/context-async-hooks',
        '@opentelemetry/core',
        '@opentelemetry/exporter-metrics-otlp-http',
        '@opentelemetry/exporter-metrics-otlp-proto',
        '@opentelemetry/exporter-trace-otlp-http',
        '@opentelemetry/exporter-trace-otlp-proto',
        '@opentelemetry/resources',
        '@opentelemetry/sdk-metrics',
        '@opentelemetry/sdk-trace',
        'class-transformer',
        'class-validator',
        // Optional: fc-kernel build's bundler.
        'esbuild',
        // Optional: RedisIdempotencyStore's client, which this app does not install.
        'redis',
        'reflect-metadata',
        'tsyringe',
      ]);
      expect(existsSync(join(app, 'node_modules/redis'))).to.equal(false);
      for (const peer of Object.keys(installed.peerDependencies).filter((name) => name !== 'redis')) {
        expect(existsSync(join(app, 'node_modules', peer)), peer).to.equal(true);
        expect(existsSync(join(app, 'node_modules/fc-kernel/node_modules', peer)), `a second ${peer}`).to.equal(false);
      }
    });

    it('exports fc-kernel, fc-kernel/testing, fc-kernel/events, fc-kernel/telemetry, fc-kernel/idempotency and fc-kernel/package.json, and nothing deeper', async () => {
      const script = `
        const tryResolve = (id) => { try { return require.resolve(id).replace(/.*node_modules\\//, ''); } catch (e) { return e.code; } };
        console.log(JSON.stringify(['fc-kernel', 'fc-kernel/testing', 'fc-kernel/package.json',
          'fc-kernel/dist/src/kernel/Kernel.js', 'fc-kernel/events', 'fc-kernel/telemetry', 'fc-kernel/idempotency'].map(tryResolve)));`;
      const { stdout } = await runOk(process.execPath, ['-e', script], app);
      expect(JSON.parse(stdout)).to.deep.equal([
        'fc-kernel/dist/src/index.js',
        'fc-kernel/dist/src/testing/index.js',
        'fc-kernel/package.json',
        'ERR_PACKAGE_PATH_NOT_EXPORTED',
        'fc-kernel/dist/src/events/index.js',
        'fc-kernel/dist/src/telemetry/index.js',
        'fc-kernel/dist/src/idempotency/index.js',
      ]);
    });

    it('loads fc-kernel/idempotency without redis, an optional peer, and names it when a store needs it', async () => {
      const script = `
        const { MemoryIdempotencyStore, RedisIdempotencyStore } = require('fc-kernel/idempotency');
        new MemoryIdempotencyStore();
        try { new RedisIdempotencyStore({ url: 'redis://127.0.0.1:1' }); } catch (e) { console.log(e.code, e.message); }`;
      const { stdout } = await runOk(process.execPath, ['-e', script], app);
      expect(stdout.trim()).to.equal(
        'MISSING_PEER_DEPENDENCY RedisIdempotencyStore({ url }) connects with node-redis, which is not installed: npm install redis',
      );
    });
  });

  describe("a user's TypeScript project", () => {
    it("compiles against the installed declarations, the peers' included (skipLibCheck off)", async () => {
      const compiled = await run(process.execPath, [TSC, '-p', 'tsconfig.json'], app);
      expect(compiled.code, compiled.stdout + compiled.stderr).to.equal(0);
      expect(existsSync(join(app, 'dist/check.js'))).to.equal(true);
    });

    it('fails to compile a wrong use of the kit: the declarations are typed', async () => {
      const wrong = join(work, 'wrong');
      cpSync(join(app, 'src'), join(wrong, 'src'), { recursive: true });
      cpSync(join(app, 'tsconfig.json'), join(wrong, 'tsconfig.json'));
      symlinkSync(join(app, 'node_modules'), join(wrong, 'node_modules'), 'dir');
      writeFileSync(
        join(wrong, 'src/wrong.ts'),
        [
          "import { createTestKernel } from 'fc-kernel/testing';",
          "import { CountItems } from './countItems';",
          'createTestKernel([CountItems], { headerz: {} });',
          "createTestKernel(CountItems, { overrides: [['token']] });",
          "void createTestKernel(CountItems).invoke({}, { timeoutSeconds: '3' });",
          '',
        ].join('\n'),
      );
      const compiled = await run(process.execPath, [TSC, '-p', 'tsconfig.json', '--noEmit'], wrong);
      expect(compiled.code).to.not.equal(0);
      const lines = compiled.stdout.split('\n').filter((line) => line.startsWith('src/wrong.ts'));
      expect(
        lines.map((line) => /^src\/wrong\.ts\((\d+),/.exec(line)?.[1]),
        compiled.stdout,
      ).to.deep.equal(['3', '4', '5']);
      expect(lines[0]).to.include("'headerz'");
      expect(lines[2]).to.include("Type 'string' is not assignable to type 'number'");
    });

    it('runs its function through the installed package: dispatch, the testing kit, an override', async function () {
      if (!existsSync(join(app, 'dist/check.js'))) this.skip();
      const ran = await run(process.execPath, ['dist/check.js'], app);
      expect(ran.code, ran.stderr).to.equal(0);
      const seen = JSON.parse(ran.stdout) as Record<string, any>;
      expect(seen.dispatched).to.deep.equal({ statusCode: 200, body: '{"orderId":"A-1","items":5}' });
      expect(seen.tested.ok).to.equal(true);
      expect(seen.tested.body).to.deep.equal({ orderId: 'A-1', items: 5 });
      expect(seen.tested.logs).to.have.length(3);
      expect(seen.tested.logs[0]).to.equal('FC Invoke Start RequestId: kit-1');
      expect(seen.tested.logs[1]).to.match(/^\S+Z kit-1 \[INFO\] order A-1$/);
      expect(seen.invalid).to.deep.equal({ xFcStatus: 404, paths: ['lines.0.quantity'] });
      expect(seen.overridden).to.deep.equal({ orderId: 'A-1', items: 10 });
      expect(seen.contextLogs).to.have.length(1);
      expect(seen.contextLogs[0]).to.match(/ unit-1 \[INFO\] unit$/);
      expect(seen.timerFixture).to.include({ triggerName: 'nightly' });
    });

    it('bundles its function with npx fc-kernel build, and the bundle runs without node_modules', async function () {
      if (!existsSync(join(app, 'dist/countItems.js'))) this.skip();
      await runOk('npx', ['fc-kernel', 'build', 'dist/countItems.js', '--out', 'bundle'], app);
      const alone = join(work, 'alone');
      cpSync(join(app, 'bundle'), alone, { recursive: true });
      const event = JSON.stringify({ orderId: 'A-2', lines: [{ sku: 'S', quantity: 3 }] });
      const ran = await run(process.execPath, ['index.js'], alone, { FC_CUSTOM_CONTAINER_EVENT: event });
      expect(ran.code, ran.stderr).to.equal(0);
      expect(ran.stdout.trimEnd().split('\n').at(-1)).to.equal('{"orderId":"A-2","items":3}');
    });
  });
});
