import { expect } from 'chai';
import { InitializationGate } from '../../src/kernel/InitializationGate';
import { deferred, settle } from '../helpers/async';

describe('InitializationGate', () => {
  it('runs once and then answers the value it produced', async () => {
    let runs = 0;
    const gate = new InitializationGate(async () => ({ run: ++runs }));
    expect(gate.initialized).to.equal(false);
    const first = await gate.enter('caller');
    const second = await gate.enter('caller');
    expect(runs).to.equal(1);
    expect(second).to.equal(first);
    expect(gate.initialized).to.equal(true);
    expect(gate.result).to.equal(first);
  });

  it('hands the run the caller that started it', async () => {
    const starters: string[] = [];
    const release = deferred();
    const gate = new InitializationGate(async (starter: string) => {
      starters.push(starter);
      await release.promise;
      return starter;
    });
    const entries = [gate.enter('first'), gate.enter('second')];
    release.resolve();
    expect(await Promise.all(entries)).to.deep.equal(['first', 'first']);
    expect(starters).to.deep.equal(['first']);
  });

  it('lets concurrent callers share the run in progress', async () => {
    let runs = 0;
    const release = deferred();
    const gate = new InitializationGate(async () => {
      runs++;
      await release.promise;
      return 'ready';
    });
    const entries = Array.from({ length: 20 }, () => gate.enter('caller'));
    await settle();
    expect(runs).to.equal(1);
    expect(gate.initialized).to.equal(false);
    release.resolve();
    expect(await Promise.all(entries)).to.deep.equal(Array(20).fill('ready'));
    expect(runs).to.equal(1);
  });

  it('fails every caller of a failed run, then retries on the next call', async () => {
    let runs = 0;
    const release = deferred();
    const gate = new InitializationGate(async () => {
      runs++;
      if (runs === 1) {
        await release.promise;
        throw new Error('first attempt failed');
      }
      return runs;
    });
    const entries = [gate.enter('caller'), gate.enter('caller'), gate.enter('caller')].map((p) =>
      p.then(
        () => 'ok',
        (e: Error) => e.message,
      ),
    );
    release.resolve();
    expect(await Promise.all(entries)).to.deep.equal(Array(3).fill('first attempt failed'));
    expect(gate.initialized).to.equal(false);
    expect(await gate.enter('caller')).to.equal(2);
    expect(gate.initialized).to.equal(true);
    expect(await gate.enter('caller')).to.equal(2);
    expect(runs).to.equal(2);
  });

  it('turns a synchronous throw of the run into a rejection', async () => {
    const gate = new InitializationGate<string, string>(() => {
      throw new Error('sync');
    });
    let entered: Promise<string> | undefined;
    expect(() => (entered = gate.enter('caller'))).to.not.throw();
    const outcome = await entered!.then(
      () => 'resolved',
      (e: Error) => e.message,
    );
    expect(outcome).to.equal('sync');
  });
});
