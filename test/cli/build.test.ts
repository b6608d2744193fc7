import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';
import { MODULE_WRAPPER } from '../../src/cli/bundleLoader';
import { loadEsbuild } from '../../src/cli/loadEsbuild';
import { createTestKernel } from '../../src/testing';
import { CreateOrderFunction } from '../../samples/order-service/CreateOrderFunction';
import { SECOND_NODE_VERSION, secondNode } from '../helpers/secondNode';
import {
  cli,
  cleanEnv,
  fixture,
  ORDER_ACCEPTED,
  ORDER_EVENT,
  PROJECT_ROOT,
  servingPort,
  startProcess,
  stopClis,
  type CliProcess,
} from './helpers';

const INVALID_ORDER =
  '{"orderId":"A-1002","customerEmail":"ada@","items":[{"sku":"BOOK-1","quantity":0,"unitPrice":19.99}],"gift":true}';

/** The samples, each built from one of the two kinds of entry, and what they answer. */
const SAMPLES = {
  // The main module, which calls serve() itself.
  'order-service': {
    entry: 'dist/samples/order-service/main.js',
    event: readFileSync(join(PROJECT_ROOT, ORDER_EVENT), 'utf8'),
    answer: JSON.stringify(ORDER_ACCEPTED),
  },
  // The module that exports the functions, which the bundle serves.
  hello: { entry: 'dist/samples/hello/index.js', event: 'Ada', answer: 'Hello, Ada!' },
} as const;

let work: string;

function outDir(name: string): string {
  return join(work, name);
}

async function build(args: string[]) {
  return cli(['build', ...args], { env: cleanEnv() });
}

async function invoke(port: number, body: string, requestId = 'build-1') {
  const res = await fetch(`http://127.0.0.1:${port}/invoke`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream', 'x-fc-request-id': requestId },
    body,
  });
  return { status: res.status, fcStatus: res.headers.get('x-fc-status'), body: await res.text() };
}

/** Runs a bundle (its `index.js`, or the `bootstrap`) on FC_CUSTOM_LISTEN_PORT, as FC sets it. */
async function serveBundle(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ run: CliProcess; port: number }> {
  const run = startProcess(command, args, { cwd: work, env: { FC_CUSTOM_LISTEN_PORT: '0', ...env } });
  const { port } = await servingPort(run);
  return { run, port };
}

async function stop(run: CliProcess): Promise<void> {
  run.child.kill('SIGTERM');
  expect(await run.exited).to.deep.equal({ code: 0, signal: null });
}

