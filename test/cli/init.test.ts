import { expect } from 'chai';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectName } from '../../src/cli/init/projectName';
import {
  templateFiles,
  TEMPLATE_DIR,
  TEMPLATE_FUNCTION_NAME,
  TEMPLATE_PROJECT_NAME,
} from '../../src/cli/init/templateFiles';
import { CliError } from '../../src/cli/CliError';
import { FUNCTION_NAME_PATTERN } from '../../src/cli/init/functionName';
import type { Constructor } from '../../src';
import {
  containerProblems,
  fc3ResourceProblems,
  fc3Schema,
  healthProbeProblems,
  hookProblems,
  instanceProblems,
  readDockerfile,
  readSYaml,
} from '../helpers/fc3Deployment';
import { run } from '../package/packing';
import { cli, PROJECT_ROOT, spawnCli } from './helpers';
import { linkRepositoryPackages, projectTree } from './initProject';

interface Manifest {
  name: string;
  version: string;
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  engines: Record<string, string>;
}

/** What the container runs, compiled: npm start runs it, and the image runs its bundle. */
const MAIN = 'dist/src/main.js';
/** What the template's function answers to its event.json. */
const QUOTE = { orderId: 'A-1001', itemCount: 5, total: 40.28 };

const repository = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as Manifest;
const manifestOf = (project: string) => JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')) as Manifest;

