import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, fixture, ORDER_ENTRY, PROJECT_ROOT } from './helpers';

/** Asserts a usage-level failure: exit 2, nothing on stdout, `message` on stderr. */
async function expectExit2(argv: string[], message: string | RegExp, stdin?: string): Promise<string> {
  const run = await cli(argv, { stdin });
  expect(run.code, run.stderr).to.equal(2);
  expect(run.stdout).to.equal('');
  if (typeof message === 'string') expect(run.stderr).to.include(message);
  else expect(run.stderr).to.match(message);
  return run.stderr;
}

describe('fc-kernel: help, usage errors and exit code 2', () => {
  describe('fc-kernel itself', () => {
    it('--help lists the commands on stdout, exit 0', async () => {
      for (const flag of ['--help', '-h']) {
        const run = await cli([flag]);
        expect(run.code).to.equal(0);
        expect(run.stdout).to.match(/^Usage: fc-kernel <command>/);
        expect(run.stdout).to.include('  init ').and.include('  serve ').and.include('  invoke ');
      }
    });

    it('with no arguments prints the help on stderr and exits 2', async () => {
      const run = await cli([]);
      expect(run.code).to.equal(2);
      expect(run.stdout).to.equal('');
      expect(run.stderr).to.match(/^Usage: fc-kernel <command>/);
    });

    it("--version prints package.json's version", async () => {
      const { version } = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };
      const run = await cli(['--version']);
      expect(run).to.deep.include({ code: 0, stdout: `${version}\n` });
    });

    it('an unknown command or option: exit 2', async () => {
      await expectExit2(['deploy'], 'unknown command "deploy"; the commands: init, serve, invoke');
      await expectExit2(['--verbose'], "Unknown option '--verbose'");
    });
  });

  describe('--help of every command', () => {
    for (const command of ['init', 'serve', 'invoke']) {
      it(`fc-kernel ${command} --help: its usage on stdout, exit 0, even with the other arguments`, async () => {
        const run = await cli([command, ORDER_ENTRY, '--help']);
        expect(run.code).to.equal(0);
        expect(run.stdout).to.match(new RegExp(`^Usage:\\n  fc-kernel ${command} `));
        expect(run.stdout).to.include('Exit status:');
        expect(run.stderr).to.equal('');
      });
    }
  });

  describe('the command line', () => {
    it('an unknown option, or a missing value, with a pointer to --help', async () => {
      const stderr = await expectExit2(['invoke', ORDER_ENTRY, '--evnt', 'x.json'], "Unknown option '--evnt'");
      expect(stderr).to.include("Run 'fc-kernel invoke --help' for the usage.");
      await expectExit2(['invoke', ORDER_ENTRY, '--event'], "Option '-e, --event <value>' argument missing");
    });

    it('invoke: no entry and no --url, both, or two entries', async () => {
      await expectExit2(['invoke'], 'give an entry to load, or --url');
      await expectExit2(['invoke', ORDER_ENTRY, '--url', 'http://127.0.0.1:9'], 'give an entry or --url, not both');
      await expectExit2(['invoke', ORDER_ENTRY, ORDER_ENTRY], 'one entry at a time');
    });

    it('serve: no entry, or two', async () => {
      await expectExit2(['serve'], 'give exactly one entry to serve');
      await expectExit2(['serve', ORDER_ENTRY, ORDER_ENTRY], 'give exactly one entry to serve');
    });

    it('a --url that is not an http:// address', async () => {
      await expectExit2(['invoke', '--url', '127.0.0.1:9000'], '--url "127.0.0.1:9000" is not a URL');
      await expectExit2(['invoke', '--url', 'localhost:9000'], 'FC talks plain http:// to a container');
      await expectExit2(['invoke', '--url', 'https://127.0.0.1:9000'], 'FC talks plain http:// to a container');
    });
  });

  describe('the entry', () => {
    for (const command of ['serve', 'invoke']) {
      it(`${command}: a missing entry`, async () => {
        await expectExit2(
          [command, 'dist/nowhere/index.js'],
          /cannot find the entry dist\/nowhere\/index\.js \(no module at \//,
        );
      });
    }

    it('TypeScript source instead of the compiled module', async () => {
      await expectExit2(
        ['invoke', 'samples/order-service/index.ts'],
        'is TypeScript source: an entry is the compiled module',
      );
    });

    it('an entry that exports no function: its exports named, and what an entry is', async () => {
      const stderr = await expectExit2(
        ['invoke', fixture('noFunctions')],
        'noFunctions.js exports no @FcFunction class (its exports: PricingService, currency).',
      );
      expect(stderr).to.include('a main.js that calls serve() is not an entry');
    });

    it('a default array with something else than a function in it', async () => {
      await expectExit2(
        ['invoke', fixture('badDefault'), '-f', 'echo'],
        'item 1 ("shout") is not an @FcFunction class',
      );
    });

    it('an entry that throws while it loads: the error and its stack', async () => {
      const stderr = await expectExit2(['invoke', fixture('throwsOnLoad')], 'failed: Error: CONFIG_URL is not set');
      expect(stderr).to.include('throwsOnLoad.js:');
    });

    for (const command of ['serve', 'invoke']) {
      it(`${command}: functions the kernel refuses at boot: the ConfigurationError's code and message`, async () => {
        await expectExit2(
          [command, fixture('misconfigured')],
          /misconfigured: ConfigurationError \[DUPLICATE_HOOK\]: .*Misconfigured/,
        );
      });
    }
  });

  describe('the event', () => {
    it('a file that does not exist, or a directory', async () => {
      await expectExit2(
        ['invoke', ORDER_ENTRY, '--event', 'nothing-here.json'],
        'cannot read the event file nothing-here.json: no such file',
      );
      await expectExit2(
        ['invoke', ORDER_ENTRY, '--event', 'samples'],
        'cannot read the event file samples: it is a directory',
      );
    });
  });

  describe('--header', () => {
    it('not NAME=VALUE', async () => {
      await expectExit2(['invoke', ORDER_ENTRY, '-H', 'x-fc-region'], '--header "x-fc-region" is not NAME=VALUE');
      await expectExit2(['invoke', ORDER_ENTRY, '-H', '=cn-hangzhou'], 'is not NAME=VALUE');
    });

    it("curl's Name: value form, without echoing the value (it may be a secret)", async () => {
      const stderr = await expectExit2(
        ['invoke', ORDER_ENTRY, '-H', 'x-fc-access-key-secret: s3cr3t-value-never-printed'],
        '--header "x-fc-access-key-secret: …" is not NAME=VALUE',
      );
      expect(stderr).to.not.include('s3cr3t-value-never-printed');
    });

    it('an invalid name or value', async () => {
      await expectExit2(['invoke', ORDER_ENTRY, '-H', 'x fc=1'], '--header "x fc": not a valid HTTP header name');
      const stderr = await expectExit2(
        ['invoke', ORDER_ENTRY, '-H', 'x-fc-security-token=CAISnever-printed\r\nx-evil: 1'],
        '--header x-fc-security-token: the value holds characters a header cannot carry',
      );
      expect(stderr).to.not.include('never-printed');
    });

    it('a header the CLI sets itself', async () => {
      await expectExit2(
        ['invoke', ORDER_ENTRY, '-H', 'Content-Length=5'],
        '--header content-length: fc-kernel sets this header itself',
      );
    });
  });
});
