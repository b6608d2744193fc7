import { expect } from 'chai';
import { IsInt, IsString } from 'class-validator';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DEFAULT_VALIDATION_OPTIONS,
  EventDecodeError,
  ValidationError,
  type Constructor,
  type EventValidator,
} from '../../src';
import { compileJsonDecoder, MAX_EVENT_DEPTH, MAX_EVENT_NODES } from '../../src/validation/boundedJson';
import { compileEventDecoder } from '../../src/validation/decodeEvent';
import { resolveValidationOptions, type EventValidationOptions } from '../../src/validation/options';
import { scanJson } from '../../src/validation/scanJson';

class Reading {
  @IsString()
  sensor!: string;
  @IsInt()
  value!: number;
}

/** An engine that records what it was given and answers it as the event. */
function recordingEngine(seen: unknown[]): EventValidator {
  return {
    compile: () => (plain) => {
      seen.push(plain);
      return plain as object;
    },
  };
}

/** The decoder of a DTO event under `engine` with `options`. */
function dtoDecoder(engine: EventValidator, options: EventValidationOptions = {}): (body: string | Buffer) => unknown {
  const decode = compileEventDecoder(Reading as Constructor, 'Test.handle', engine, resolveValidationOptions(options));
  return (body) => decode(Buffer.isBuffer(body) ? body : Buffer.from(body));
}

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return expect.fail('nothing was thrown');
}

const EVENTS_DIR = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'fc-events');

