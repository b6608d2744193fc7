import { expect } from 'chai';
import { ConnectionSignal } from '../../src/transport/ConnectionSignal';

describe('ConnectionSignal', () => {
  it('calls each listener once with the reason set, and no removed one', () => {
    const signal = new ConnectionSignal();
    const calls: string[] = [];
    const kept = () => calls.push(`kept:${String((signal.reason as Error).message)}`);
    const removed = () => calls.push('removed');
    signal.addEventListener('abort', kept);
    signal.addEventListener('abort', removed);
    signal.removeEventListener('abort', removed);
    expect(signal.aborted).to.equal(false);
    signal.abort(new Error('gone'));
    signal.abort(new Error('again'));
    expect(signal.aborted).to.equal(true);
    expect(calls).to.deep.equal(['kept:gone']);
  });
});
