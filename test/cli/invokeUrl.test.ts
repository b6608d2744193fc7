import { expect } from 'chai';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DEFAULT_BODY_LIMIT, serve, type FcHttpServer } from '../../src';
import { Probe, type ProbeAnswer } from './fixtures/probe';
import { Hang } from './fixtures/hang';
import {
  cli,
  ORDER_ACCEPTED,
  ORDER_ENTRY,
  ORDER_EVENT,
  PROJECT_ROOT,
  servingPort,
  startCli,
  stopClis,
} from './helpers';

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A stand-in container on 127.0.0.1 that records FC's requests and answers as `answer` says. */
async function recordingContainer(
  answer: (req: Received, res: ServerResponse) => void,
): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const record = { method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks) };
      received.push(record);
      answer(record, res);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  opened.add(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received, server };
}

const opened = new Set<Server>();

/** Answers `status` with `x-fc-status` (the status itself by default; `null` for none) and `body`. */
function fcAnswer(res: ServerResponse, status: number, body: string, xFcStatus: string | null = String(status)) {
  res.writeHead(status, xFcStatus === null ? {} : { 'x-fc-status': xFcStatus });
  res.end(body);
}

const CREDENTIALS = {
  ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAI5tUrlTestKeyId0002',
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'urlTestSecret-1a2b3c4d5e6f',
  ALIBABA_CLOUD_SECURITY_TOKEN: 'CAISurlTestSecurityToken+/==',
};

