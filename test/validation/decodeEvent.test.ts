import { expect } from 'chai';
import { IsInt, IsString } from 'class-validator';
import {
  classValidatorEventValidator,
  DEFAULT_VALIDATION_OPTIONS,
  Event,
  EventDecodeError,
  FcFunction,
  OnInvoke,
  ValidationError,
  type EventType,
} from '../../src';
import { compileEventDecoder } from '../../src/validation/decodeEvent';
import { errorOf, okBody } from '../helpers/answers';
import { useTestKernels } from '../helpers/testKernels';

class Reading {
  @IsString()
  sensor!: string;
  @IsInt()
  value!: number;
}

function decoderFor(type: EventType | undefined): (body: Buffer) => unknown {
  return compileEventDecoder(type, 'Test.handle', classValidatorEventValidator, DEFAULT_VALIDATION_OPTIONS);
}

async function decodeError(type: EventType | undefined, body: string | Buffer): Promise<unknown> {
  try {
    await decoderFor(type)(Buffer.isBuffer(body) ? body : Buffer.from(body));
  } catch (error) {
    return error;
  }
  return expect.fail(`decoded ${String(body)} without an error`);
}

const BOM = '\uFEFF';

describe('decodeEvent', () => {
  describe('by declared type', () => {
    it('a DTO class: JSON, transformed to an instance, validated', async () => {
      const event = await decoderFor(Reading)(Buffer.from('{"sensor":"t1","value":21}'));
      expect(event).to.be.instanceOf(Reading);
      expect(event).to.deep.include({ sensor: 't1', value: 21 });
      const error = await decodeError(Reading, '{"sensor":"t1","value":"21"}');
      expect(error).to.be.instanceOf(ValidationError);
    });

    it('Buffer: the raw bytes, untouched', () => {
      const bytes = Buffer.from([0xff, 0x00, 0xfe, 0x7b]);
      const event = decoderFor(Buffer)(bytes);
      expect(Buffer.isBuffer(event)).to.equal(true);
      expect(event).to.deep.equal(bytes);
    });

    it('string: UTF-8 text, not parsed', () => {
      expect(decoderFor(String)(Buffer.from('{"a":1} ünïcödé ✓'))).to.equal('{"a":1} ünïcödé ✓');
      expect(decoderFor(String)(Buffer.alloc(0))).to.equal('');
    });

    it('object or no type: parsed JSON, unvalidated', () => {
      const body = Buffer.from('{"sensor":5,"extra":{"deep":[null]}}');
      expect(decoderFor(Object)(body)).to.deep.equal({ sensor: 5, extra: { deep: [null] } });
      expect(decoderFor(undefined)(body)).to.deep.equal({ sensor: 5, extra: { deep: [null] } });
      expect(decoderFor(Object)(Buffer.from('42'))).to.equal(42);
    });

    it('Array: a parsed JSON array; anything else is a ValidationError', async () => {
      expect(decoderFor(Array)(Buffer.from('["a",{"b":1}]'))).to.deep.equal(['a', { b: 1 }]);
      const error = await decodeError(Array, '{"a":1}');
      expect(error).to.be.instanceOf(ValidationError);
      expect((error as ValidationError).errors).to.deep.equal([
        { path: '', constraints: { isArray: 'event must be a JSON array, got an object' } },
      ]);
    });
  });

  describe('bodies that are not JSON', () => {
    for (const type of [Reading, Object, Array, undefined]) {
      const label = type?.name ?? 'untyped';
      it(`an empty or whitespace body is an EventDecodeError (${label})`, async () => {
        for (const body of ['', '   \n\t ', BOM]) {
          const error = await decodeError(type, body);
          expect(error).to.be.instanceOf(EventDecodeError);
          expect((error as Error).message).to.include('empty');
        }
      });

      it(`malformed JSON is an EventDecodeError (${label})`, async () => {
        for (const body of ['{"sensor":', 'not json', "{'a':1}", '{"a":1}}']) {
          const error = await decodeError(type, body);
          expect(error).to.be.instanceOf(EventDecodeError);
          expect((error as Error).message).to.include('not valid JSON');
        }
      });
    }

    it('a UTF-8 byte order mark is skipped', async () => {
      expect(decoderFor(Object)(Buffer.from(BOM + '{"a":1}'))).to.deep.equal({ a: 1 });
      const withBomBytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"sensor":"s","value":1}')]);
      expect(await decoderFor(Reading)(withBomBytes)).to.be.instanceOf(Reading);
    });
  });

  describe('JSON that is not an object, for an object DTO', () => {
    const cases: [string, string][] = [
      ['null', 'null'],
      ['[{"sensor":"t","value":1}]', 'an array'],
      ['12', 'a number'],
      ['"text"', 'a string'],
      ['true', 'a boolean'],
    ];
    for (const [body, got] of cases) {
      it(`${body} is a ValidationError at the root path`, async () => {
        const error = await decodeError(Reading, body);
        expect(error).to.be.instanceOf(ValidationError);
        const errors = (error as ValidationError).errors;
        expect(errors).to.have.length(1);
        expect(errors[0]!.path).to.equal('');
        expect(errors[0]!.constraints.isObject).to.include(`got ${got}`);
      });
    }
  });

  describe('through dispatch', () => {
    const kernelOf = useTestKernels();

    it('each declared type reaches the handler decoded', async () => {
      const received: unknown[] = [];
      @FcFunction({ name: 'dto' })
      class TakesDto {
        @OnInvoke()
        handle(@Event() e: Reading): object {
          received.push(e);
          return { isReading: e instanceof Reading, value: e.value };
        }
      }
      @FcFunction({ name: 'buffer' })
      class TakesBuffer {
        @OnInvoke()
        handle(@Event() e: Buffer): object {
          received.push(e);
          return { isBuffer: Buffer.isBuffer(e), length: e.length };
        }
      }
      @FcFunction({ name: 'string' })
      class TakesString {
        @OnInvoke()
        handle(@Event() e: string): object {
          return { type: typeof e, e };
        }
      }
      interface Loose {
        anything: unknown;
      }
      @FcFunction({ name: 'interface' })
      class TakesInterface {
        @OnInvoke()
        handle(@Event() e: Loose): object {
          return { e };
        }
      }
      @FcFunction({ name: 'array' })
      class TakesArray {
        @OnInvoke()
        handle(@Event() e: string[]): object {
          return { isArray: Array.isArray(e), e };
        }
      }
      const tk = kernelOf([TakesDto, TakesBuffer, TakesString, TakesInterface, TakesArray]);
      const to = (functionName: string) => ({ functionName });

      expect(okBody(await tk.invoke('{"sensor":"a","value":3}', to('dto')))).to.deep.equal({
        isReading: true,
        value: 3,
      });
      expect(okBody(await tk.invoke(Buffer.from([1, 2, 3]), to('buffer')))).to.deep.equal({
        isBuffer: true,
        length: 3,
      });
      expect(okBody(await tk.invoke('plain text', to('string')))).to.deep.equal({
        type: 'string',
        e: 'plain text',
      });
      expect(okBody(await tk.invoke('{"anything":{"x":[1]},"more":1}', to('interface')))).to.deep.equal({
        e: { anything: { x: [1] }, more: 1 },
      });
      expect(okBody(await tk.invoke('["k1","k2"]', to('array')))).to.deep.equal({
        isArray: true,
        e: ['k1', 'k2'],
      });
      // A Uint8Array body is read as its own bytes, not its whole backing buffer.
      const backing = Buffer.from('xx["k3"]yy');
      const view = new Uint8Array(backing.buffer, backing.byteOffset + 2, 6);
      const fromView = await tk.invoke(view, to('array'));
      expect(okBody(fromView)).to.deep.equal({ isArray: true, e: ['k3'] });
      expect(errorOf(await tk.invoke('{"k":1}', to('array'))).errorType).to.equal('ValidationError');
      expect(errorOf(await tk.invoke('', to('dto'))).errorType).to.equal('EventDecodeError');
      expect(errorOf(await tk.invoke('{"sensor":', to('interface'))).errorType).to.equal('EventDecodeError');
      const notObject = errorOf(await tk.invoke('null', to('dto')));
      expect(notObject.errorType).to.equal('ValidationError');
      expect(notObject.errors![0]!.path).to.equal('');
    });
  });
});
