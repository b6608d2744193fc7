import { expect } from 'chai';
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createKernel, Event, FcFunction, listen, OnInvoke, type FcHttpServer } from '../../src';
import { deferred, settle, type Deferred } from '../helpers/async';

/**
 * What went out, in order: the default sink's writes to stdout (file descriptor 1, kept here
 * rather than printed) and the server's answers.
 */
/** `writes`: how many writes to stdout held End markers. */
function recordOutput(server: FcHttpServer): { events: string[]; writes: () => number; restore(): void } {
  const events: string[] = [];
  let writes = 0;
  const writeSync = fs.writeSync;
  fs.writeSync = ((fd: number, data: string | NodeJS.ArrayBufferView, ...rest: unknown[]) => {
    if (fd !== 1) return (writeSync as (...args: unknown[]) => number)(fd, data, ...rest);
    const text =
      typeof data === 'string' ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString();
    const ends = text.split('\n').filter((l) => l.startsWith('FC Invoke End'));
    if (ends.length > 0) writes++;
    for (const line of ends) events.push(line);
    return Buffer.byteLength(text);
  }) as typeof fs.writeSync;
  server.server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
    res.writeHead = ((...args: unknown[]) => {
      events.push(`answer ${String(req.headers['x-fc-request-id'])}`);
      return writeHead(...args);
    }) as typeof res.writeHead;
  });
  return {
    events,
    writes: () => writes,
    restore: () => {
      fs.writeSync = writeSync;
    },
  };
}

function post(server: FcHttpServer, requestId: string, body: string): Promise<Response> {
  return fetch(`http://127.0.0.1:${server.port}/invoke`, {
    method: 'POST',
    headers: { 'x-fc-request-id': requestId },
    body,
  });
}

describe('the default sink and the HTTP server', () => {
  let server: FcHttpServer | undefined;
  let output: ReturnType<typeof recordOutput> | undefined;
  afterEach(async () => {
    await server?.close();
    output?.restore();
  });

  async function start(gates: Map<string, Deferred<void>>): Promise<FcHttpServer> {
    @FcFunction({ name: 'idle-flush' })
    class Gated {
      @OnInvoke()
      async handle(@Event() name: string): Promise<string> {
        await gates.get(name)?.promise;
        return name;
      }
    }
    // No logSink: the default one, stdout.
    const kernel = createKernel({ functions: [Gated], env: {} });
    return listen(kernel, { port: 0, host: '127.0.0.1' });
  }

  it('writes the lines before the answer that leaves the instance idle, which FC may then freeze', async () => {
    server = await start(new Map());
    output = recordOutput(server);
    const res = await post(server, 'idle-1', 'alone');
    expect(await res.text()).to.equal('alone');
    expect(output.events).to.deep.equal(['FC Invoke End RequestId: idle-1', 'answer idle-1']);
  });

  it('writes the lines of an answer given while others run before it too', async () => {
    const gates = new Map([['second', deferred()]]);
    server = await start(gates);
    output = recordOutput(server);
    const second = post(server, 'busy-2', 'second');
    await settle(20);
    const first = await post(server, 'busy-1', 'first');
    expect(await first.text()).to.equal('first');
    gates.get('second')!.resolve();
    expect(await (await second).text()).to.equal('second');
    expect(output.events).to.deep.equal([
      'FC Invoke End RequestId: busy-1',
      'answer busy-1',
      'FC Invoke End RequestId: busy-2',
      'answer busy-2',
    ]);
  });

  it('writes the lines of answers given in one turn once, before the first of them', async () => {
    const gate = deferred();
    const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'];
    server = await start(new Map(names.map((name) => [name, gate])));
    output = recordOutput(server);
    const answers = names.map((name) => post(server!, `turn-${name}`, name));
    await settle(50);
    // Every handler settles in the same turn.
    gate.resolve();
    expect(await Promise.all(answers.map(async (res) => (await res).text()))).to.deep.equal(names);
    for (const name of names) {
      const end = output.events.indexOf(`FC Invoke End RequestId: turn-${name}`);
      expect(end, name).to.be.at.least(0);
      expect(output.events.indexOf(`answer turn-${name}`), name).to.be.greaterThan(end);
    }
    // The nine End lines are logged before the first answer is written: one write, not nine.
    expect(output.writes()).to.equal(1);
  });
});