describe('boundedJson', () => {
  it('scans every real trigger payload within the limits, with nothing to harden', () => {
    const dtoLimits = { maxDepth: MAX_EVENT_DEPTH, maxNodes: 100_000, maxObjectKeys: 1_000, maxArrayElements: 10_000 };
    for (const file of readdirSync(EVENTS_DIR).filter((f) => f.endsWith('.json'))) {
      const scan = scanJson(readFileSync(join(EVENTS_DIR, file)), dtoLimits);
      expect(scan, file).to.deep.include({ ok: true, needsHardening: false });
    }
  });

  describe('hands every engine a hardened value', () => {
    it('without own __proto__ or constructor keys, at any depth, however spelled', () => {
      const seen: unknown[] = [];
      const decode = dtoDecoder(recordingEngine(seen));
      decode('{"constructor":1,"a":{"__proto__":{"x":1},"b":[{"constructor":{"prototype":{}}}]},"\\u005f_proto__":2}');
      expect(seen).to.deep.equal([{ a: { b: [{}] } }]);
      const event = seen[0] as { a: object };
      expect(Object.hasOwn(event, 'constructor')).to.equal(false);
      expect(Object.getPrototypeOf(event.a)).to.equal(Object.prototype);
    });

    it('refuses a lone surrogate in a string or key before the engine runs, naming where', () => {
      const seen: unknown[] = [];
      const decode = dtoDecoder(recordingEngine(seen));
      const inString = thrown(() => decode('{"a":[{"b":"x\\ud800"}]}')) as ValidationError;
      expect(inString).to.be.instanceOf(ValidationError);
      expect(inString.errors).to.deep.equal([
        {
          path: 'a.0.b',
          constraints: { isWellFormed: 'a.0.b must be well-formed Unicode text (it holds a lone surrogate)' },
        },
      ]);
      const inKey = thrown(() => decode('{"a":{"\\udc00":1}}')) as ValidationError;
      expect(inKey.errors[0]!.path).to.equal('a');
      expect(seen).to.deep.equal([]);
      // A pair is one character.
      decode('{"a":"\\ud83d\\ude00"}');
      expect(seen).to.deep.equal([{ a: '😀' }]);
    });

    it('bounded by the validation options, whatever the engine', () => {
      const seen: unknown[] = [];
      const engine = recordingEngine(seen);
      const keys = thrown(() => dtoDecoder(engine, { maxObjectKeys: 2 })('{"a":{"x":1,"y":2,"z":3}}'));
      expect((keys as ValidationError).errors).to.deep.equal([
        {
          path: 'a',
          constraints: {
            maxObjectKeys:
              'a has more than 2 keys, the most one object of a validated event may have (validation option maxObjectKeys)',
          },
        },
      ]);
      const elements = thrown(() => dtoDecoder(engine, { maxArrayElements: 3 })('{"a":[1,2],"b":[[3,4]]}'));
      expect((elements as ValidationError).errors).to.deep.equal([
        {
          path: 'b.0',
          constraints: {
            maxArrayElements:
              'b.0 takes the event past 3 array elements, the most a validated event may hold (validation option maxArrayElements)',
          },
        },
      ]);
      const nodes = thrown(() => dtoDecoder(engine, { maxEventNodes: 6 })('{"a":{"b":{"c":{"d":[1,2,3]}}}}'));
      expect((nodes as ValidationError).errors).to.deep.equal([
        {
          path: 'a.b.c.d',
          constraints: {
            maxEventNodes:
              'a.b.c.d takes the event past 6 object keys and array elements, the most a validated event may hold (validation option maxEventNodes)',
          },
        },
      ]);
      expect(seen).to.deep.equal([]);
      const atLimits = { maxObjectKeys: 2, maxArrayElements: 3, maxEventNodes: 7 };
      expect(dtoDecoder(engine, atLimits)('{"a":{"x":1,"y":2},"b":[1,2,3]}')).to.deep.equal({
        a: { x: 1, y: 2 },
        b: [1, 2, 3],
      });
    });
  });

  describe('plain JSON events', () => {
    const plain = compileJsonDecoder('any');

    it('are bounded in depth and nodes, not by the validation options', () => {
      const wide = `{${Array.from({ length: DEFAULT_VALIDATION_OPTIONS.maxObjectKeys * 2 }, (_, i) => `"k${i}":[1]`).join(',')}}`;
      expect(Object.keys(plain(Buffer.from(wide)) as object)).to.have.length(
        DEFAULT_VALIDATION_OPTIONS.maxObjectKeys * 2,
      );
      const tooMany = thrown(() => plain(Buffer.from(`[${'0,'.repeat(MAX_EVENT_NODES)}0]`)));
      expect(tooMany).to.be.instanceOf(EventDecodeError);
      expect((tooMany as Error).message).to.equal(
        'Event JSON holds more than 1000000 object keys and array elements, the limit for a JSON event; declare the event as Buffer or string to parse it yourself',
      );
      const tooDeep = thrown(() => plain(Buffer.from('['.repeat(MAX_EVENT_DEPTH + 1))));
      expect((tooDeep as Error).message).to.match(/^Event JSON is nested deeper than 256 levels/);
    });

    it('keep what they were sent: __proto__ and constructor keys, lone surrogates', () => {
      const value = plain(Buffer.from('{"__proto__":{"a":1},"constructor":"\\ud800"}')) as object;
      expect(Object.keys(value)).to.deep.equal(['__proto__', 'constructor']);
      expect(Object.getPrototypeOf(value)).to.equal(Object.prototype);
    });

    it('a DTO limit above the JSON one leaves the JSON one in force', () => {
      const decode = compileJsonDecoder('object', {
        maxEventNodes: Infinity,
        maxObjectKeys: Infinity,
        maxArrayElements: Infinity,
      });
      const error = thrown(() => decode(Buffer.from(`{"a":[${'0,'.repeat(MAX_EVENT_NODES)}0]}`)));
      expect(error).to.be.instanceOf(EventDecodeError);
    });
  });

  it('answers malformed JSON with JSON.parse’s own message', () => {
    let expected = '';
    try {
      JSON.parse('{"a":1,}');
    } catch (error) {
      expected = (error as Error).message;
    }
    const error = thrown(() => compileJsonDecoder('any')(Buffer.from('{"a":1,}')));
    expect(error).to.be.instanceOf(EventDecodeError);
    expect((error as Error).message).to.equal(`Event body is not valid JSON: ${expected}`);
  });
});
