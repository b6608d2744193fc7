/*
 * What one request can make the kernel write: an error body stays within FC's 256 KB and valid
 * JSON in FC's shape, a log line within its documented size, whatever the event, the thrown value
 * or the logged value holds; and logging a value that cannot be printed never throws.
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { IsString } from 'class-validator';
import {
  Ctx,
  Event,
  FcContext,
  FcFunction,
  OnInvoke,
  ValidationError,
  type EventValidator,
  type FcHttpServer,
} from '../../src';
import { MAX_ERROR_BODY_BYTES } from '../../src/errors/errorBody';
import { MAX_LOG_LINE_BYTES } from '../../src/logging/FcLogger';
import { capture, PLANTED_ENV, tally } from './capture';
import {
  capturedKernel,
  dispatchChecked,
  expectFcError,
  fcHeaders,
  listen,
  send,
  sendChecked,
  sleep,
  type FcErrorBody,
} from './harness';

class Note {
  @IsString()
  text!: string;
}

@FcFunction({ name: 'note' })
class NoteFunction {
  @OnInvoke()
  take(@Event() note: Note): string {
    return note.text;
  }
}

/** A value whose every inspection throws: a custom inspector, a `stack` getter, a Proxy. */
function unprintable(kind: string): unknown {
  switch (kind) {
    case 'custom-inspect':
      return {
        [inspect.custom]() {
          throw new Error('inspect.custom refused');
        },
      };
    case 'stack-getter': {
      const error = new Error('stack refused');
      Object.defineProperty(error, 'stack', {
        get() {
          throw new Error('the stack getter threw');
        },
      });
      return error;
    }
    default:
      return new Proxy(
        {},
        {
          get() {
            throw new Error('get trap');
          },
          getPrototypeOf() {
            throw new Error('getPrototypeOf trap');
          },
          ownKeys() {
            throw new Error('ownKeys trap');
          },
          getOwnPropertyDescriptor() {
            throw new Error('getOwnPropertyDescriptor trap');
          },
          has() {
            throw new Error('has trap');
          },
        },
      );
  }
}

/** Huge things, chosen by the event. */
@FcFunction({ name: 'huge' })
class HugeFunction {
  @OnInvoke()
  make(@Event() what: string, @Ctx() ctx: FcContext): string {
    switch (what) {
      case 'message':
        throw new Error('x'.repeat(30_000_000));
      case 'escaped-message':
        // Six bytes of JSON per character.
        throw new Error('\u0001'.repeat(1_000_000));
      case 'frames': {
        const error = new Error('deep');
        error.stack = `Error: deep\n${`    at frame (${'f'.repeat(2_000)}.js:1:1)\n`.repeat(100_000)}`;
        throw error;
      }
      case 'name': {
        const error = new Error('named');
        error.name = 'N'.repeat(5_000_000);
        throw error;
      }
      case 'log':
        ctx.logger.info('y'.repeat(30_000_000));
        ctx.logger.info({ nested: 'z'.repeat(5_000_000) });
        ctx.logger.info('\u{1F600}'.repeat(1_000_000));
        return 'logged';
      default:
        for (const value of [unprintable(what), [unprintable(what)], { inner: unprintable(what) }]) {
          ctx.logger.info('value:', value);
          ctx.logger.error('%s and %o', value, value);
        }
        return 'survived';
    }
  }
}

/** An engine that reports thousands of field errors with long paths and messages. */
const floodingEngine: EventValidator = {
  compile() {
    return () => {
      throw new ValidationError(
        Array.from({ length: 5_000 }, (_, i) => ({
          path: `items.${i}.${'p'.repeat(10_000)}`,
          constraints: { a: 'm'.repeat(10_000), b: '\u0002'.repeat(5_000) },
        })),
      );
    };
  },
};

@FcFunction({ name: 'flooded' })
class FloodedFunction {
  @OnInvoke()
  take(@Event() note: Note): string {
    return note.text;
  }
}