describe('fc-kernel invoke --url', () => {
  afterEach(async () => {
    const servers = [...opened];
    opened.clear();
    for (const server of servers) {
      server.closeAllConnections();
      server.close();
    }
    await stopClis();
  });

  describe("FC's requests", () => {
    it('POST /initialize, then POST /invoke with the event bytes and the headers FC sends', async () => {
      const container = await recordingContainer((_, res) => fcAnswer(res, 200, '"done"'));
      const run = await cli(
        [
          'invoke',
          '--url',
          container.url,
          '-f',
          'create-order',
          '--event',
          ORDER_EVENT,
          '-t',
          '12',
          '-H',
          'x-fc-qualifier=LATEST',
        ],
        { env: CREDENTIALS },
      );
      expect(run.code, run.stderr).to.equal(0);
      expect(run.stdout).to.equal('"done"\n');
      expect(container.received.map((r) => `${r.method} ${r.url}`)).to.deep.equal(['POST /initialize', 'POST /invoke']);
      const [init, invoke] = container.received as [Received, Received];
      expect(init.body.length).to.equal(0);
      expect(init.headers).to.include({ 'x-fc-control-path': '/initialize', 'x-fc-initialization-timeout': '12' });
      expect(invoke.body.equals(readFileSync(join(PROJECT_ROOT, ORDER_EVENT)))).to.equal(true);
      for (const request of [init, invoke]) {
        expect(request.headers['x-fc-request-id']).to.match(/^1-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{12}$/);
        expect(request.headers).to.include({
          'x-fc-function-name': 'create-order',
          'x-fc-function-timeout': '12',
          'x-fc-access-key-id': CREDENTIALS.ALIBABA_CLOUD_ACCESS_KEY_ID,
          'x-fc-access-key-secret': CREDENTIALS.ALIBABA_CLOUD_ACCESS_KEY_SECRET,
          'x-fc-security-token': CREDENTIALS.ALIBABA_CLOUD_SECURITY_TOKEN,
          'x-fc-qualifier': 'LATEST',
        });
      }
      expect(init.headers['x-fc-request-id']).to.not.equal(invoke.headers['x-fc-request-id']);
      expect(invoke.headers).to.include({
        'content-type': 'application/octet-stream',
        'x-fc-control-path': '/invoke',
        'content-length': String(invoke.body.length),
      });
      for (const secret of Object.values(CREDENTIALS)) expect(run.stdout + run.stderr).to.not.include(secret);
    });

    it('--no-init sends /invoke alone; without --function, no x-fc-function-name', async () => {
      const container = await recordingContainer((_, res) => fcAnswer(res, 200, 'ok'));
      const run = await cli(['invoke', '--url', container.url, '--no-init', '--event', '-'], { stdin: 'raw bytes' });
      expect(run.code, run.stderr).to.equal(0);
      expect(container.received.map((r) => r.url)).to.deep.equal(['/invoke']);
      expect(container.received[0]!.headers).to.not.have.property('x-fc-function-name');
      expect(container.received[0]!.body.toString()).to.equal('raw bytes');
    });

    it("prefixes the routes with the URL's path", async () => {
      const container = await recordingContainer((_, res) => fcAnswer(res, 200, ''));
      const run = await cli(['invoke', '--url', `${container.url}/fc/`]);
      expect(run.code, run.stderr).to.equal(0);
      expect(container.received.map((r) => r.url)).to.deep.equal(['/fc/initialize', '/fc/invoke']);
    });
  });

  describe('the exit code comes from x-fc-status', () => {
    it('x-fc-status 404: the error body on stdout, exit 1', async () => {
      const error = '{"errorMessage":"boom","errorType":"Error","stackTrace":[]}';
      const container = await recordingContainer((req, res) =>
        req.url === '/invoke' ? fcAnswer(res, 404, error) : fcAnswer(res, 200, ''),
      );
      const run = await cli(['invoke', '--url', container.url]);
      expect(run).to.deep.include({ code: 1, stdout: error + '\n' });
    });

    it('a failed /initialize: its body, exit 1, and no /invoke', async () => {
      const container = await recordingContainer((_, res) => fcAnswer(res, 404, '{"errorType":"InitializationError"}'));
      const run = await cli(['invoke', '--url', container.url]);
      expect(run).to.deep.include({ code: 1, stdout: '{"errorType":"InitializationError"}\n' });
      expect(container.received.map((r) => r.url)).to.deep.equal(['/initialize']);
    });

    it('a 200 whose x-fc-status says 404 is a failure: exit 1', async () => {
      const container = await recordingContainer((req, res) =>
        fcAnswer(res, 200, 'looks fine', req.url === '/invoke' ? '404' : '200'),
      );
      expect((await cli(['invoke', '--url', container.url])).code).to.equal(1);
    });

    it('no x-fc-status: judged by the status code, with a warning', async () => {
      const container = await recordingContainer((req, res) =>
        fcAnswer(res, req.url === '/invoke' ? 500 : 200, 'oops', null),
      );
      const run = await cli(['invoke', '--url', container.url]);
      expect(run.code).to.equal(1);
      expect(run.stdout).to.equal('oops\n');
      expect(run.stderr).to.include('(status 500) has no x-fc-status header: FC would record it as a success');
      const fine = await recordingContainer((_, res) => fcAnswer(res, 200, 'fine', null));
      expect((await cli(['invoke', '--url', fine.url])).code).to.equal(0);
    });
  });

  describe('a container that does not answer', () => {
    it('nothing listening: exit 2, nothing was invoked', async () => {
      const container = await recordingContainer(() => undefined);
      container.server.close();
      await once(container.server, 'close');
      const run = await cli(['invoke', '--url', container.url]);
      expect(run.code).to.equal(2);
      expect(run.stderr).to.include(`cannot reach ${container.url}: connect ECONNREFUSED`);
    });

    it('no answer within the timeout and the grace: exit 1', async () => {
      const container = await recordingContainer(() => undefined);
      const run = await cli(['invoke', '--url', container.url, '--no-init', '--timeout', '0.05'], {
        answerGraceMs: 50,
      });
      expect(run.code).to.equal(1);
      expect(run.stderr).to.include(`${container.url} answered /invoke nothing within 0.1 s`);
    });

    it("an answer that never ends: read up to 32 MiB, FC's limit, then exit 1, saying so", async () => {
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      const container = await recordingContainer((_, res) => {
        res.writeHead(200, { 'x-fc-status': '200' });
        const more = () => {
          while (!res.destroyed && res.write(chunk));
          if (!res.destroyed) res.once('drain', more);
        };
        more();
      });
      const run = await cli(['invoke', '--url', container.url, '--no-init']);
      expect(run.code).to.equal(1);
      expect(run.stderr).to.include(
        `${container.url} answered /invoke with more than ${DEFAULT_BODY_LIMIT} bytes, more than FC passes on`,
      );
      expect(run.stdout).to.equal('');
    });

    it('an answer whose content-length is over the limit: exit 1 before reading it', async () => {
      const container = await recordingContainer((_, res) => {
        res.writeHead(200, { 'x-fc-status': '200', 'content-length': String(DEFAULT_BODY_LIMIT + 1) });
        res.write('{');
      });
      const run = await cli(['invoke', '--url', container.url, '--no-init']);
      expect(run.code).to.equal(1);
      expect(run.stderr).to.include(`answered /invoke with more than ${DEFAULT_BODY_LIMIT} bytes`);
    });

    it('the connection dropped without an answer: exit 1', async () => {
      const container = await recordingContainer((_, res) => res.socket!.destroy());
      const run = await cli(['invoke', '--url', container.url, '--no-init']);
      expect(run.code).to.equal(1);
      expect(run.stderr).to.include('closed the connection without answering /invoke');
    });
  });

  describe('against fc-kernel servers', () => {
    let server: FcHttpServer | undefined;
    afterEach(async () => {
      const open = server;
      server = undefined;
      await open?.close();
    });

    async function serveOnLoopback(functions: (typeof Probe | typeof Hang)[]): Promise<string> {
      const started = await serve({
        functions,
        port: 0,
        host: '127.0.0.1',
        handleSignals: false,
        logSink: () => undefined,
        env: {},
      });
      server = started!;
      return `http://127.0.0.1:${server.port}`;
    }

    it('the kernel reads the request as FC would send it', async () => {
      const url = await serveOnLoopback([Probe]);
      const run = await cli(['invoke', '--url', url, '-f', 'probe', '-t', '5']);
      expect(run.code, run.stderr).to.equal(0);
      expect(JSON.parse(run.stdout)).to.deep.include({ functionName: 'probe', timeout: 5, initializationTimeout: 5 });
      expect((JSON.parse(run.stdout) as ProbeAnswer).headers).to.include({ 'x-fc-control-path': '/invoke' });
    });

    it('a hanging function is answered TimeoutError by the container: exit 1', async () => {
      const url = await serveOnLoopback([Hang]);
      const run = await cli(['invoke', '--url', url, '--timeout', '0.2']);
      expect(run.code).to.equal(1);
      expect(JSON.parse(run.stdout)).to.include({ errorType: 'TimeoutError' });
    });

    it('`fc-kernel serve` in a child process, its port read from its listening line', async () => {
      const served = startCli(['serve', ORDER_ENTRY], { env: { FC_SERVER_PORT: '0' } });
      const { address, port } = await servingPort(served);
      // FC cannot reach a server bound to 127.0.0.1: serve binds every interface.
      expect(address).to.equal('0.0.0.0');
      const url = `http://127.0.0.1:${port}`;

      const ok = await cli(['invoke', '--url', url, '-f', 'create-order', '--event', ORDER_EVENT]);
      expect(ok.code, ok.stderr).to.equal(0);
      expect(JSON.parse(ok.stdout)).to.deep.equal(ORDER_ACCEPTED);

      const bad = await cli(['invoke', '--url', url, '-f', 'create-order', '-e', '-'], { stdin: '{"orderId":"A-9"}' });
      expect(bad.code).to.equal(1);
      expect(JSON.parse(bad.stdout)).to.include({ errorType: 'ValidationError' });

      served.child.kill('SIGTERM');
      expect(await served.exited).to.deep.equal({ code: 0, signal: null });
      expect(served.stdout()).to.include('[INFO] accepted order A-1001');
      expect(served.stdout()).to.include('[INFO] flushed 1 order(s)');
      expect(served.stderr()).to.equal('');
    });
  });
});
