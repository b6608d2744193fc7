import { expect } from 'chai';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cli, fixture } from './helpers';

const CREDENTIALS = {
  ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAI5tCliSecretsKeyId07',
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'cliSecretsSecret-9z8y7x6w5v4u',
  ALIBABA_CLOUD_SECURITY_TOKEN: 'CAIScliSecretsSecurityToken+/8Kq==',
};
/** A credential given with -H rather than taken from the environment. */
const HEADER_SECRET = 'headerGivenSecret-3c4d5e6f7g';

/** Every value, as printed or as a client library would encode it, that must not be printed. */
function expectNoCredential(text: string): void {
  for (const secret of [...Object.values(CREDENTIALS), HEADER_SECRET]) {
    expect(text).to.not.include(secret);
    expect(text).to.not.include(encodeURIComponent(secret));
    expect(text).to.not.include(secret.slice(0, 12));
  }
  const basic = Buffer.from(`${CREDENTIALS.ALIBABA_CLOUD_ACCESS_KEY_ID}:`).toString('base64');
  expect(text).to.not.include(Buffer.from(CREDENTIALS.ALIBABA_CLOUD_ACCESS_KEY_SECRET).toString('base64').slice(4, 20));
  expect(text).to.not.include(basic.slice(0, 12));
}

describe('the CLI keeps credentials out of what it prints', () => {
  describe('an entry whose load error quotes a credential from the environment', () => {
    const saved: Record<string, string | undefined> = {};
    beforeEach(() => {
      // The entry reads the process's environment, as a real one does.
      for (const [name, value] of Object.entries(CREDENTIALS)) {
        saved[name] = process.env[name];
        process.env[name] = value;
      }
    });
    afterEach(() => {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    });

    for (const command of ['invoke', 'serve', 'inspect']) {
      it(`${command}: exit 2, the error redacted`, async () => {
        const run = await cli([command, fixture('leaksOnLoad')], { env: CREDENTIALS });
        expect(run.code).to.equal(2);
        expect(run.stderr).to.include('cannot sign in as [redacted] with [redacted] ([redacted], Basic ');
        expectNoCredential(run.stdout + run.stderr);
      });
    }
  });

  describe('invoke --url against a container that echoes the credentials back', () => {
    let server: Server | undefined;
    afterEach(() => {
      server?.closeAllConnections();
      server?.close();
    });

    /** A container that answers `status` with every header it received, as text and encoded. */
    async function echoingContainer(status: number, xFcStatus: boolean): Promise<string> {
      server = createServer((req, res) => {
        const echoed = JSON.stringify(req.headers);
        const signedUrl = `https://oss/?token=${encodeURIComponent(String(req.headers['x-fc-security-token']))}`;
        const basic = Buffer.from(`${req.headers['x-fc-access-key-id']}:${req.headers['x-fc-access-key-secret']}`);
        res.writeHead(status, xFcStatus ? { 'x-fc-status': String(status) } : {});
        res.end(`${echoed} ${signedUrl} Basic ${basic.toString('base64')}`);
      });
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    }

    for (const [status, xFcStatus, code] of [
      [200, true, 0],
      [404, true, 1],
      [500, false, 1],
    ] as const) {
      it(`status ${status}${xFcStatus ? '' : ' without x-fc-status'}: the body printed, the credentials redacted`, async () => {
        const url = await echoingContainer(status, xFcStatus);
        const run = await cli(['invoke', '--url', url, '-H', `x-fc-access-key-secret=${HEADER_SECRET}`], {
          env: CREDENTIALS,
        });
        expect(run.code, run.stderr).to.equal(code);
        expect(run.stdout).to.include('"x-fc-access-key-id":"[redacted]"');
        expect(run.stdout).to.include('"x-fc-access-key-secret":"[redacted]"');
        expect(run.stdout).to.include('token=[redacted]');
        expectNoCredential(run.stdout + run.stderr);
      });
    }
  });
});