/** The error body of an answer, checked against FC's cap and shape. */
function expectBoundedError(answer: { statusCode: number; headers: object; body: Buffer | string }): FcErrorBody {
  expect(Buffer.byteLength(answer.body)).to.be.at.most(MAX_ERROR_BODY_BYTES);
  const error = expectFcError(answer);
  expect(error.stackTrace).to.be.an('array');
  for (const frame of error.stackTrace) expect(frame).to.be.a('string');
  for (const fieldError of error.errors ?? []) {
    expect(fieldError.path).to.be.a('string');
    for (const message of Object.values(fieldError.constraints)) expect(message).to.be.a('string');
  }
  return error;
}

function expectBoundedLines(lines: string[]): void {
  for (const line of lines) expect(Buffer.byteLength(line), line.slice(0, 100)).to.be.at.most(MAX_LOG_LINE_BYTES);
}

describe('output bounds', function () {
  this.timeout(60_000);
  const { kernel, lines, close } = capturedKernel('output kernel', {
    functions: [NoteFunction, HugeFunction],
  });
  const flooded = capturedKernel('output kernel', {
    functions: [FloodedFunction],
    validation: { validator: floodingEngine },
  });
  let server: FcHttpServer;

  before(async () => {
    server = await listen(kernel);
  });
  after(async () => {
    await server.close();
    await close();
    await flooded.close();
  });

  const send = (fn: string, body: string) =>
    dispatchChecked(
      kernel,
      { method: 'POST', path: '/invoke', headers: fcHeaders({ 'x-fc-function-name': fn }), body },
      'output dispatch',
    );

  it('answers a 5 MB property name within 256 KB, over dispatch and HTTP, and logs a bounded line', async () => {
    const before = lines.length;
    const body = `{"text":"a","${'k'.repeat(5_000_000)}":1}`;
    tally.inputsTried++;
    const answers = [
      await send('note', body),
      await sendChecked(server.port, {
        headers: fcHeaders({ 'x-fc-function-name': 'note' }),
        body,
        source: 'output http',
      }),
    ];
    for (const answer of answers) {
      const error = expectBoundedError(answer);
      expect(error.errorType).to.equal('ValidationError');
      expect(error.errorMessage).to.match(/^Event validation failed: k+…\(\d+ bytes cut\)…k+ should not exist$/);
      expect(error.errors).to.have.length(1);
      expect(error.errors![0]!.path).to.match(/^k+…\(\d+ bytes cut\)…k+$/);
    }
    expectBoundedLines(lines.slice(before));
  });

  for (const what of ['message', 'escaped-message', 'frames', 'name']) {
    it(`answers a thrown error with a huge ${what} within 256 KB and logs a bounded line`, async () => {
      const before = lines.length;
      tally.inputsTried++;
      const error = expectBoundedError(await send('huge', what));
      expect(error.errorMessage.length + error.errorType.length + error.stackTrace.length).to.be.greaterThan(0);
      expectBoundedLines(lines.slice(before));
    });
  }

  it('answers thousands of field errors with long paths and messages within 256 KB', async () => {
    tally.inputsTried++;
    const answer = await dispatchChecked(flooded.kernel, {
      method: 'POST',
      path: '/invoke',
      headers: fcHeaders(),
      body: '{}',
    });
    const error = expectBoundedError(answer);
    expect(error.errorType).to.equal('ValidationError');
    expect(error.errors!.length).to.be.greaterThan(0);
    expect(error.errorMessage).to.contain('and 4995 more');
    expectBoundedLines(flooded.lines);
  });

  it('writes a 30 MB log message as one bounded line', async () => {
    const before = lines.length;
    tally.inputsTried++;
    expect((await send('huge', 'log')).body).to.equal('logged');
    const written = lines.slice(before).filter((l) => l.includes('[INFO]'));
    expect(written).to.have.length(3);
    expectBoundedLines(written);
    for (const line of written) expect(line).to.match(/…\(\d+ bytes cut\)…/);
  });

  for (const kind of ['custom-inspect', 'stack-getter', 'proxy']) {
    it(`logs a value whose inspection throws (${kind}) without throwing, in handlers and for rejections`, async () => {
      const before = lines.length;
      tally.faultsInjected++;
      expect((await send('huge', kind)).body).to.equal('survived');
      expect(() => kernel.logUnhandledRejection(unprintable(kind))).to.not.throw();
      const written = lines.slice(before);
      expect(written.filter((l) => l.includes('[INFO] value:'))).to.have.length(3);
      expect(written.some((l) => l.includes('[ERROR] Unhandled promise rejection:'))).to.equal(true);
      tally.faultsSurvived++;
    });
  }
});

