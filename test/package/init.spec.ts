import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { cleanEnv, cli } from '../cli/helpers';
import { projectTree } from '../cli/initProject';
import { containerProblems, fc3ResourceProblems, readDockerfile, readSYaml } from '../helpers/fc3Deployment';
import { installApp, packFreshClone, PROJECT_ROOT, run, runOk, type Packed } from './packing';
import { buildRuntimeStage } from './runtimeStage';

const FUNCTION_NAME = 'quote-order';
/** What the template's function answers to its event.json. */
const QUOTE = { orderId: 'A-1001', itemCount: 5, total: 40.28 };

/** A port nothing listens on, for the server to take. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** FC's `POST /invoke`, on a connection of its own. */
function postInvoke(port: number, event: Buffer): Promise<{ status: number; xFcStatus: unknown; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: '/invoke',
      agent: false,
      headers: {
        'content-type': 'application/octet-stream',
        'content-length': event.length,
        'x-fc-request-id': '1-67a59f35-0a1b2c3d-4e5f60718293',
        'x-fc-function-name': FUNCTION_NAME,
        'x-fc-function-timeout': '30',
      },
    });
    req.once('error', reject);
    req.once('response', (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.once('end', () => resolve({ status: res.statusCode ?? 0, xFcStatus: res.headers['x-fc-status'], body }));
    });
    req.end(event);
  });
}

