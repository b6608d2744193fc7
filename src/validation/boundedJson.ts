import { EventDecodeError, ValidationError, type FcError } from '../errors/FcError';
import { describePath, joinPath } from './eventPath';
import { hardenEvent } from './hardenEvent';
import { longestBoundedText, mayNeedHardening } from './jsonBounds';
import type { ResolvedValidationOptions } from './options';
import { jsonTextStart, scanJson, type JsonLimit, type JsonLimits, type JsonPathSegment } from './scanJson';

/**
 * The deepest nesting of arrays and objects a JSON event may have. class-transformer,
 * class-validator and `JSON.stringify` recurse once per level and overflow the call stack at a
 * few thousand levels; real trigger events nest a handful.
 */
export const MAX_EVENT_DEPTH = 256;

/**
 * The most object keys and array elements, all together, any JSON event may hold. `JSON.parse`
 * needs up to about 100 bytes of heap per node (one-key objects with distinct keys), so an
 * event at the limit takes about 100 MB: it fits the 256 MB heap of a 512 MB instance. A 32 MB
 * body can hold 16 million nodes, which no heap of that size survives. A batch of real trigger
 * events holds tens of nodes per message.
 */
export const MAX_EVENT_NODES = 1_000_000;

/** The limits of a validated event, from its validation options. */
export type ValidatedEventLimits = Pick<
  ResolvedValidationOptions,
  'maxEventNodes' | 'maxObjectKeys' | 'maxArrayElements'
>;

/** What the parsed value of a JSON event must be. */
export type JsonEventShape = 'any' | 'array' | 'object';

/**
 * Compiles, once at boot, the decoder of one kind of JSON event: it scans the body (depth, size,
 * syntax) before anything is built, parses it once, checks the root's shape and, for a validated
 * event, hardens it (`hardenEvent`) when the scan found anything to harden. Every JSON event is
 * bounded by `MAX_EVENT_DEPTH` and `MAX_EVENT_NODES` (an `EventDecodeError` past them); a
 * validated one (`validated` given) also by its validation options (a `ValidationError` at the
 * array or object that went over).
 */
export function compileJsonDecoder(shape: JsonEventShape, validated?: ValidatedEventLimits): (body: Buffer) => unknown {
  const limits: JsonLimits = {
    maxDepth: MAX_EVENT_DEPTH,
    maxNodes: Math.min(MAX_EVENT_NODES, validated?.maxEventNodes ?? Infinity),
    maxObjectKeys: validated?.maxObjectKeys ?? Infinity,
    maxArrayElements: validated?.maxArrayElements ?? Infinity,
  };
  const longestBounded = longestBoundedText(limits);
  const finish = (value: unknown): unknown => {
    if (shape === 'object' && (value === null || typeof value !== 'object' || Array.isArray(value))) {
      throw notA('object', value);
    }
    if (shape === 'array' && !Array.isArray(value)) throw notA('array', value);
    return value;
  };
  return (body) => {
    // A short body that parses is within the limits: parsed at once, scanned only when it may
    // need hardening, or when it does not parse (the scan gives the error).
    const start = jsonTextStart(body);
    if (body.length - start <= longestBounded) {
      const text = body.toString('utf8', start);
      if (!(validated && mayNeedHardening(text))) {
        let parsed: unknown;
        let parses = true;
        try {
          parsed = JSON.parse(text);
        } catch {
          parses = false;
        }
        if (parses) return finish(parsed);
      }
    }
    const scan = scanJson(body, limits);
    if (!scan.ok) {
      if (scan.problem === 'empty') throw new EventDecodeError('Event body is empty; expected JSON');
      if (scan.problem === 'syntax') throw notJson(body, scan.start, scan.at);
      throw overLimit(scan.limit, scan.path, limits, validated);
    }
    let value: unknown;
    try {
      value = JSON.parse(body.toString('utf8', scan.start));
    } catch (error) {
      // The scan accepts exactly what JSON.parse does; this is a guard, not a path.
      throw notValidJson((error as Error).message);
    }
    finish(value);
    if (validated && scan.needsHardening) hardenEvent(value);
    return value;
  };
}

/**
 * JSON.parse's own message for the error the scan found: everything before it is within the
 * limits, so what JSON.parse builds up to there is bounded too.
 */
function notJson(body: Buffer, start: number, at: number): EventDecodeError {
  try {
    JSON.parse(body.toString('utf8', start));
  } catch (error) {
    return notValidJson((error as Error).message);
  }
  // Unreachable while the scan agrees with JSON.parse; a message of its own then.
  return notValidJson(`unexpected input at byte ${at}`);
}

function notValidJson(reason: string): EventDecodeError {
  return new EventDecodeError(`Event body is not valid JSON: ${reason}`);
}

const DECLARE_RAW = 'declare the event as Buffer or string to parse it yourself';

function overLimit(
  which: JsonLimit,
  segments: JsonPathSegment[],
  limits: JsonLimits,
  validated: ValidatedEventLimits | undefined,
): FcError {
  if (which === 'maxDepth') {
    return new EventDecodeError(
      `Event JSON is nested deeper than ${MAX_EVENT_DEPTH} levels, the limit for a JSON event; ${DECLARE_RAW}`,
    );
  }
  if (which === 'maxNodes' && (validated === undefined || validated.maxEventNodes > MAX_EVENT_NODES)) {
    return new EventDecodeError(
      `Event JSON holds more than ${MAX_EVENT_NODES} object keys and array elements, the limit for a JSON event; ${DECLARE_RAW}`,
    );
  }
  const path = joinPath(segments);
  const subject = describePath(path);
  const limit = limits[which];
  const constraint = which === 'maxNodes' ? 'maxEventNodes' : which;
  const problem =
    which === 'maxObjectKeys'
      ? `${subject} has more than ${limit} keys, the most one object of a validated event may have`
      : which === 'maxArrayElements'
        ? `${subject} takes the event past ${limit} array elements, the most a validated event may hold`
        : `${subject} takes the event past ${limit} object keys and array elements, the most a validated event may hold`;
  return new ValidationError([{ path, constraints: { [constraint]: `${problem} (validation option ${constraint})` } }]);
}

function notA(expected: 'object' | 'array', value: unknown): ValidationError {
  const kind = typeof value;
  const got = value === null ? 'null' : Array.isArray(value) ? 'an array' : `${kind === 'object' ? 'an' : 'a'} ${kind}`;
  const constraint = expected === 'object' ? 'isObject' : 'isArray';
  return new ValidationError([
    { path: '', constraints: { [constraint]: `event must be a JSON ${expected}, got ${got}` } },
  ]);
}

/**
 * Parses JSON that is not a whole event body (a string of JSON inside an event, a body an event
 * carries) with the bounds of every JSON event; nothing is hardened, as for an `Object` event.
 */
export const parseBoundedJson: (body: Buffer) => unknown = compileJsonDecoder('any');
