import { expect } from 'chai';
import fc from 'fast-check';
import { secretForms } from '../../src/logging/secretForms';
import { createSecretReplacer } from '../../src/logging/secretMatcher';

/** The plain way: each secret replaced in turn, longest first. */
function replaceOneByOne(text: string, secrets: string[]): string {
  let out = text;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) out = out.split(secret).join('#');
  return out;
}

describe('createSecretReplacer', () => {
  it('replaces secrets of every length, anywhere in the text, at every alignment', () => {
    const secrets = ['abcd', 'abcdefg', 'LTAI5tKeyId9q', 'STS.RotatedKey16', 'CAIS-token+8fK2/Qw7LrV1pN0aXb3cD4=='];
    const replace = createSecretReplacer(secrets, '#');
    for (let pad = 0; pad < 30; pad++) {
      for (const secret of secrets) {
        const text = `${'.'.repeat(pad)}${secret} and ${secret}`;
        expect(replace(text), text).to.equal(`${'.'.repeat(pad)}# and #`);
      }
    }
  });

  it('replaces overlapping and nested secrets as one', () => {
    const replace = createSecretReplacer(['0123456789', '5678901234', '2345678'], '#');
    expect(replace('a 01234567890123456789 b')).to.equal('a # b');
    expect(replace('x 2345678 y 0123456789')).to.equal('x # y #');
  });

  it('finds ASCII secrets in text beyond ASCII, and secrets beyond ASCII', () => {
    const replace = createSecretReplacer(['plantedSecret', 'geheimnis-ä-€'], '#');
    expect(replace('€ plantedSecret 𝄞 geheimnis-ä-€ é')).to.equal('€ # 𝄞 # é');
  });

  it('gives what replacing one by one gives, for secrets that do not overlap in the text', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(
          fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'Z', '+', 'é'), minLength: 7, maxLength: 40 }),
          {
            minLength: 1,
            maxLength: 6,
          },
        ),
        fc.array(fc.string({ unit: fc.constantFrom('x', 'y', ' ', '€'), minLength: 1, maxLength: 9 }), {
          maxLength: 6,
        }),
        (secrets, fillers) => {
          const text = fillers.map((filler, n) => filler + secrets[n % secrets.length]).join('');
          const expected = replaceOneByOne(text, secrets);
          expect(createSecretReplacer(secrets, '#')(text)).to.equal(expected);
        },
      ),
    );
  });
});

describe('secretForms', () => {
  const secret = 'CAIS-token+8fK2/Qw7LrV1pN0aXb3cD4=';

  it('includes the secret percent-encoded, as encodeURIComponent writes it', () => {
    expect(secretForms(secret)).to.include(encodeURIComponent(secret));
  });

  it('holds, for each offset in a longer base64 text, a part of it that the encoded secret contains', () => {
    const forms = secretForms(secret);
    for (const alphabet of ['base64', 'base64url'] as const) {
      for (const before of ['', 'a', 'ab', 'abc', 'LTAI5tPlantedKeyId:']) {
        const encoded = Buffer.from(`${before}${secret}:after`).toString(alphabet);
        const found = forms.filter((form) => form !== secret && encoded.includes(form));
        expect(found, `${alphabet} after ${before.length} bytes`).to.have.length.greaterThan(0);
        // All but a character or two at each end.
        expect(Math.max(...found.map((f) => f.length))).to.be.at.least(Math.floor((secret.length * 4) / 3) - 3);
      }
    }
  });
});
