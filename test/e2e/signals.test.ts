import { expect } from 'chai';
import { Agent } from 'node:http';
import {
  expectOk,
  invoke,
  isListening,
  killChildren,
  lifecycle,
  sleep,
  startFixture,
  until,
  type HttpAnswer,
} from './helpers';

describe('e2e: SIGTERM in a child process', () => {
  afterEach(killChildren);

  async function startDrainFixture(env: Record<string, string>) {
    const child = startFixture('drain', { FC_CUSTOM_LISTEN_PORT: '0', ...env });
    const port = Number(/^listening on (\d+)$/.exec(await child.waitForLine(/^listening on \d+$/))![1]);
    return { port, child };
  }

  it('answers every request in flight and in the accept queue, runs @OnPreStop last, exits 0', async () => {
    const { port, child } = await startDrainFixture({
      HANDLER_MS: '300',
      ANNOUNCE_AT: '50',
      BLOCK_MS: '500',
      SIGTERM_WORK_MS: '50',
    });

    const inFlight = Array.from({ length: 50 }, (_, i) =>
      invoke(port, { id: `a-${i}` }, { 'x-fc-request-id': `a-${i}` }),
    );
    await child.waitForLine(/^50 handlers in flight$/);

    // The child's loop is blocked now: these connections complete in its kernel and wait to be
    // accepted when SIGTERM arrives.
    let connected = 0;
    const queued = Array.from({ length: 30 }, (_, i) =>
      invoke(port, { id: `b-${i}` }, { 'x-fc-request-id': `b-${i}` }, false, () => connected++),
    );
    await until(() => connected === 30, '30 connections');
    child.signal('SIGTERM');

    const outcomes = await Promise.all([...inFlight, ...queued].map((p) => p.catch((error: Error) => error)));
    const ids = [...Array.from({ length: 50 }, (_, i) => `a-${i}`), ...Array.from({ length: 30 }, (_, i) => `b-${i}`)];
    const failed = outcomes.flatMap((o, i) => (o instanceof Error ? [`${ids[i]}: ${o.message}`] : []));
    expect(failed, `stdout:\n${child.stdout}\nstderr:\n${child.stderr}`).to.deep.equal([]);
    (outcomes as HttpAnswer[]).forEach((answer, i) =>
      expect(expectOk(answer).json()).to.deep.equal({ id: ids[i], requestId: ids[i] }),
    );

    const { code, signal } = await child.exited;
    expect({ code, signal }).to.deep.equal({ code: 0, signal: null });

    const lines = child.stdoutLines;
    const preStop = lines.findIndex((l) => l.endsWith('[INFO] pre-stop hook ran'));
    const lastInvokeEnd = lines.map((l) => l.startsWith('FC Invoke End RequestId: ')).lastIndexOf(true);
    expect(preStop, child.stdout).to.be.greaterThan(-1);
    expect(lines.filter((l) => l.startsWith('FC Invoke End RequestId: '))).to.have.length(80);
    expect(preStop, 'the pre-stop hook runs after the last invocation ended').to.be.greaterThan(lastInvokeEnd);
    expect(lines.filter((l) => l.endsWith('[INFO] pre-stop hook ran'))).to.have.length(1);
    expect(lines[preStop - 1]).to.match(/^FC PreStop Start RequestId: /);
  });

  it('keeps draining on a second SIGTERM (a process group signalled twice): the request is answered, exit 0', async () => {
    const { port, child } = await startDrainFixture({ HANDLER_MS: '1000', ANNOUNCE_AT: '1' });

    const slow = invoke(port, { id: 'long' }, { 'x-fc-request-id': 'long' });
    await child.waitForLine(/^1 handlers in flight$/);
    child.signal('SIGTERM');
    // The first SIGTERM has been handled once the listener is closed.
    for (let i = 0; i < 500 && (await isListening(port)); i++) await sleep(10);
    expect(await isListening(port), 'the listener closes on the first SIGTERM').to.equal(false);
    expect(child.running, 'still draining the 1 s handler').to.equal(true);

    child.signal('SIGTERM');
    expect(expectOk(await slow).json()).to.deep.equal({ id: 'long', requestId: 'long' });
    expect(await child.exited).to.deep.equal({ code: 0, signal: null });
    expect(child.stdout).to.include('handler finished long');
    expect(child.stdoutLines.filter((l) => l.endsWith('[INFO] pre-stop hook ran'))).to.have.length(1);
  });

  it('exits promptly with idle kept-alive connections open, closing the busy one after its answer', async () => {
    const { port, child } = await startDrainFixture({ HANDLER_MS: '200', ANNOUNCE_AT: '3' });
    // FC keeps its connections to the instance open between invocations: two here.
    const agent = new Agent({ keepAlive: true, maxSockets: 2 });
    try {
      const warm = await Promise.all(
        ['k-0', 'k-1'].map((id) => invoke(port, { id }, { 'x-fc-request-id': id }, agent)),
      );
      for (const answer of warm) expectOk(answer);
      const busy = invoke(port, { id: 'k-2' }, { 'x-fc-request-id': 'k-2' }, agent);
      await child.waitForLine(/^3 handlers in flight$/);
      child.signal('SIGTERM');
      const last = expectOk(await busy);
      expect(last.json()).to.deep.equal({ id: 'k-2', requestId: 'k-2' });
      expect(last.headers.connection).to.equal('close');
      expect(await child.exited).to.deep.equal({ code: 0, signal: null });
    } finally {
      agent.destroy();
    }
  });

  it('does not run @OnPreStop again on SIGTERM when FC already called /pre-stop', async () => {
    const { port, child } = await startDrainFixture({ HANDLER_MS: '0' });
    expectOk(await invoke(port, { id: 'p-1' }));
    expectOk(await lifecycle(port, '/pre-stop', { 'x-fc-request-id': 'stop-1' }));
    child.signal('SIGTERM');
    expect(await child.exited).to.deep.equal({ code: 0, signal: null });
    const ran = child.stdoutLines.filter((l) => l.endsWith('[INFO] pre-stop hook ran'));
    expect(ran).to.have.length(1);
    expect(ran[0]).to.include(' stop-1 [INFO]');
  });
});
