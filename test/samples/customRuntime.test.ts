import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fc3ResourceProblems, readSYaml, type Props } from '../helpers/fc3Deployment';
import { SECOND_NODE_VERSION, secondNode } from '../helpers/secondNode';
import { cli, cleanEnv, servingPort, startProcess, stopClis, type CliProcess } from '../cli/helpers';
import { PROJECT_ROOT } from './helpers';
import { SAMPLES_DIR } from './sampleFiles';

const S_YAML = join(SAMPLES_DIR, 'hello', 's.custom-runtime.yaml');
/** FC's official Node.js layers: `acs:fc:<region>:official:layers/Nodejs<major>/versions/<n>`. */
const NODE_LAYER = /^acs:fc:[\w-]+:official:layers\/Nodejs(\d+)\/versions\/\d+$/;

/** The one resource of the sample's s.custom-runtime.yaml. */
function customRuntimeProps(): Props {
  const resources = Object.values(readSYaml(S_YAML).resources);
  expect(resources).to.have.length(1);
  return resources[0]!.props;
}

/**
 * Starts `bootstrap` as FC's custom runtime does, on this machine: in a mount namespace of its own
 * whose /opt is `layers` (where FC unpacks a function's layers), with `env` as the function's
 * environment and FC_CUSTOM_LISTEN_PORT set. Needs root, as FC's sandbox has.
 */
function startAsFc(bootstrap: string, layers: string, env: Record<string, string>): CliProcess {
  const script = 'mount --bind "$1" /opt; shift; export PATH="$FUNCTION_PATH"; unset FUNCTION_PATH; exec "$@"';
  const { PATH, ...rest } = env;
  return startProcess(
    'unshare',
    ['--mount', '--propagation', 'private', 'sh', '-ec', script, 'sh', layers, bootstrap],
    {
      cwd: dirname(bootstrap),
      env: { ...rest, FUNCTION_PATH: PATH, FC_CUSTOM_LISTEN_PORT: '0', NODE_DEBUG: 'fc-kernel' },
    },
  );
}

/** A directory laid out as FC lays out official Node.js layers under /opt: `nodejs<major>/bin/node`. */
function layerTree(root: string, nodes: Record<number, string>): string {
  for (const [major, binary] of Object.entries(nodes)) {
    mkdirSync(join(root, `nodejs${major}`, 'bin'), { recursive: true });
    symlinkSync(binary, join(root, `nodejs${major}`, 'bin', 'node'));
  }
  return root;
}

async function greet(run: CliProcess): Promise<string> {
  const { port } = await servingPort(run);
  const res = await fetch(`http://127.0.0.1:${port}/invoke`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream', 'x-fc-request-id': 'custom-runtime-1' },
    body: 'Ada',
  });
  expect(res.headers.get('x-fc-status')).to.equal('200');
  return res.text();
}

async function stop(run: CliProcess): Promise<void> {
  run.child.kill('SIGTERM');
  expect(await run.exited).to.deep.equal({ code: 0, signal: null });
}

/** Which Node.js ran the bundle, from its loader's word on the code cache. */
function nodeThatRan(run: CliProcess): string | undefined {
  if (/code cache used/.test(run.stderr())) return process.version;
  return /code cache not used: .*this is (v[\d.]+)/.exec(run.stderr())?.[1];
}

describe('samples/hello/s.custom-runtime.yaml', function () {
  // The build records a code cache; the second Node.js may have to be installed.
  this.timeout(240_000);
  let work: string;
  let code: string;

  before(() => (work = mkdtempSync(join(tmpdir(), 'fc-kernel-custom-runtime-'))));
  after(() => rmSync(work, { recursive: true, force: true }));
  afterEach(stopClis);

  it('fits fc3: a handler (FC 3.0 requires one), no start command but FC default /code/bootstrap', () => {
    expect(fc3ResourceProblems(readSYaml(S_YAML))).to.deep.equal([]);
    const props = customRuntimeProps();
    expect(props.runtime).to.equal('custom.debian12');
    expect(props.handler).to.be.a('string').and.not.equal('');
    const config = props.customRuntimeConfig as Record<string, unknown>;
    expect(config).to.not.have.any.keys('command', 'args');
    expect(config.port).to.equal(9000);
  });

  it("attaches FC's official Node.js layer and puts its bin first on PATH (custom.debian12 has no Node.js)", () => {
    const props = customRuntimeProps();
    const majors = ((props.layers as string[] | undefined) ?? []).flatMap((arn) => NODE_LAYER.exec(arn)?.[1] ?? []);
    expect(majors).to.have.length(1);
    expect(props.environmentVariables?.PATH?.split(':')[0]).to.equal(`/opt/nodejs${majors[0]}/bin`);
  });

  describe('deployed as it says, started as FC starts it, with the layer at /opt', () => {
    let layers: string;

    before(async function () {
      if (process.getuid?.() !== 0) this.skip(); // A mount namespace needs root, as FC's sandbox has.
      const other = secondNode();
      if (other === undefined) this.skip();
      // The build its header comment gives, into the directory its `code` names.
      const header = readFileSync(S_YAML, 'utf8');
      const command = /^# +node dist\/src\/cli\/main\.js (build .*)$/m.exec(header)?.[1];
      expect(command, 'the header says how to build the code package').to.be.a('string');
      const args = command!.split(' ');
      code = resolve(dirname(S_YAML), customRuntimeProps().code as string);
      expect(resolve(PROJECT_ROOT, args[args.indexOf('--out') + 1]!)).to.equal(code);
      const built = await cli(args, { env: cleanEnv() });
      expect(built.code, built.stderr).to.equal(0);
      const major = NODE_LAYER.exec((customRuntimeProps().layers as string[])[0]!)![1]!;
      expect(major).to.equal(SECOND_NODE_VERSION.split('.')[0]);
      layers = layerTree(join(work, 'opt'), { [Number(major)]: other! });
    });

    it(`with its PATH: the layer's Node.js ${SECOND_NODE_VERSION} runs the bundle a newer Node.js 20 built`, async () => {
      const run = startAsFc(join(code, 'bootstrap'), layers, customRuntimeProps().environmentVariables!);
      expect(await greet(run)).to.equal('Hello, Ada!');
      await stop(run);
      expect(nodeThatRan(run)).to.equal(`v${SECOND_NODE_VERSION}`);
    });

    it('with a PATH that has no node: the bootstrap finds the layer under /opt, the newest major first', async () => {
      const tools = join(work, 'tools');
      mkdirSync(tools, { recursive: true });
      // bash runs it; dirname is all it needs from PATH besides node.
      symlinkSync(execFileSync('which', ['dirname'], { encoding: 'utf8' }).trim(), join(tools, 'dirname'));
      const run = startAsFc(join(code, 'bootstrap'), layers, { PATH: tools });
      expect(await greet(run)).to.equal('Hello, Ada!');
      await stop(run);
      expect(nodeThatRan(run)).to.equal(`v${SECOND_NODE_VERSION}`);

      // Two layers, told apart by the binary each holds: the higher major wins.
      const two = layerTree(join(work, 'opt-two'), { 18: secondNode()!, 22: process.execPath });
      const newest = startAsFc(join(code, 'bootstrap'), two, { PATH: tools });
      expect(await greet(newest)).to.equal('Hello, Ada!');
      await stop(newest);
      expect(nodeThatRan(newest)).to.equal(process.version);
    });
  });
});
