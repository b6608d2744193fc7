import { expect } from 'chai';
import fs from 'node:fs';
import { flushLogs, stdoutSink } from '../../src/logging/LogSink';
import { currentConsoleRoute } from '../../src/kernel/InvocationFactory';
import { installConsoleBridge } from '../../src/logging/consoleBridge';

/**
 * File descriptor 1 as a pipe whose reader is behind (`EAGAIN`) until `read()`, recording what it
 * takes; process.stdout (the console's own stream) recorded apart.
 */
function stalledStdout() {
  const writeSync = fs.writeSync;
  const streamWrite = process.stdout.write;
  let stuck = true;
  let taken = '';
  let printed = '';
  fs.writeSync = ((fd: number, data: string | NodeJS.ArrayBufferView, ...rest: unknown[]) => {
    if (fd !== 1) return (writeSync as (...args: unknown[]) => number)(fd, data, ...rest);
    if (stuck) throw Object.assign(new Error('EAGAIN'), { code: 'EAGAIN' });
    const text =
      typeof data === 'string' ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString();
    taken += text;
    return Buffer.byteLength(text);
  }) as typeof fs.writeSync;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    printed += String(chunk);
    return true;
  }) as typeof process.stdout.write;
  return {
    taken: () => taken,
    printed: () => printed,
    read: () => (stuck = false),
    restore: () => {
      fs.writeSync = writeSync;
      process.stdout.write = streamWrite;
    },
  };
}

describe('the default sink with a stdout reader that is behind', () => {
  it('queues console.log outside invocations behind the lines stdout has not taken yet', () => {
    installConsoleBridge(currentConsoleRoute);
    const stdout = stalledStdout();
    try {
      stdoutSink('logged first');
      console.log('printed after %d lines', 1);
      expect(stdout.printed()).to.equal('');
      stdout.read();
      flushLogs();
      expect(stdout.taken()).to.equal('logged first\nprinted after 1 lines\n');
    } finally {
      stdout.restore();
    }
  });

  it('prints console.log outside invocations as usual once stdout has taken every line', () => {
    installConsoleBridge(currentConsoleRoute);
    const stdout = stalledStdout();
    try {
      stdout.read();
      stdoutSink('logged first');
      console.log('printed after');
      expect(stdout.taken()).to.equal('logged first\n');
      expect(stdout.printed()).to.equal('printed after\n');
    } finally {
      stdout.restore();
    }
  });
});
