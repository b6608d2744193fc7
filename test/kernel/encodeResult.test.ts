import { expect } from 'chai';
import { FcFunction, OnInvoke } from '../../src';
import { encodeResult } from '../../src/kernel/encodeResult';
import { errorOf } from '../helpers/answers';
import { useTestKernels } from '../helpers/testKernels';

const JSON_TYPE = 'application/json; charset=utf-8';
const TEXT_TYPE = 'text/plain; charset=utf-8';
const BINARY_TYPE = 'application/octet-stream';

function circular(): object {
  const node: Record<string, unknown> = { name: 'loop' };
  node.self = node;
  return node;
}

describe('encodeResult', () => {
  const bytes = Buffer.from([0x00, 0xff, 0x10, 0x80]);
  const cases: [string, unknown, string | Buffer, string | undefined][] = [
    ['null', null, '', undefined],
    ['undefined', undefined, '', undefined],
    ['a Buffer', bytes, bytes, BINARY_TYPE],
    ['a string', 'plain "text" ✓', 'plain "text" ✓', TEXT_TYPE],
    ['an empty string', '', '', TEXT_TYPE],
    ['a number', 12.5, '12.5', TEXT_TYPE],
    ['zero', 0, '0', TEXT_TYPE],
    ['false', false, 'false', TEXT_TYPE],
    ['true', true, 'true', TEXT_TYPE],
    ['a bigint', 12345678901234567890n, '12345678901234567890', TEXT_TYPE],
    ['an object', { a: 1, b: [true, null], c: 'x' }, '{"a":1,"b":[true,null],"c":"x"}', JSON_TYPE],
    ['an array', [1, 'two'], '[1,"two"]', JSON_TYPE],
    ['an object with toJSON', { toJSON: () => ({ shown: true }) }, '{"shown":true}', JSON_TYPE],
    ['a Date', new Date(0), '"1970-01-01T00:00:00.000Z"', JSON_TYPE],
  ];

  for (const [label, result, body, contentType] of cases) {
    it(`encodes ${label}`, () => {
      const encoded = encodeResult(result);
      expect(encoded.body).to.deep.equal(body);
      expect(encoded.contentType).to.equal(contentType);
    });
  }

  it('encodes a Uint8Array as its bytes, not a copy of its whole buffer', () => {
    const backing = new Uint8Array([9, 9, 1, 2, 3, 9]);
    const view = backing.subarray(2, 5);
    const encoded = encodeResult(view);
    expect(Buffer.isBuffer(encoded.body)).to.equal(true);
    expect([...(encoded.body as Buffer)]).to.deep.equal([1, 2, 3]);
    expect(encoded.contentType).to.equal(BINARY_TYPE);
  });

  it('encodes what JSON cannot represent (a function, a symbol) as an empty body', () => {
    expect(encodeResult(() => 1)).to.deep.equal({ body: '' });
    expect(encodeResult(Symbol('s'))).to.deep.equal({ body: '' });
  });

  it('throws on a circular object', () => {
    expect(() => encodeResult(circular())).to.throw(TypeError);
  });

  describe('through dispatch', () => {
    const kernelOf = useTestKernels();

    function kernelReturning(result: () => unknown) {
      @FcFunction()
      class Returns {
        @OnInvoke()
        async handle(): Promise<unknown> {
          return result();
        }
      }
      return kernelOf([Returns]);
    }

    for (const [label, result, body, contentType] of cases) {
      it(`answers ${label} with status 200`, async () => {
        const answer = await kernelReturning(() => result).invoke('{}');
        expect(answer.statusCode).to.equal(200);
        expect(answer.headers['x-fc-status']).to.equal('200');
        expect(answer.raw).to.deep.equal(Buffer.from(body));
        expect(answer.headers['content-type']).to.equal(contentType);
      });
    }

    it('answers a circular result with a TypeError body', async () => {
      const body = errorOf(await kernelReturning(circular).invoke('{}'));
      expect(body.errorType).to.equal('TypeError');
      expect(body.errorMessage).to.include('circular');
    });

    it('answers a result with a BigInt inside with a TypeError body', async () => {
      const body = errorOf(await kernelReturning(() => ({ big: 1n })).invoke('{}'));
      expect(body.errorType).to.equal('TypeError');
      expect(body.errorMessage).to.include('BigInt');
    });
  });
});
