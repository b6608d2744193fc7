import { expect } from 'chai';
import { KnownSecrets } from '../../src/kernel/KnownSecrets';
import { prepareSecrets } from '../../src/logging/redaction';

describe('KnownSecrets', () => {
  it("redacts the environment's secrets and every request credential remembered", () => {
    const known = new KnownSecrets(prepareSecrets(['env-secret-1']));
    known.remember(['', 'request-secret-1', 'request-token-1']);
    known.remember(['request-secret-2']);
    expect(known.redact('env-secret-1 request-secret-1 request-token-1 request-secret-2 other')).to.equal(
      '[redacted] [redacted] [redacted] [redacted] other',
    );
  });

  it('stays bounded: past 1024 credentials it forgets the oldest, never the environment', () => {
    const known = new KnownSecrets(prepareSecrets(['env-secret-1']));
    for (let i = 0; i <= 1024; i++) known.remember([`request-secret-${i}`]);
    expect(known.redact('request-secret-0;request-secret-1;request-secret-1024;env-secret-1')).to.equal(
      'request-secret-0;[redacted];[redacted];[redacted]',
    );
  });
});