describe('fc-kernel init', () => {
  let work: string;
  before(() => (work = mkdtempSync(join(tmpdir(), 'fc-kernel-init-'))));
  after(() => rmSync(work, { recursive: true, force: true }));

  describe('the project it writes', () => {
    let project: string;
    let written: Record<string, string>;
    before(async () => {
      project = join(work, 'quote-order');
      const ran = await cli(['init', project]);
      expect(ran.code, ran.stderr).to.equal(0);
      written = projectTree(project);
    });

    it("is the template's files with the function's name, and a package.json; dotfiles under their names", () => {
      const expected = Object.fromEntries(templateFiles('quote-order').map((file) => [file.path, file.content]));
      expect(Object.keys(written)).to.deep.equal(['package.json', ...Object.keys(expected)].sort());
      for (const path of Object.keys(expected)) expect(written[path], path).to.equal(expected[path]);
      for (const dotfile of ['.gitignore', '.dockerignore', '.mocharc.json']) expect(written).to.have.property(dotfile);
      expect(Object.keys(written).filter((path) => /(^|\/)_/.test(path))).to.deep.equal([]);
    });

    it('names the function after the directory everywhere the template names its own', () => {
      expect(JSON.stringify(written)).to.not.include(TEMPLATE_FUNCTION_NAME).and.not.include(TEMPLATE_PROJECT_NAME);
      expect(written['src/quote/QuoteFunction.ts']).to.include("  name: 'quote-order',\n");
      expect(written['README.md']).to.match(/^# quote-order\n/);
      expect(manifestOf(project).name).to.equal('quote-order');
    });

    it("depends on fc-kernel at ^ its version and on its peers at its ranges, in the tools fc-kernel's tests run", () => {
      const manifest = manifestOf(project);
      const { esbuild, ...all } = repository.peerDependencies;
      expect(esbuild, 'esbuild, an optional peer of fc-kernel').to.be.a('string');
      // The optional peers (OpenTelemetry's for fc-kernel/telemetry, redis for RedisIdempotencyStore) are the project's to add.
      const peers = Object.fromEntries(
        Object.entries(all).filter(([name]) => !repository.peerDependenciesMeta?.[name]?.optional),
      );
      expect(repository.peerDependencies.redis, 'redis, an optional peer of fc-kernel').to.be.a('string');
      expect(manifest.dependencies).to.deep.equal({ 'fc-kernel': `^${repository.version}`, ...peers });
      expect(Object.keys(peers).sort()).to.deep.equal([
        'class-transformer',
        'class-validator',
        'reflect-metadata',
        'tsyringe',
      ]);
      expect(manifest.devDependencies).to.deep.equal({
        typescript: repository.devDependencies.tsc7!.replace('npm:typescript@', ''),
        mocha: repository.devDependencies.mocha,
        chai: repository.devDependencies.chai,
        '@types/chai': repository.devDependencies['@types/chai'],
        '@types/mocha': repository.devDependencies['@types/mocha'],
        '@types/node': repository.devDependencies['@types/node'],
        esbuild: repository.devDependencies.esbuild,
      });
      expect(manifest.devDependencies.typescript).to.match(/^7\./);
      expect(manifest.devDependencies.esbuild).to.match(/^\d+\.\d+\.\d+$/);
      expect(Object.keys(manifest.scripts)).to.include.members(['build', 'test', 'start', 'bundle']);
      expect(manifest.scripts.start).to.equal(`exec node ${MAIN}`);
      expect(manifest.scripts.prebundle).to.equal('npm run build --silent');
      expect(manifest.scripts.bundle).to.equal(`fc-kernel build ${MAIN}`);
      expect(manifest.engines).to.deep.equal(repository.engines);
    });

    it('s.yaml fits the fc3 schema and runs the image as a custom container on the port it exposes', () => {
      const sYaml = readSYaml(join(project, 's.yaml'));
      expect(Object.keys(sYaml.resources)).to.deep.equal(['quote-order']);
      expect(fc3ResourceProblems(sYaml)).to.deep.equal([]);
      expect(containerProblems(sYaml, readDockerfile(join(project, 'Dockerfile')))).to.deep.equal([]);
      const { props } = sYaml.resources['quote-order']!;
      expect(props.functionName).to.equal('quote-order');
      expect(props.instanceConcurrency).to.be.greaterThan(1);
      expect(props.customContainerConfig?.healthCheckConfig?.httpGetUrl).to.equal('/');
      expect(instanceProblems(sYaml)).to.deep.equal([]);
    });

    it('has a multi-stage Dockerfile: the build stage bundles main.js, the image holds the bundle alone, as a user', () => {
      const dockerfile = readDockerfile(join(project, 'Dockerfile'));
      expect(dockerfile.from).to.have.length(2);
      const runtimeFrom = dockerfile.lines.map((l) => l.startsWith('FROM ')).lastIndexOf(true);
      const build = dockerfile.lines.slice(0, runtimeFrom);
      const runtime = dockerfile.lines.slice(runtimeFrom);
      expect(build.filter((l) => l.startsWith('RUN ')).at(-1)).to.equal(
        `RUN npm run build && npx fc-kernel build ${MAIN} --out dist-bundle`,
      );
      expect(runtime.filter((l) => l.startsWith('RUN '))).to.deep.equal([]);
      expect(runtime.filter((l) => l.startsWith('COPY '))).to.deep.equal(['COPY --from=build /app/dist-bundle ./']);
      const user = runtime.find((l) => l.startsWith('USER '));
      expect(user).to.match(/^USER \S+$/);
      expect(user).to.not.match(/^USER (root|0)$/);
      expect(dockerfile.expose).to.deep.equal([9000]);
      expect(dockerfile.cmd).to.deep.equal(['node', 'index.js']);
    });

    it('keeps the bundle out of git and out of the build context, as dist/', () => {
      const lines = (path: string) => written[path]!.split('\n');
      expect(lines('.gitignore')).to.include.members(['dist/', 'dist-bundle/']);
      expect(lines('.dockerignore')).to.include.members(['dist', 'dist-bundle']);
    });

    describe('built', () => {
      before(async function () {
        linkRepositoryPackages(project);
        const compiled = await run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', '.'], project);
        expect(compiled.code, compiled.stdout + compiled.stderr).to.equal(0);
      });

      it('compiles with TypeScript 7 under its own tsconfig.json, and its tests pass', async () => {
        expect(existsSync(join(project, MAIN))).to.equal(true);
        const tested = await run(process.execPath, ['node_modules/mocha/bin/mocha.js'], project);
        expect(tested.code, tested.stdout + tested.stderr).to.equal(0);
        expect(tested.stdout).to.match(/\b3 passing\b/);
        expect(tested.stdout).to.not.match(/failing|pending/);
      });

      it('fc-kernel invoke runs its entry with its event.json: the quote on stdout, exit 0', async () => {
        const ran = await spawnCli([
          'invoke',
          join(project, 'dist/src/index.js'),
          '--event',
          join(project, 'event.json'),
        ]);
        expect(ran.code, ran.stderr).to.equal(0);
        expect(JSON.parse(ran.stdout)).to.deep.equal(QUOTE);
        expect(ran.stderr).to.include('[INFO] pricing loaded');
      });

      it('fc-kernel build bundles the main module the Dockerfile names, and the bundle alone runs one event', async () => {
        const out = join(work, 'quote-order-bundle');
        const built = await cli(['build', MAIN, '--out', out, '--no-code-cache'], { cwd: project });
        expect(built.code, built.stderr).to.equal(0);
        const ran = await run(process.execPath, ['index.js'], out, {
          FC_CUSTOM_CONTAINER_EVENT: readFileSync(join(project, 'event.json'), 'utf8'),
        });
        expect(ran.code, ran.stderr).to.equal(0);
        expect(ran.stdout.trim().split('\n').at(-1)).to.equal(JSON.stringify(QUOTE));
      });

      it("answers the s.yaml's health check path with 200, as FC's probe needs before any event", async function () {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const entry = require(join(project, 'dist/src/index.js')) as Record<string, Constructor>;
        expect(await healthProbeProblems(readSYaml(join(project, 's.yaml')), Object.values(entry))).to.deep.equal([]);
      });

      it('s.yaml switches on the initializer its function declares, and no other hook', async () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const entry = require(join(project, 'dist/src/index.js')) as Record<string, Constructor>;
        const sYaml = readSYaml(join(project, 's.yaml'));
        expect(await hookProblems(sYaml, Object.values(entry))).to.deep.equal([]);
        delete sYaml.resources['quote-order']!.props.instanceLifecycleConfig;
        expect(await hookProblems(sYaml, Object.values(entry))).to.have.length(1);
      });
    });
  });

  describe('--name', () => {
    it('names the function, and the project after it in the form npm and image registries take', async () => {
      const project = join(work, 'named');
      const ran = await cli(['init', project, '--name', '_Create_Order_']);
      expect(ran.code, ran.stderr).to.equal(0);
      expect(ran.stdout).to.include('function _Create_Order_');
      expect(readFileSync(join(project, 'src/quote/QuoteFunction.ts'), 'utf8')).to.include("name: '_Create_Order_'");
      const sYaml = readSYaml(join(project, 's.yaml'));
      expect(sYaml.resources._Create_Order_?.props.functionName).to.equal('_Create_Order_');
      expect(manifestOf(project).name).to.equal('create-order');
      expect((sYaml as unknown as { name: string }).name).to.equal('create-order');
      expect(sYaml.resources._Create_Order_?.props.customContainerConfig?.image).to.match(/\/create-order:0\.1\.0$/);
      expect(readFileSync(join(project, 'Dockerfile'), 'utf8')).to.include('docker build -t create-order .');
      expect(readFileSync(join(project, 'README.md'), 'utf8')).to.include('docker build -t create-order .');
    });

    it('makes a project name npm and registries take of any function name', () => {
      const cases: Record<string, string> = {
        'quote-order': 'quote-order',
        Create_Order: 'create-order',
        '_x-': 'x',
        'A__b--C': 'a--b--c',
        ___: 'fc-function',
      };
      // npm's rule for new names, and the registries' for a repository's path component.
      const image = /^[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*$/;
      for (const [functionName, expected] of Object.entries(cases)) {
        const name = projectName(functionName);
        expect(name, functionName).to.equal(expected);
        expect(name, functionName).to.match(image);
      }
    });

    const valid = ['a', '_', 'A-b_9', '_9-x', 'x'.repeat(64)];
    const invalid = ['', '9lives', '-dash', 'dot.ted', 'sp ace', 'ü', 'x'.repeat(65), 'a/b'];

    it(`takes FC's names: ${valid.map((n) => (n.length > 10 ? `${n.length} chars` : n)).join(', ')}`, async () => {
      for (const name of valid) {
        const ran = await cli(['init', join(work, 'valid', String(valid.indexOf(name))), '--name', name]);
        expect(ran.code, `${name}: ${ran.stderr}`).to.equal(0);
      }
    });

    it(`refuses the others with exit 2 and writes nothing: ${invalid.map((n) => JSON.stringify(n.length > 10 ? `${n.length} chars` : n)).join(', ')}`, async () => {
      for (const name of invalid) {
        const dir = join(work, 'invalid', String(invalid.indexOf(name)));
        // --name=<name>: parseArgs takes a separate "-dash" for an option.
        const ran = await cli(['init', dir, `--name=${name}`]);
        expect(ran.code, name).to.equal(2);
        expect(ran.stderr, name).to.match(/^fc-kernel init: --name: /);
        expect(existsSync(dir), name).to.equal(false);
      }
    });

    it("agrees with the fc3 schema's pattern for functionName, if it has one", () => {
      const pattern = fc3Schema().properties.functionName.pattern;
      if (pattern === undefined) {
        expect(FUNCTION_NAME_PATTERN.source).to.equal('^[A-Za-z_][A-Za-z0-9_-]{0,63}$');
        return;
      }
      for (const name of [...valid, ...invalid])
        expect(new RegExp(pattern).test(name), name).to.equal(valid.includes(name));
    });

    it("defaults to the directory's name, and refuses one FC would not take, pointing to --name", async () => {
      const ran = await cli(['init', 'my.app'], { cwd: work });
      expect(ran.code).to.equal(2);
      expect(ran.stderr).to.include("the directory's name is not a function name FC accepts").and.include('--name');
      expect(existsSync(join(work, 'my.app'))).to.equal(false);
      const fixed = await cli(['init', 'my.app', '--name', 'my-app'], { cwd: work });
      expect(fixed.code, fixed.stderr).to.equal(0);
    });
  });

  describe('the target directory', () => {
    it('is created with its parents, or taken when it exists and is empty', async () => {
      expect((await cli(['init', join(work, 'deep/er/new-one')])).code).to.equal(0);
      expect(existsSync(join(work, 'deep/er/new-one/package.json'))).to.equal(true);
      mkdirSync(join(work, 'empty-one'));
      expect((await cli(['init', 'empty-one'], { cwd: work })).code).to.equal(0);
      expect(existsSync(join(work, 'empty-one/s.yaml'))).to.equal(true);
    });

    it('is refused when it holds anything, even one dotfile: exit 2, nothing written', async () => {
      const dir = join(work, 'taken');
      mkdirSync(dir);
      writeFileSync(join(dir, '.env'), 'SECRET=1\n');
      const ran = await cli(['init', 'taken'], { cwd: work });
      expect(ran.code).to.equal(2);
      expect(ran.stderr).to.include('fc-kernel init: taken is not empty (it holds .env)');
      expect(projectTree(dir)).to.deep.equal({ '.env': 'SECRET=1\n' });
    });

    it('is refused when it is a file', async () => {
      writeFileSync(join(work, 'a-file'), 'x');
      const ran = await cli(['init', 'a-file'], { cwd: work });
      expect(ran.code).to.equal(2);
      expect(ran.stderr).to.include('a-file exists and is not a directory');
    });

    it('is refused when it is a symbolic link to nothing: exit 2, a sentence naming where it points', async () => {
      symlinkSync('gone', join(work, 'dangling'));
      const ran = await cli(['init', 'dangling'], { cwd: work });
      expect(ran.code).to.equal(2);
      expect(ran.stderr).to.equal(
        'fc-kernel init: dangling is a symbolic link to gone, which does not exist: ' +
          'create that directory, or give another path\n',
      );
      expect(existsSync(join(work, 'gone'))).to.equal(false);
    });

    it('is refused when a directory on its path is a file: exit 2, naming that file', async () => {
      writeFileSync(join(work, 'plain'), 'x');
      const ran = await cli(['init', 'plain/deeper/project'], { cwd: work });
      expect(ran.code).to.equal(2);
      expect(ran.stderr).to.equal(
        'fc-kernel init: cannot create plain/deeper/project: plain is a file, not a directory\n',
      );
    });

    it('may be the current directory, empty: named after it, and no cd in the next commands', async () => {
      const here = join(work, 'right-here');
      mkdirSync(here);
      const ran = await cli(['init', '.'], { cwd: here });
      expect(ran.code, ran.stderr).to.equal(0);
      expect(ran.stdout).to.include('function right-here into the current directory.\n').and.not.include('cd ');
      expect(manifestOf(here).name).to.equal('right-here');
    });

    it('prints the next commands, with the way there from the current directory', async () => {
      const ran = await cli(['init', 'next steps'], { cwd: work });
      expect(ran.code).to.equal(2);
      const named = await cli(['init', 'next steps', '--name', 'next'], { cwd: work });
      expect(named.stdout).to.include("  cd 'next steps'\n  npm install\n  npm test\n");
    });
  });

  describe('--dependency', () => {
    const tarball = () => {
      const path = join(work, 'fc-kernel-9.9.9.tgz');
      writeFileSync(path, '');
      return path;
    };
    const dependencyOf = (project: string) => manifestOf(project).dependencies['fc-kernel'];

    it('is read from the current directory when it is a local path, and written relative to the project', async () => {
      tarball();
      for (const [spec, dir] of [
        ['file:fc-kernel-9.9.9.tgz', 'dep/a'],
        ['./fc-kernel-9.9.9.tgz', 'dep/b/c'],
      ] as const) {
        const ran = await cli(['init', dir, '--dependency', spec, '--name', 'x'], { cwd: work });
        expect(ran.code, ran.stderr).to.equal(0);
        expect(dependencyOf(join(work, dir))).to.equal(
          `file:${'../'.repeat(dir.split('/').length)}fc-kernel-9.9.9.tgz`,
        );
      }
    });

    it('keeps an absolute path, and a registry spec as given', async () => {
      const absolute = tarball();
      for (const [index, spec] of [`file:${absolute}`, '~0.1.0', 'latest', 'github:me/fc-kernel#main'].entries()) {
        const project = join(work, 'spec', String(index));
        expect((await cli(['init', project, '--dependency', spec, '--name', 'x'])).code).to.equal(0);
        expect(dependencyOf(project)).to.equal(spec);
      }
    });

    it('refuses a local path that does not exist, or an empty spec: exit 2, nothing written', async () => {
      const missing = await cli(['init', 'nope', '--dependency', 'file:../missing.tgz'], { cwd: work });
      expect(missing.code).to.equal(2);
      expect(missing.stderr).to.include(`there is no ${join(work, '../missing.tgz')}`);
      const empty = await cli(['init', 'nope', '--dependency', ' '], { cwd: work });
      expect(empty.code).to.equal(2);
      expect(existsSync(join(work, 'nope'))).to.equal(false);
    });
  });

  describe('usage', () => {
    it('--help: its usage on stdout, exit 0', async () => {
      const ran = await cli(['init', '--help']);
      expect(ran.code).to.equal(0);
      expect(ran.stdout).to.match(/^Usage:\n {2}fc-kernel init <dir> \[options\]\n/);
      expect(ran.stdout).to.include('--name').and.include('--dependency');
    });

    it('no directory, two, or an unknown option: exit 2 and a pointer to --help', async () => {
      for (const argv of [['init'], ['init', 'a', 'b'], ['init', 'a', '--nmae', 'x'], ['init', 'a', '--name']]) {
        const ran = await cli(argv, { cwd: work });
        expect(ran.code, argv.join(' ')).to.equal(2);
        expect(ran.stderr).to.include("Run 'fc-kernel init --help' for the usage.");
        expect(existsSync(join(work, 'a'))).to.equal(false);
      }
    });

    it('a missing template is an incomplete installation, said so', () => {
      expect(() => templateFiles('x', join(TEMPLATE_DIR, 'missing')))
        .to.throw(CliError, /project template is missing/)
        .with.property('exitCode', 1);
    });
  });
});
