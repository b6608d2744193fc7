import { expect } from 'chai';
import { BatchedLogWriter, type WriteSync } from '../../src/logging/BatchedLogWriter';
import { sleep } from '../helpers/async';

/** One event-loop turn later (after the immediates queued now). */
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/** Waits until `done()` holds, checking every few milliseconds, for at most ten seconds. */
async function until(done: () => boolean): Promise<void> {
  for (let waited = 0; !done() && waited < 10_000; waited += 5) await sleep(5);
}

function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(code), { code });
}

/**
 * A descriptor in memory: records every call, takes at most `room` bytes until `read()` empties
 * it (a pipe whose reader is behind answers EAGAIN when full), and can be made to fail.
 */
function fakeDescriptor(capacity = Infinity) {
  let room = capacity;
  const calls: string[] = [];
  const received: Buffer[] = [];
  let free = room;
  let failure: string | undefined;
  const writeSync: WriteSync = (_fd, data) => {
    if (failure) throw errno(failure);
    const bytes = typeof data === 'string' ? Buffer.from(data) : Buffer.from(data);
    if (free === 0) throw errno('EAGAIN');
    const taken = bytes.subarray(0, Math.min(free, bytes.length));
    free -= taken.length;
    calls.push(taken.toString());
    received.push(taken);
    return taken.length;
  };
  return {
    writeSync,
    calls,
    text: () => Buffer.concat(received).toString(),
    read: () => {
      free = room;
    },
    setRoom: (bytes: number) => {
      free = room = bytes;
    },
    fail: (code: string | undefined) => {
      failure = code;
    },
  };
}

describe('BatchedLogWriter', () => {
  it('writes the lines of one turn at its end, in one call, in order', async () => {
    const fd = fakeDescriptor();
    const writer = new BatchedLogWriter({ fd: 1, writeSync: fd.writeSync });
    writer.write('a');
    writer.write('b');
    writer.write('c');
    expect(fd.calls).to.deep.equal([]);
    await nextTurn();
    expect(fd.calls).to.deep.equal(['a\nb\nc\n']);
    writer.write('d');
    await nextTurn();
    expect(fd.calls).to.deep.equal(['a\nb\nc\n', 'd\n']);
    expect(writer.hasPending).to.equal(false);
  });

  it('writes a batch at once when it reaches flushAt', () => {
    const fd = fakeDescriptor();
    const writer = new BatchedLogWriter({ fd: 1, writeSync: fd.writeSync, flushAt: 10 });
    writer.write('12345');
    expect(fd.calls).to.deep.equal([]);
    writer.write('6789');
    expect(fd.calls).to.deep.equal(['12345\n6789\n']);
  });

  it('keeps what a full descriptor refuses and writes it, in order, once there is room', async () => {
    const fd = fakeDescriptor(8);
    const writer = new BatchedLogWriter({ fd: 1, writeSync: fd.writeSync });
    for (const line of ['one', 'two', 'three']) writer.write(line);
    await nextTurn();
    expect(fd.text()).to.equal('one\ntwo\n');
    writer.write('four');
    await nextTurn();
    expect(fd.text()).to.equal('one\ntwo\n');
    expect(writer.hasPending).to.equal(true);
    fd.read();
    // Retried on a timer, without another line to prompt it.
    await until(() => fd.text().length > 8);
    expect(fd.text()).to.equal('one\ntwo\nthree\nfo');
    fd.read();
    await until(() => !writer.hasPending);
    expect(fd.text()).to.equal('one\ntwo\nthree\nfour\n');
    expect(writer.hasPending).to.equal(false);
  });

  it('cuts a partial write between bytes, not characters, and loses none', () => {
    const fd = fakeDescriptor(5);
    const writer = new BatchedLogWriter({ fd: 1, writeSync: fd.writeSync, flushAt: 1 });
    writer.write('é€𝄞 done');
    for (let i = 0; i < 10 && writer.hasPending; i++) {
      fd.read();
      writer.flush();
    }
    expect(fd.text()).to.equal('é€𝄞 done\n');
  });

  it('flushSync waits for a full descriptor to take everything', () => {
    let refusals = 3;
    const fd = fakeDescriptor();
    const writer = new BatchedLogWriter({
      fd: 1,
      writeSync: (f, data) => {
        if (refusals-- > 0) throw errno('EAGAIN');
        return fd.writeSync(f, data);
      },
    });
    writer.write('last words');
    writer.flushSync();
    expect(fd.text()).to.equal('last words\n');
    expect(writer.hasPending).to.equal(false);
  });

  it('flushSync gives up on a descriptor that never takes anything', () => {
    const writer = new BatchedLogWriter({
      fd: 1,
      writeSync: () => {
        throw errno('EAGAIN');
      },
    });
    writer.write('nobody reads this');
    writer.flushSync(20);
    expect(writer.hasPending).to.equal(true);
  });

  it('flushSync waits as long as the descriptor goes on taking bytes, past timeoutMs in all', () => {
    const fd = fakeDescriptor(16);
    let calls = 0;
    const writer = new BatchedLogWriter({
      fd: 1,
      // A reader that takes 16 bytes every other try: slow, but never stuck.
      writeSync: (f, data) => {
        if (calls++ % 2 === 1) fd.read();
        return fd.writeSync(f, data);
      },
    });
    for (let n = 0; n < 200; n++) writer.write(`line ${n}`);
    writer.flushSync(5);
    expect(writer.hasPending).to.equal(false);
    expect(fd.text().split('\n')).to.have.length(201);
  });

  it('drops what a closed descriptor refuses and goes on with later lines', async () => {
    const fd = fakeDescriptor();
    const writer = new BatchedLogWriter({ fd: 1, writeSync: fd.writeSync });
    fd.fail('EPIPE');
    writer.write('lost');
    await nextTurn();
    expect(writer.hasPending).to.equal(false);
    fd.fail(undefined);
    writer.write('after');
    await nextTurn();
    expect(fd.text()).to.equal('after\n');
  });

  it('drops lines past maxPendingBytes and says how many once the reader catches up', () => {
    const fd = fakeDescriptor(0);
    const writer = new BatchedLogWriter({ fd: 1, writeSync: fd.writeSync, maxPendingBytes: 12, flushAt: 1 });
    // 15 bytes wait after the third line: the fourth and fifth are dropped.
    for (const line of ['aaaa', 'bbbb', 'cccc', 'dddd', 'eeee']) writer.write(line);
    expect(fd.text()).to.equal('');
    fd.setRoom(Infinity);
    writer.flush();
    writer.write('ffff');
    expect(fd.text()).to.equal(
      'aaaa\nbbbb\ncccc\nfc-kernel: 2 log line(s) dropped: the log descriptor was not read fast enough\nffff\n',
    );
  });
});
