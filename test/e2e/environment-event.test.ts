import { expect } from 'chai';
import { killChildren, startFixture, type ErrorJson } from './helpers';

const MARKER_OR_LOG =
  /^(FC \w+ (Start|End) RequestId: [^,\s]+(, Error: (Handled|Unhandled) function error)?|\d{4}-\d\d-\d\dT\S+Z \S+ \[(DEBUG|INFO|WARN|ERROR)\] [^\n]*)$/;

describe('e2e: non-web-server mode (FC_CUSTOM_CONTAINER_EVENT)', () => {
  afterEach(killChildren);

  async function runEvent(event: unknown, env: Record<string, string> = {}) {
    const child = startFixture('env-event', {
      FC_CUSTOM_CONTAINER_EVENT: typeof event === 'string' ? event : JSON.stringify(event),
      ...env,
    });
    const { code } = await child.exited;
    return { code, stdout: child.stdoutLines.filter((l) => l !== ''), stderr: child.stderr.trim() };
  }

  it('handles a valid event: exit 0, marker lines, and the JSON result last on stdout', async () => {
    const { code, stdout, stderr } = await runEvent({ orderId: 'o-42', quantity: 3 });
    expect(code, stderr).to.equal(0);
    expect(stderr).to.equal('');
    expect(JSON.parse(stdout.at(-1)!)).to.deep.equal({ orderId: 'o-42', quantity: 3, status: 'DONE' });

    const logs = stdout.slice(0, -1);
    for (const line of logs) expect(line).to.match(MARKER_OR_LOG);
    const requestId = /^FC Invoke Start RequestId: (\S+)$/.exec(
      logs.find((l) => l.startsWith('FC Invoke Start'))!,
    )![1]!;
    const invokeStart = logs.indexOf(`FC Invoke Start RequestId: ${requestId}`);
    const invokeEnd = logs.indexOf(`FC Invoke End RequestId: ${requestId}`);
    const processing = logs.findIndex((l) => l.endsWith(` ${requestId} [INFO] processing o-42`));
    expect(invokeStart).to.be.lessThan(processing);
    expect(processing).to.be.lessThan(invokeEnd);
    expect(logs).to.include(`FC Initialize Start RequestId: ${requestId}`);
    expect(logs.findIndex((l) => l.endsWith('[INFO] initialized'))).to.be.lessThan(invokeStart);
    // The instance ends with the event: buffered work is flushed first.
    expect(logs.findIndex((l) => l.endsWith('[INFO] flushed before exit'))).to.be.greaterThan(invokeEnd);
  });

  it('fails an invalid event: exit 1, ValidationError JSON on stderr, no result on stdout', async () => {
    const { code, stdout, stderr } = await runEvent({ orderId: 'o-43', quantity: 0 });
    expect(code).to.equal(1);
    const error = JSON.parse(stderr) as ErrorJson;
    expect(error.errorType).to.equal('ValidationError');
    expect(error.errors).to.deep.equal([
      { path: 'quantity', constraints: { min: 'quantity must not be less than 1' } },
    ]);
    expect(error.stackTrace).to.be.an('array');
    for (const line of stdout) expect(line).to.match(MARKER_OR_LOG);
    expect(stdout.some((l) => / \[INFO\] processing /.test(l))).to.equal(false);
    expect(stdout.filter((l) => l.startsWith('FC Invoke End'))[0]).to.match(/, Error: Handled function error$/);
  });

  it('fails malformed JSON with EventDecodeError', async () => {
    const { code, stderr } = await runEvent('{"orderId": ');
    expect(code).to.equal(1);
    expect((JSON.parse(stderr) as ErrorJson).errorType).to.equal('EventDecodeError');
  });

  it('fails a failing initializer: exit 1, InitializationError, the handler never runs', async () => {
    const { code, stdout, stderr } = await runEvent({ orderId: 'o-44', quantity: 1 }, { FAIL_INIT: '1' });
    expect(code).to.equal(1);
    const error = JSON.parse(stderr) as ErrorJson;
    expect(error.errorType).to.equal('InitializationError');
    expect(error.errorMessage).to.equal(
      'Initialization of function "env-orders" failed: cannot reach the config store',
    );
    expect(error.stackTrace.join('\n')).to.include('EnvOrders.init');
    for (const line of stdout) expect(line).to.match(MARKER_OR_LOG);
    expect(stdout.some((l) => l.startsWith('FC Invoke Start'))).to.equal(false);
    expect(stdout.some((l) => l.endsWith('[INFO] flushed before exit'))).to.equal(false);
  });

  it('logs an uncaught exception redacted, finishes the run, and exits 1', async () => {
    const secret = 'env-mode-secret-value-42';
    const { code, stdout, stderr } = await runEvent(
      { orderId: 'o-45', quantity: 1 },
      { THROW_IN_TIMER: '1', ALIBABA_CLOUD_ACCESS_KEY_ID: 'env-mode-key-id', ALIBABA_CLOUD_ACCESS_KEY_SECRET: secret },
    );
    expect(code).to.equal(1);
    const logged = stdout.find((l) => l.includes('[ERROR] Uncaught exception'));
    expect(logged).to.match(/ \[ERROR\] Uncaught exception: Error: timer of o-45 failed \(credential \[redacted\]\)/);
    expect(JSON.parse(stdout.at(-1)!)).to.include({ orderId: 'o-45', status: 'DONE' });
    expect([...stdout, stderr].join('\n')).to.not.contain(secret);
  });
});