describe('a log reader that falls behind', function () {
  this.timeout(60_000);

  /**
   * Serves the `logFlood` fixture with its stdout a pipe that is not read until `resume()`,
   * as FC's log agent falling behind leaves it.
   */
  async function stalledServer() {
    const child = spawn(process.execPath, [join(__dirname, 'fixtures', 'logFlood.js')], {
      env: { PATH: process.env.PATH ?? '', ...PLANTED_ENV },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.pause();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
    for (let waited = 0; !/listening on \d+/.test(stderr) && waited < 10_000; waited += 20) await sleep(20);
    const port = Number(/listening on (\d+)/.exec(stderr)?.[1]);
    let stdout = '';
    const resume = () => {
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stdout.resume();
    };
    return { child, port, exited, resume, stdout: () => stdout, stderr: () => stderr };
  }

  /** Invokes `flood`, giving up (counted as lost) after 10 s. */
  const flood = (port: number, id: string, bytes: number) =>
    send(port, {
      headers: fcHeaders({ 'x-fc-function-name': 'flood' }),
      body: JSON.stringify({ id, bytes }),
      agent: false,
      source: 'stalled stdout http',
      signal: AbortSignal.timeout(10_000),
    }).then(
      (answer) => answer.body.toString(),
      (error: unknown) => `no answer: ${String(error)}`,
    );

  it('answers invocations and GET / while nobody reads stdout, and writes every line once the reader returns', async () => {
    const server = await stalledServer();
    try {
      // 20 x 256 KB: far more than a pipe holds, well within the queue's bound.
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) => flood(server.port, `stall-${i}`, 256 * 1024)),
      );
      const probe = await send(server.port, {
        method: 'GET',
        path: '/',
        agent: false,
        signal: AbortSignal.timeout(10_000),
      }).then(
        (answer) => answer.statusCode,
        (error: unknown) => `no answer: ${String(error)}`,
      );
      expect(
        answers.filter((body, i) => body === `stall-${i}`).length,
        answers.find((b) => b.startsWith('no')),
      ).to.equal(20);
      expect(probe).to.equal(200);
      server.resume();
      server.child.kill('SIGTERM');
      expect(await server.exited, server.stderr()).to.equal(0);
      const lines = server.stdout().split('\n');
      expect(lines.filter((l) => l.startsWith('FC Invoke End'))).to.have.length(20);
      expect(lines.filter((l) => / stall-\d+ line \d+ x+$/.test(l))).to.have.length(20 * 32);
      expect(server.stdout()).to.not.contain('dropped');
      capture('stalled stdout', server.stdout().slice(0, 100_000), server.stderr());
    } finally {
      server.child.kill('SIGKILL');
    }
  });

  it('drops lines past the queue bound, answers all the same, and says how many once the reader returns', async () => {
    const server = await stalledServer();
    try {
      // 40 x 1 MiB: past the 16 MiB the queue holds.
      const answers = await Promise.all(
        Array.from({ length: 40 }, (_, i) => flood(server.port, `over-${i}`, 1024 * 1024)),
      );
      expect(
        answers.filter((body, i) => body === `over-${i}`).length,
        answers.find((b) => b.startsWith('no')),
      ).to.equal(40);
      server.resume();
      server.child.kill('SIGTERM');
      expect(await server.exited, server.stderr()).to.equal(0);
      const lines = server.stdout().split('\n');
      const dropped = lines.map((l) => /^fc-kernel: (\d+) log line\(s\) dropped/.exec(l)).filter((m) => m !== null);
      expect(dropped.length).to.be.greaterThan(0);
      const droppedCount = dropped.reduce((sum, m) => sum + Number(m[1]), 0);
      // Every line the functions logged, and the markers, was written or counted.
      const logged = lines.filter((l) => / over-\d+ line \d+ x+$/.test(l) || l.startsWith('FC Invoke ')).length;
      expect(logged + droppedCount).to.equal(40 * (128 + 2));
      capture('stalled stdout', server.stdout().slice(0, 100_000), server.stderr());
    } finally {
      server.child.kill('SIGKILL');
    }
  });
});