describe('fc-kernel build <entry>', function () {
  // esbuild is fast; loading the bundle to record its code cache is a process start.
  this.timeout(60_000);

  before(() => (work = mkdtempSync(join(tmpdir(), 'fc-kernel-build-'))));
  after(() => rmSync(work, { recursive: true, force: true }));
  afterEach(stopClis);

  for (const [sample, { entry, event, answer }] of Object.entries(SAMPLES)) {
    describe(`samples/${sample} (${entry})`, () => {
      it('--target container: node <dir>/index.js serves it alone, on FC_CUSTOM_LISTEN_PORT', async () => {
        const out = outDir(`${sample}-container`);
        const built = await build([entry, '--out', out]);
        expect(built.code, built.stderr).to.equal(0);
        expect(built.stderr).to.equal('');
        expect(readdirSync(out).sort()).to.deep.equal([
          'bundle.cache',
          'bundle.cache.json',
          'bundle.js',
          'bundle.js.map',
          'index.js',
          'package.json',
        ]);
        const { run, port } = await serveBundle(process.execPath, [join(out, 'index.js')]);
        const res = await invoke(port, event);
        expect(res).to.deep.equal({ status: 200, fcStatus: '200', body: answer });
        expect(run.stdout()).to.include('FC Invoke End RequestId: build-1');
        await stop(run);
      });

      it('--target custom-runtime: the bootstrap FC starts runs it, on FC_CUSTOM_LISTEN_PORT', async () => {
        const out = outDir(`${sample}-custom-runtime`);
        const built = await build([entry, '--out', out, '--target', 'custom-runtime']);
        expect(built.code, built.stderr).to.equal(0);
        const bootstrap = join(out, 'bootstrap');
        expect(statSync(bootstrap).mode & 0o777).to.equal(0o755);
        expect(readFileSync(bootstrap, 'utf8')).to.match(/^#!\/bin\/bash\n/);
        const { run, port } = await serveBundle(bootstrap, []);
        const res = await invoke(port, event);
        expect(res).to.deep.equal({ status: 200, fcStatus: '200', body: answer });
        await stop(run);
      });
    });
  }

  // After the samples' builds, which mocha runs first: they are nested describes too.
  describe('the bundle', () => {
    it('answers an invalid event exactly as the unbundled sample does', async () => {
      const out = outDir('order-service-container');
      const { run, port } = await serveBundle(process.execPath, [join(out, 'index.js')]);
      const bundled = await invoke(port, INVALID_ORDER, 'build-invalid');
      await stop(run);
      const tk = createTestKernel(CreateOrderFunction);
      try {
        const unbundled = await tk.invoke(INVALID_ORDER, { requestId: 'build-invalid' });
        expect(bundled).to.deep.equal({ status: 404, fcStatus: '404', body: unbundled.raw.toString('utf8') });
      } finally {
        await tk.close();
      }
    });

    it('bundles fc-kernel/idempotency and its Redis client only into a function that uses them', () => {
      const hello = readFileSync(join(outDir('hello-container'), 'bundle.js'), 'utf8');
      expect(hello).to.not.match(/^\/\/ dist\/src\/idempotency\//m);
      expect(hello).to.not.include('node_modules/@redis/');
      const order = readFileSync(join(outDir('order-service-container'), 'bundle.js'), 'utf8');
      expect(order).to.match(/^\/\/ dist\/src\/idempotency\/makeIdempotent\.js$/m);
      expect(order).to.match(/^\/\/ node_modules\/@redis\/client\//m);
    });

    it('leaves out what the app does not use of class-validator: libphonenumber-js comes with @IsPhoneNumber only', async () => {
      const order = readFileSync(join(outDir('order-service-container'), 'bundle.js'), 'utf8');
      expect(order).to.not.include('libphonenumber-js');
      expect(order).to.not.include('function isPhoneNumber');
      expect(order).to.include('function isEmail');

      const out = outDir('phone');
      const built = await build([fixture('phone'), '--out', out, '--no-code-cache']);
      expect(built.code, built.stderr).to.equal(0);
      expect(built.stdout).to.match(/bundled .*libphonenumber-js/);
      const runEvent = async (contact: object) => {
        const run = startProcess(process.execPath, [join(out, 'index.js')], {
          cwd: work,
          env: { FC_CUSTOM_CONTAINER_EVENT: JSON.stringify(contact) },
        });
        const { code } = await run.exited;
        return { code, stdout: run.stdout(), stderr: run.stderr() };
      };
      const valid = await runEvent({ phone: '+86 138 0013 8000' });
      expect(valid.code, valid.stderr).to.equal(0);
      expect(valid.stdout.trimEnd().split('\n').at(-1)).to.equal('ok +86 138 0013 8000');
      const invalid = await runEvent({ phone: '12345' });
      expect(invalid.code).to.equal(1);
      expect(JSON.parse(invalid.stderr.trimEnd().split('\n').at(-1)!)).to.deep.include({
        errorType: 'ValidationError',
        errors: [{ path: 'phone', constraints: { isPhoneNumber: 'phone must be a valid phone number' } }],
      });
    });

    it('keeps class names, which the kernel and its messages use', async () => {
      // ES modules share one scope in a bundle: esbuild renames the second Greeter to bundle it.
      const app = join(work, 'names');
      mkdirSync(app, { recursive: true });
      const fcKernel = JSON.stringify(join(PROJECT_ROOT, 'dist/src/index.js'));
      writeFileSync(
        join(app, 'good.mjs'),
        `import { FcFunction, OnInvoke } from ${fcKernel};
  export class Greeter { greet() { return 'hi'; } }
  OnInvoke()(Greeter.prototype, 'greet', Object.getOwnPropertyDescriptor(Greeter.prototype, 'greet'));
  FcFunction({ name: 'good' })(Greeter);
  `,
      );
      writeFileSync(
        join(app, 'broken.mjs'),
        `import { FcFunction, OnInvoke } from ${fcKernel};
  export class Greeter { one() { return 1; } two() { return 2; } }
  for (const method of ['one', 'two']) {
    OnInvoke()(Greeter.prototype, method, Object.getOwnPropertyDescriptor(Greeter.prototype, method));
  }
  FcFunction({ name: 'broken' })(Greeter);
  `,
      );
      writeFileSync(
        join(app, 'entry.mjs'),
        `export { Greeter as Good } from './good.mjs';\nexport { Greeter as Broken } from './broken.mjs';\n`,
      );
      const out = outDir('names-bundle');
      const built = await build([join(app, 'entry.mjs'), '--out', out]);
      expect(built.code, built.stderr).to.equal(0);
      expect(readFileSync(join(out, 'bundle.js'), 'utf8')).to.include('Greeter2 = class');
      // Recording the code cache boots the kernel, which refuses the functions: said, not fatal.
      expect(built.stderr).to.match(/no code cache recorded.*\n(.|\n)*DUPLICATE_HOOK/);

      const run = startProcess(process.execPath, [join(out, 'index.js')], { cwd: work, env: { FC_SERVER_PORT: '0' } });
      expect((await run.exited).code).to.equal(2);
      expect(run.stderr()).to.match(/ConfigurationError \[DUPLICATE_HOOK\]: .*\bGreeter\b/);
      expect(run.stderr()).to.not.include('Greeter2');
    });

    it('records a code cache this Node.js accepts, and --no-code-cache records none', async () => {
      const out = outDir('hello-container');
      const source = readFileSync(join(out, 'bundle.js'), 'utf8');
      const script = new Script(MODULE_WRAPPER[0] + source + MODULE_WRAPPER[1], {
        filename: join(out, 'bundle.js'),
        cachedData: readFileSync(join(out, 'bundle.cache')),
      });
      expect(script.cachedDataRejected).to.equal(false);

      const built = await build([SAMPLES.hello.entry, '--out', out, '--no-code-cache']);
      expect(built.code, built.stderr).to.equal(0);
      expect(readdirSync(out)).to.not.include.members(['bundle.cache', 'bundle.cache.json']);
    });

    describe('uses the code cache only on the Node.js, with the flags, that recorded it', () => {
      const out = () => outDir('order-service-container');
      /** The loader's word on the cache, which NODE_DEBUG=fc-kernel prints. */
      const cacheLine = (run: CliProcess) => /code cache [^\n]*/.exec(run.stderr())?.[0];

      it('this Node.js, as it recorded it: used', async () => {
        const { run, port } = await serveBundle(process.execPath, [join(out(), 'index.js')], {
          NODE_DEBUG: 'fc-kernel',
        });
        expect(await invoke(port, SAMPLES['order-service'].event)).to.include({ status: 200 });
        await stop(run);
        expect(cacheLine(run)).to.equal('code cache used');
        const identity = JSON.parse(readFileSync(join(out(), 'bundle.cache.json'), 'utf8')) as Record<string, unknown>;
        expect(identity).to.deep.include({ node: process.version, platform: process.platform, arch: process.arch });
      });

      it('this Node.js with a V8 flag the recording run had not: compiled as usual, and served', async () => {
        const { run, port } = await serveBundle(
          process.execPath,
          ['--max-semi-space-size=8', join(out(), 'index.js')],
          { NODE_DEBUG: 'fc-kernel' },
        );
        expect(await invoke(port, SAMPLES['order-service'].event)).to.include({ status: 200 });
        await stop(run);
        expect(cacheLine(run)).to.match(/^code cache not used: recorded with other flags .*--max-semi-space-size=8/);
      });

      it(`another Node.js 20 build (${SECOND_NODE_VERSION}, FC's layer's): compiled as usual, and served`, async function () {
        this.timeout(240_000);
        const other = secondNode();
        if (other === undefined) this.skip();
        const { run, port } = await serveBundle(other!, [join(out(), 'index.js')], { NODE_DEBUG: 'fc-kernel' });
        const res = await invoke(port, SAMPLES['order-service'].event);
        expect(res).to.deep.equal({ status: 200, fcStatus: '200', body: SAMPLES['order-service'].answer });
        await stop(run);
        expect(cacheLine(run)).to.equal(
          `code cache not used: recorded by Node.js ${process.version} on linux-x64, this is v${SECOND_NODE_VERSION} on linux-x64`,
        );
      });
    });

    it('an entry that throws when loaded: the build says why it recorded no code cache; stack traces map to the TypeScript under --enable-source-maps', async () => {
      const out = outDir('throws-on-load');
      const built = await build([fixture('throwsOnLoad'), '--out', out]);
      expect(built.code, built.stderr).to.equal(0);
      expect(built.stderr).to.match(/no code cache recorded.*exit code 1:\n(.|\n)*CONFIG_URL is not set/);
      expect(readdirSync(out)).to.not.include('bundle.cache');
      const mapped = startProcess(process.execPath, ['--enable-source-maps', join(out, 'index.js')], { cwd: work });
      expect((await mapped.exited).code).to.equal(1);
      expect(mapped.stderr()).to.match(/test\/cli\/fixtures\/throwsOnLoad\.ts:1:7\)/);
    });

    it("what esbuild cannot bundle: exit 1 with esbuild's errors; its warnings are passed on", async () => {
      const app = join(work, 'esbuild-says');
      mkdirSync(app, { recursive: true });
      writeFileSync(join(app, 'missing.js'), "require('./nowhere');\n");
      const failed = await build([join(app, 'missing.js'), '--out', outDir('esbuild-failed')]);
      expect(failed.code).to.equal(1);
      expect(failed.stderr).to.match(
        /bundling .*missing\.js failed:\n .*missing\.js:1:\d+: Could not resolve "\.\/nowhere"/,
      );
      writeFileSync(join(app, 'resolves.js'), "module.exports = require.resolve('./missing.js');\n");
      const warned = await build([join(app, 'resolves.js'), '--out', outDir('esbuild-warned'), '--no-code-cache']);
      expect(warned.code, warned.stderr).to.equal(0);
      expect(warned.stderr).to.match(/^fc-kernel build: warning: .*resolves\.js:1:\d+: .*require\.resolve/);
    });

    it('the bootstrap, with no Node.js on PATH, under /opt nor under /var/fc/lang: exit 127, saying so', async function () {
      if (existsSync('/var/fc/lang') || readdirSync('/opt').some((name) => name.startsWith('nodejs'))) this.skip();
      const tools = join(work, 'tools');
      mkdirSync(tools, { recursive: true });
      // bash runs it; dirname is all it needs from PATH besides node.
      symlinkSync(execFileSync('which', ['dirname'], { encoding: 'utf8' }).trim(), join(tools, 'dirname'));
      const run = startProcess(join(outDir('hello-custom-runtime'), 'bootstrap'), [], {
        cwd: work,
        env: { PATH: tools },
      });
      expect((await run.exited).code).to.equal(127);
      expect(run.stderr()).to.include(
        'bootstrap: no Node.js found on PATH, under /opt (an official Node.js layer) or under /var/fc/lang; attach a Node.js layer',
      );
    });

    it('a build for a container after one for the custom runtime leaves no stale bootstrap', async () => {
      const out = outDir('retargeted');
      expect(
        (await build([SAMPLES.hello.entry, '--out', out, '--target', 'custom-runtime', '--no-code-cache'])).code,
      ).to.equal(0);
      expect(readdirSync(out)).to.include('bootstrap');
      expect((await build([SAMPLES.hello.entry, '--out', out, '--no-code-cache'])).code).to.equal(0);
      expect(readdirSync(out)).to.not.include('bootstrap');
    });
  });

  describe('refuses a bundle that would not run as the entry does, writing nothing', () => {
    it('two builds of class-validator (a path inside its CommonJS build beside the package)', async () => {
      const out = outDir('deep-import');
      const built = await build([fixture('deepImport'), '--out', out]);
      expect(built.code).to.equal(2);
      expect(built.stderr).to.include('two builds of class-validator (esm2015 and cjs)');
      expect(() => readdirSync(out)).to.throw();
    });

    it('TypeScript source, which esbuild would compile without decorator metadata', async () => {
      const app = join(work, 'typescript');
      mkdirSync(app, { recursive: true });
      writeFileSync(join(app, 'entry.js'), "module.exports = require('./helper.ts');\n");
      writeFileSync(join(app, 'helper.ts'), 'export const answer: number = 42;\n');
      const built = await build([join(app, 'entry.js'), '--out', outDir('typescript-bundle')]);
      expect(built.code).to.equal(2);
      expect(built.stderr).to.match(/TypeScript source \(.*helper\.ts\)/);
    });

    it('an entry that loads another copy of fc-kernel than the command', async () => {
      const app = join(work, 'other-copy');
      const other = join(app, 'node_modules', 'fc-kernel');
      mkdirSync(other, { recursive: true });
      writeFileSync(join(other, 'package.json'), '{"name":"fc-kernel","main":"index.js"}\n');
      writeFileSync(join(other, 'index.js'), 'exports.serve = () => undefined;\n');
      writeFileSync(join(app, 'entry.js'), "require('fc-kernel');\n");
      const built = await build([join(app, 'entry.js'), '--out', outDir('other-copy-bundle')]);
      expect(built.code).to.equal(2);
      expect(built.stderr).to.include('loads another copy of fc-kernel');
    });
  });

  describe('usage', () => {
    for (const [args, message] of [
      [[], 'give exactly one entry to build'],
      [['a.js', 'b.js'], 'give exactly one entry to build'],
      [[SAMPLES.hello.entry, '--target', 'lambda'], '--target is one of container, custom-runtime (got "lambda")'],
      [[SAMPLES.hello.entry, '--out', ''], '--out needs a directory'],
      [[SAMPLES.hello.entry, '--minify'], "Unknown option '--minify'"],
      [['samples/hello/index.ts'], 'is TypeScript source'],
    ] as const) {
      it(`fc-kernel build ${args.join(' ')}: exit 2, ${message}`, async () => {
        const run = await build([...args]);
        expect(run.code).to.equal(2);
        expect(run.stderr).to.include(message);
        expect(run.stderr).to.include("Run 'fc-kernel build --help' for the usage.");
      });
    }

    it('a missing entry: exit 2, naming it', async () => {
      const run = await build(['dist/nowhere.js']);
      expect(run.code).to.equal(2);
      expect(run.stderr).to.include('cannot find the entry dist/nowhere.js');
    });

    it('--help shows the command, and fc-kernel --help lists it', async () => {
      const help = await build(['--help']);
      expect(help.code).to.equal(0);
      expect(help.stdout).to.match(/^Usage:\n {2}fc-kernel build <entry>/);
      expect((await cli(['--help'])).stdout).to.match(/\n {2}build +bundle the entry/);
    });

    it('says how to install esbuild where it cannot be found', () => {
      const nowhere = join(work, 'no-esbuild', 'entry.js');
      mkdirSync(dirname(nowhere), { recursive: true });
      expect(() => loadEsbuild([nowhere])).to.throw('npm install --save-dev esbuild');
      expect(loadEsbuild([nowhere, __filename]).version).to.match(/^\d+\.\d+\.\d+$/);
    });
  });
});
