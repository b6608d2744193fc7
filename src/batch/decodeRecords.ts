import { ConfigurationError } from '../errors/ConfigurationError';
import { messageOf, ValidationError } from '../errors/FcError';
import type { ArrayEventType, Constructor } from '../metadata/records';
import { arrayEventOf } from '../validation/arrayEvent';
import { compileJsonDecoder } from '../validation/boundedJson';
import { compileEventDecoder } from '../validation/decodeEvent';
import { compileEventValidation } from '../validation/compileEventValidation';
import { describeJsonValue } from '../validation/nestedJson';
import type { EventValidator, ResolvedValidationOptions } from '../validation/options';
import type { RecordCoordinates } from './BatchRecord';
import { recordKeyOf, recordSourceOf, type RecordSource } from './recordSources';

/**
 * What a batch handler names as its batch: a typed batch class (`KafkaEventBatch`,
 * `RocketMqEventBatch`, any `defineArrayEvent` class), an array of one class (`[MnsQueueEvent]`,
 * `[CloudEvent]`, `[OrderPlaced]`), or `Array` for elements taken as they are.
 */
export type BatchSource = Constructor | ArrayEventType | ArrayConstructor;

/** One record of a delivered batch, read before it is decoded: enough to name and remember it. */
export interface PendingRecord {
  /** The element as delivered (a string of JSON for Kafka). */
  readonly raw: unknown;
  /** The element parsed; `undefined` for a string that is not JSON. */
  readonly plain: unknown;
  readonly coordinates: RecordCoordinates;
  readonly key: string;
}

/** A record decoded: its validated event and its body. */
export interface DecodedRecord {
  readonly event: unknown;
  readonly body: unknown;
}

/** How one function's batches are decoded, decided at boot. */
export interface BatchDecoder {
  readonly source: RecordSource;
  /** The batch's records from the body FC sent; a body that is not a JSON array fails the whole batch. */
  records(body: Buffer): PendingRecord[];
  /** One record decoded and validated; rejects with the record's own `ValidationError` or `EventDecodeError`. */
  decode(record: PendingRecord): Promise<DecodedRecord>;
}

/**
 * Compiles how batches of `source` are decoded, each record on its own: the body is a JSON array
 * bounded by the function's validation limits; each element (a string of JSON for Kafka, parsed
 * within the same limits) is validated as the source's element class, and its body as `body`
 * when given. An invalid record fails alone.
 */
export function compileBatchDecoder(
  source: BatchSource,
  body: Constructor | undefined,
  validator: EventValidator,
  options: ResolvedValidationOptions,
  where: string,
): BatchDecoder {
  const spec = source === Array ? undefined : arrayEventOf(source as Constructor | ArrayEventType);
  if (source !== Array && spec === undefined) {
    throw new ConfigurationError(
      'INVALID_LAYER_OPTION',
      `${where}: the batch must be an array event: a batch class (KafkaEventBatch, RocketMqEventBatch), [Dto] or Array; got ${describe(source)}`,
    );
  }
  const recordSource = recordSourceOf(spec?.element);
  const validateElement = spec && compileEventValidation(spec.element, validator, options);
  const decodeElementText = spec && compileEventDecoder(spec.element, where, validator, options);
  const validateBody = body && compileEventValidation(body, validator, options);
  const decodeBodyText = body && compileEventDecoder(body, where, validator, options);
  const decodeBatch = compileJsonDecoder('array', options);
  const parseText = compileJsonDecoder('any', options);
  const jsonStrings = spec?.elements === 'json-string';

  return {
    source: recordSource,
    records(bytes) {
      const elements = decodeBatch(bytes) as unknown[];
      return elements.map((raw, index) => {
        // Coordinates of a string record come from its parsed JSON; one that does not parse has its index.
        const plain = !jsonStrings ? raw : typeof raw === 'string' ? tryParse(parseText, raw) : undefined;
        const coordinates = recordSource.coordinatesOf(plain, index);
        return { raw, plain, coordinates, key: recordKeyOf(coordinates, raw) };
      });
    },
    async decode(record) {
      const { raw, plain } = record;
      let event: unknown = plain;
      if (jsonStrings && plain === undefined) {
        if (typeof raw !== 'string') {
          throw new ValidationError([
            {
              path: '',
              constraints: { isString: `the record must be a string of JSON, got ${describeJsonValue(raw)}` },
            },
          ]);
        }
        // Decoded again for the decoder's own account of what is wrong with it.
        event = await decodeElementText!(Buffer.from(raw, 'utf8'));
      } else if (validateElement) {
        event = await validateElement(plain);
      }
      const carried = recordSource.bodyOf(event);
      if (!body) return { event, body: carried };
      const decoded =
        typeof carried === 'string'
          ? await decodeBodyText!(Buffer.from(carried, 'utf8'))
          : await validateBody!(carried);
      return { event, body: decoded };
    },
  };
}

function tryParse(parse: (bytes: Buffer) => unknown, text: string): unknown {
  try {
    return parse(Buffer.from(text, 'utf8'));
  } catch {
    return undefined;
  }
}

function describe(source: unknown): string {
  if (Array.isArray(source)) return `[${source.map((t) => messageOf((t as { name?: unknown })?.name)).join(', ')}]`;
  return typeof source === 'function' ? source.name : String(source);
}
