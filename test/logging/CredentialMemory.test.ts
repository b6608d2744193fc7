import { expect } from 'chai';
import { CredentialMemory, REMEMBERED_CREDENTIAL_SETS } from '../../src/logging/CredentialMemory';
import { prepareSecrets, REDACTED } from '../../src/logging/redaction';

/** The n-th distinct credential set. */
const set = (n: number): [string, string, string] => [`KeyId-${n}-abcd`, `Secret-${n}-efgh`, `Token-${n}-ijkl`];

describe('CredentialMemory', () => {
  const environment = prepareSecrets(['Environment-Secret-1']);

  it("redacts a request's lines with every set remembered, the environment's too (a client made before a rotation)", () => {
    const memory = new CredentialMemory(environment);
    memory.redactorFor(...set(1));
    const second = memory.redactorFor(...set(2));
    expect(second(`${set(1).join(' ')} Environment-Secret-1 ${set(2)[1]}`)).to.equal(Array(5).fill(REDACTED).join(' '));
  });

  it('answers the same redactor for a known set, the usual case, without building another', () => {
    const memory = new CredentialMemory(environment);
    const first = memory.redactorFor(...set(1));
    expect(memory.redactorFor(...set(1))).to.equal(first);
    const second = memory.redactorFor(...set(2));
    expect(memory.redactorFor(...set(1))).to.equal(second);
    expect(memory.redactorFor('', '', '')).to.equal(second);
  });

  it('redacts every remembered set and the environment with `everything`', () => {
    const memory = new CredentialMemory(environment);
    for (const n of [1, 2, 3]) memory.redactorFor(...set(n));
    const text = [1, 2, 3].flatMap(set).join(' ') + ' Environment-Secret-1';
    expect(memory.everything(text)).to.equal(Array(10).fill(REDACTED).join(' '));
  });

  it(`remembers the ${REMEMBERED_CREDENTIAL_SETS} most recently used sets`, () => {
    const memory = new CredentialMemory(environment);
    for (let n = 0; n <= REMEMBERED_CREDENTIAL_SETS; n++) memory.redactorFor(...set(n));
    // Set 0 is the oldest, set 1 used again: it moves to the front.
    memory.redactorFor(...set(1));
    memory.redactorFor(...set(REMEMBERED_CREDENTIAL_SETS + 1));
    const everything = memory.everything;
    expect(everything(set(0)[1])).to.equal(set(0)[1]);
    expect(everything(set(2)[1])).to.equal(set(2)[1]);
    for (const n of [1, 3, REMEMBERED_CREDENTIAL_SETS + 1]) expect(everything(set(n)[1])).to.equal(REDACTED);
  });

  it('remembers nothing for a request without credentials', () => {
    const memory = new CredentialMemory(environment);
    expect(memory.redactorFor('', '', '')('Environment-Secret-1')).to.equal(REDACTED);
    expect(memory.everything('KeyId')).to.equal('KeyId');
  });
});
