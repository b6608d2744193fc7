import { expect } from 'chai';
import { InitializationGate, type InitializationRun } from '../../src/kernel/InitializationGate';
import { deferred, settle } from '../helpers/async';

/** A run of `promise` that counts how often it was abandoned. */
function runOf<T>(promise: Promise<T>, abandoned: { count: number } = { count: 0 }): InitializationRun<T> {
  return {
    promise,
    abandon: () => {
      abandoned.count++;
    },
  };
}

/** The outcome of a wait, as text. */
function outcomeOf(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    (value) => `ok ${String(value)}`,
    (error: Error) => `failed ${error.message}`,
  );
}

describe('InitializationGate', () => {
  it('runs once and then answers the value it produced', async () => {
    let runs = 0;
    const gate = new InitializationGate(() => runOf(Promise.resolve({ run: ++runs })));
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
    const gate = new InitializationGate((starter: string) => {
      starters.push(starter);
      return runOf(release.promise.then(() => starter));
    });
    const entries = [gate.enter('first'), gate.enter('second')];
    release.resolve();
    expect(await Promise.all(entries)).to.deep.equal(['first', 'first']);
    expect(starters).to.deep.equal(['first']);
  });

  it('lets concurrent callers share the run in progress', async () => {
    let runs = 0;
    const release = deferred();
    const gate = new InitializationGate(() => {
      runs++;
      return runOf(release.promise.then(() => 'ready'));
    });
    const entries = Array.from({ length: 20 }, () => gate.enter('caller', new AbortController().signal));
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
    const gate = new InitializationGate(() => {
      runs++;
      if (runs === 1) return runOf(release.promise.then(() => Promise.reject(new Error('first attempt failed'))));
      return runOf(Promise.resolve(runs));
    });
    const entries = [gate.enter('a'), gate.enter('b'), gate.enter('c')].map(outcomeOf);
    release.resolve();
    expect(await Promise.all(entries)).to.deep.equal(Array(3).fill('failed first attempt failed'));
    expect(gate.initialized).to.equal(false);
    expect(await gate.enter('d')).to.equal(2);
    expect(gate.initialized).to.equal(true);
    expect(await gate.enter('e')).to.equal(2);
    expect(runs).to.equal(2);
  });

  it('turns a synchronous throw of the run into a rejection', async () => {
    const gate = new InitializationGate<string, string>(() => {
      throw new Error('sync');
    });
    let entered: Promise<string> | undefined;
    expect(() => (entered = gate.enter('caller'))).to.not.throw();
    expect(await outcomeOf(entered!)).to.equal('failed sync');
  });

  describe('callers that stop waiting', () => {
    it('ends one caller’s wait when its signal aborts, and the run goes on for the others', async () => {
      const release = deferred<string>();
      const abandoned = { count: 0 };
      const gate = new InitializationGate(() => runOf(release.promise, abandoned));
      const starter = new AbortController();
      const starting = outcomeOf(gate.enter('starter', starter.signal));
      const others = Array.from({ length: 20 }, () => outcomeOf(gate.enter('joiner', new AbortController().signal)));
      starter.abort(new Error('The caller closed the connection'));
      expect(await starting).to.equal('failed The caller closed the connection');
      release.resolve('ready');
      expect(await Promise.all(others)).to.deep.equal(Array(20).fill('ok ready'));
      expect(abandoned.count).to.equal(0);
      expect(gate.initialized).to.equal(true);
    });

    it('abandons the run once every caller has gone; the next caller starts a new one, and the late outcome does not count', async () => {
      const first = deferred<string>();
      const abandoned = { count: 0 };
      let runs = 0;
      const gate = new InitializationGate(() =>
        ++runs === 1 ? runOf(first.promise, abandoned) : runOf(Promise.resolve(`run ${runs}`)),
      );
      const callers = [new AbortController(), new AbortController()];
      const waits = callers.map((c) => outcomeOf(gate.enter('caller', c.signal)));
      callers[0]!.abort(new Error('timed out'));
      await settle();
      expect(abandoned.count).to.equal(0);
      callers[1]!.abort(new Error('gone'));
      expect(await Promise.all(waits)).to.deep.equal(['failed timed out', 'failed gone']);
      expect(abandoned.count).to.equal(1);
      expect(await gate.enter('next')).to.equal('run 2');
      first.resolve('run 1, late');
      await settle();
      expect(gate.result).to.equal('run 2');
    });

    it('starts no run for a caller that has already gone', async () => {
      let runs = 0;
      const gate = new InitializationGate(() => {
        runs++;
        return runOf(Promise.resolve('ready'));
      });
      const gone = new AbortController();
      gone.abort(new Error('already gone'));
      expect(await outcomeOf(gate.enter('caller', gone.signal))).to.equal('failed already gone');
      expect(runs).to.equal(0);
    });

    it('lets a caller that enters from within the run join it', async () => {
      let runs = 0;
      let inner: Promise<string> | undefined;
      const gate: InitializationGate<string, string> = new InitializationGate((starter: string) => {
        runs++;
        if (starter === 'outer') inner = gate.enter('inner', new AbortController().signal);
        return runOf(Promise.resolve('ready'));
      });
      expect(await gate.enter('outer')).to.equal('ready');
      expect(await inner).to.equal('ready');
      expect(runs).to.equal(1);
      expect(gate.initialized).to.equal(true);
    });
  });
});