describe('fc-kernel init, installed from the tarball: a project that tests, serves, invokes and deploys', () => {
  let work: string;
  let packed: Packed;
  let project: string;

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'fc-kernel-init-'));
    packed = await packFreshClone(work);
    // Where a user runs init from: a project that installed the tarball (and with it, its peers).
    await installApp(join(work, 'tools'), packed.tarball);
    project = join(work, 'project');
  });

  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('ships the whole project template', () => {
    const template = Object.keys(projectTree(join(PROJECT_ROOT, 'templates/project')));
    expect(packed.files.filter((file) => file.startsWith('templates/')).sort()).to.deep.equal(
      template.map((path) => `templates/project/${path}`).sort(),
    );
  });

  it('the installed fc-kernel bin finds it and writes the project, as the in-process command does', async () => {
    const dependency = `file:${basename(packed.tarball)}`;
    const argv = ['--name', FUNCTION_NAME, '--dependency', dependency];
    const bin = join(work, 'tools/node_modules/.bin/fc-kernel');
    const ran = await run(bin, ['init', 'project', ...argv], work);
    expect(ran.code, ran.stderr).to.equal(0);
    const manifest = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    expect(manifest.dependencies['fc-kernel']).to.equal(`file:../${basename(packed.tarball)}`);
    const inProcess = await cli(['init', 'in-process', ...argv], { cwd: work });
    expect(inProcess.code, inProcess.stderr).to.equal(0);
    expect(projectTree(join(work, 'in-process'))).to.deep.equal(projectTree(project));
  });

  describe('after npm install', () => {
    before(async function () {
      if (!existsSync(join(project, 'package.json'))) this.skip();
      // The registry is asked only for what the npm cache lacks.
      await runOk('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], project);
    });

    it('npm test builds it with TypeScript 7 and its tests pass', async () => {
      const tested = await run('npm', ['test'], project);
      expect(tested.code, tested.stdout + tested.stderr).to.equal(0);
      expect(tested.stdout).to.match(/\b3 passing\b/);
      expect(tested.stdout).to.not.match(/failing|pending/);
    });

    it('npx fc-kernel invoke runs its entry with event.json in-process: the quote on stdout, exit 0', async () => {
      const ran = await run(
        'npx',
        ['fc-kernel', 'invoke', 'dist/src/index.js', '--event', 'event.json'],
        project,
        cleanEnv(),
      );
      expect(ran.code, ran.stderr).to.equal(0);
      expect(JSON.parse(ran.stdout)).to.deep.equal(QUOTE);
    });

    it('npm start serves it on FC_SERVER_PORT: /invoke answers, fc-kernel invoke --url too, SIGTERM ends it with 0', async () => {
      const port = await freePort();
      const server = spawn('npm', ['start'], {
        cwd: project,
        env: cleanEnv({ FC_SERVER_PORT: String(port) }),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      server.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      server.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      const exited = new Promise<number | null>((done) => server.once('close', (code) => done(code)));
      try {
        const listening = `${FUNCTION_NAME} listening on 0.0.0.0:${port}\n`;
        while (!stdout.includes(listening)) {
          const ended = await Promise.race([
            exited.then(() => true),
            new Promise<false>((r) => setTimeout(r, 50, false)),
          ]);
          if (ended) throw new Error(`npm start ended before listening:\n${stdout}\n${stderr}`);
        }
        const answer = await postInvoke(port, readFileSync(join(project, 'event.json')));
        expect(answer).to.deep.equal({ status: 200, xFcStatus: '200', body: JSON.stringify(QUOTE) });
        expect(stdout).to.include('FC Invoke Start RequestId: 1-67a59f35-0a1b2c3d-4e5f60718293');

        const url = `http://127.0.0.1:${port}`;
        const cliAnswer = await run(
          'npx',
          ['fc-kernel', 'invoke', '--url', url, '--event', 'event.json'],
          project,
          cleanEnv(),
        );
        expect(cliAnswer.code, cliAnswer.stderr).to.equal(0);
        expect(JSON.parse(cliAnswer.stdout)).to.deep.equal(QUOTE);

        server.kill('SIGTERM');
        expect(await exited, stdout + stderr).to.equal(0);
      } finally {
        if (server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
      }
    });

    it('its s.yaml fits the fc3 schema and runs the image on the port the Dockerfile exposes', () => {
      const sYaml = readSYaml(join(project, 's.yaml'));
      expect(fc3ResourceProblems(sYaml)).to.deep.equal([]);
      expect(containerProblems(sYaml, readDockerfile(join(project, 'Dockerfile')))).to.deep.equal([]);
      expect(sYaml.resources[FUNCTION_NAME]?.props.functionName).to.equal(FUNCTION_NAME);
    });

    it('npm run bundle compiles it and bundles main.js into dist-bundle/, which serves it with node alone', async () => {
      const bundled = await run('npm', ['run', 'bundle'], project, cleanEnv());
      expect(bundled.code, bundled.stdout + bundled.stderr).to.equal(0);
      const event = readFileSync(join(project, 'event.json'), 'utf8');
      const ran = await run(process.execPath, ['index.js'], join(project, 'dist-bundle'), {
        ...cleanEnv(),
        FC_CUSTOM_CONTAINER_EVENT: event,
      });
      expect(ran.code, ran.stderr).to.equal(0);
      expect(ran.stdout.trim().split('\n').at(-1)).to.equal(JSON.stringify(QUOTE));
    });

    it("its image's runtime stage, built without Docker, holds the bundle alone, which runs the function", async () => {
      // The build stage runs npm run build and npx fc-kernel build with the project's install.
      const stage = await buildRuntimeStage(join(project, 'Dockerfile'), join(work, 'image'), project);
      // No node_modules at all: no dependency, tool or TypeScript reaches the image.
      expect(readdirSync(stage.dir).sort()).to.deep.equal([
        'bundle.cache',
        'bundle.cache.json',
        'bundle.js',
        'bundle.js.map',
        'index.js',
        'package.json',
      ]);
      const [command, ...args] = stage.cmd;
      expect(command).to.equal('node');
      // Non-web-server mode: one event, then exit, which needs every module the server loads.
      const event = readFileSync(join(project, 'event.json'), 'utf8');
      const ran = await run(process.execPath, args, stage.dir, {
        ...cleanEnv(),
        ...stage.env,
        FC_CUSTOM_CONTAINER_EVENT: event,
      });
      expect(ran.code, ran.stderr).to.equal(0);
      expect(ran.stdout.trim().split('\n').at(-1)).to.equal(JSON.stringify(QUOTE));
    });
  });
});
