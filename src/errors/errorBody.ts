import { truncateUtf8 } from './truncate';
import { FcError, messageOf, ValidationError, type FieldError } from './FcError';

/** Removes secret values from text that is about to leave the process (see `createRedactor`). */
export type Redact = (text: string) => string;

/** FC's error JSON, as the official runtimes write it, plus field errors for validation. */
export interface ErrorBody {
  errorMessage: string;
  errorType: string;
  stackTrace: string[];
  /** The first `MAX_BODY_FIELD_ERRORS` field errors; `errorMessage` says how many there were. */
  errors?: FieldError[];
}

/**
 * The most an error body takes, in bytes of UTF-8 JSON: FC's 256 KB. One 5 MB property name, named
 * in the message, in its field error's path and in its constraint message, made a 20 MB body.
 */
export const MAX_ERROR_BODY_BYTES = 256 * 1024;

/**
 * How many field errors an error body lists. An event of a million invalid array elements has
 * millions of them: listed in full, a 2 MB event was answered with a 128 MB body.
 */
export const MAX_BODY_FIELD_ERRORS = 100;

/** How many stack frames an error body lists. */
export const MAX_BODY_STACK_FRAMES = 100;

/**
 * The most each part takes, in UTF-8 bytes before JSON escaping, so that one huge part leaves room
 * for the others. Message and type fit in the body even at JSON's worst, 6 bytes a character.
 */
const PART_BYTES = { message: 32 * 1024, type: 1024, frame: 1024, path: 1024, constraint: 1024, constraintName: 256 };

/** How many constraints of one field error a body lists. */
const MAX_CONSTRAINTS = 32;

/** Bytes of JSON a UTF-16 unit takes at most (a control character: `\u0001`). */
const MAX_JSON_BYTES_PER_UNIT = 6;

const identity: Redact = (text) => text;

/** The parts of an error body, redacted, before the limits apply. */
interface ErrorParts {
  errorMessage: string;
  errorType: string;
  stackTrace: string[];
  errors?: FieldError[];
}

/**
 * The one place where a thrown value becomes the error body. `redact` removes the invocation's
 * secrets from every string that leaves the process: the error's name and the paths and messages
 * of field errors too (an event's own keys come back in those). Then each part is cut to its limit
 * (message, type, every frame, path and constraint, the number of each) so that the body stays
 * valid JSON in FC's shape within `MAX_ERROR_BODY_BYTES`; redaction always comes first, so a
 * secret is never cut where it can no longer be recognised.
 */
export function toErrorBody(error: unknown, redact: Redact = identity): ErrorBody {
  return limitParts(redactParts(partsOf(error), redact));
}

/**
 * A failure as the invocation that produced it would answer it, with that invocation's secrets
 * removed: what every request sharing the outcome (those that joined an initialization run)
 * answers and logs, so that none carries another request's credentials. Each request still
 * redacts it with its own secrets as well.
 */
export class RedactedFailure extends FcError {
  readonly errorType: string;
  override readonly handled: boolean;
  /** The redacted parts, not yet limited: each answer applies the limits after its own redaction. */
  readonly parts: ErrorParts;

  constructor(error: unknown, redact: Redact) {
    const parts = redactParts(partsOf(error), redact);
    super(parts.errorMessage);
    this.errorType = parts.errorType;
    this.handled = isHandledError(error);
    this.parts = parts;
  }
}

/**
 * A failure as one log message: `<errorType>: <message>`, then the frames its answer lists, one a
 * line (the logger keeps them on one line). The `[ERROR]` line is where a trigger's failure is
 * read: no one reads the answer of an MNS, Kafka or Timer invocation. The logger redacts it.
 */
export function describeFailure(error: unknown): string {
  const { errorType, errorMessage, stackTrace } = partsOf(error);
  let text = `${errorType}: ${errorMessage}`;
  for (const frame of stackTrace) text += `\n    ${frame}`;
  return text;
}

function partsOf(error: unknown): ErrorParts {
  if (isRedactedFailure(error)) return error.parts;
  const parts: ErrorParts = {
    errorMessage: messageOf(error),
    errorType: errorTypeOf(error),
    stackTrace: stackOf(error),
  };
  const fieldErrors = fieldErrorsOf(error);
  if (fieldErrors) parts.errors = fieldErrors.slice(0, MAX_BODY_FIELD_ERRORS);
  return parts;
}

function redactParts(parts: ErrorParts, redact: Redact): ErrorParts {
  const redacted: ErrorParts = {
    errorMessage: redact(parts.errorMessage),
    errorType: redact(parts.errorType),
    stackTrace: parts.stackTrace.map(redact),
  };
  if (parts.errors) redacted.errors = parts.errors.map((e) => redactFieldError(e, redact));
  return redacted;
}

/** Constraint messages may quote the event (`$value`), which can hold a credential. */
function redactFieldError(error: FieldError, redact: Redact): FieldError {
  const constraints: Record<string, string> = {};
  for (const [name, message] of Object.entries(error.constraints)) constraints[redact(name)] = redact(message);
  return { path: redact(error.path), constraints };
}

function limitParts(parts: ErrorParts): ErrorBody {
  const body: ErrorBody = {
    errorMessage: truncateUtf8(parts.errorMessage, PART_BYTES.message),
    errorType: truncateUtf8(parts.errorType, PART_BYTES.type),
    stackTrace: parts.stackTrace.map((frame) => truncateUtf8(frame, PART_BYTES.frame)),
  };
  if (parts.errors) body.errors = parts.errors.map(limitFieldError);
  if (jsonBytesAtMost(body) <= MAX_ERROR_BODY_BYTES) return body;
  // Too large even cut part by part (JSON escaping, many long parts): keep the frames, then the
  // field errors, that fit, in order.
  const frames = body.stackTrace;
  const errors = body.errors;
  body.stackTrace = [];
  if (errors) body.errors = [];
  let room = MAX_ERROR_BODY_BYTES - jsonBytes(body);
  room = keepFitting(frames, body.stackTrace, room);
  if (errors) keepFitting(errors, body.errors!, room);
  return body;
}

function limitFieldError(error: FieldError): FieldError {
  const constraints: Record<string, string> = {};
  let count = 0;
  for (const [name, message] of Object.entries(error.constraints)) {
    if (++count > MAX_CONSTRAINTS) break;
    constraints[truncateUtf8(name, PART_BYTES.constraintName)] = truncateUtf8(message, PART_BYTES.constraint);
  }
  return { path: truncateUtf8(error.path, PART_BYTES.path), constraints };
}

/** Moves items of `from` into `into` while they fit in `room` bytes; answers the room left. */
function keepFitting<T>(from: T[], into: T[], room: number): number {
  for (const item of from) {
    // Its JSON and a comma.
    const cost = jsonBytes(item) + 1;
    if (cost > room) break;
    into.push(item);
    room -= cost;
  }
  return room;
}

function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}

/** An upper bound of the body's JSON size, found without encoding it: the common case is far below. */
function jsonBytesAtMost(body: ErrorBody): number {
  // Keys, quotes, commas and brackets of the body and of each element.
  let bytes = 128 + 16 * body.stackTrace.length;
  let units = body.errorMessage.length + body.errorType.length;
  for (const frame of body.stackTrace) units += frame.length;
  for (const error of body.errors ?? []) {
    bytes += 32;
    units += error.path.length;
    for (const [name, message] of Object.entries(error.constraints)) {
      bytes += 8;
      units += name.length + message.length;
    }
  }
  return bytes + units * MAX_JSON_BYTES_PER_UNIT;
}

function isRedactedFailure(error: unknown): error is RedactedFailure {
  try {
    return error instanceof RedactedFailure;
  } catch {
    // A thrown Proxy can make `instanceof` itself throw.
    return false;
  }
}

function fieldErrorsOf(error: unknown): FieldError[] | undefined {
  try {
    return error instanceof ValidationError ? error.errors : undefined;
  } catch {
    // A thrown Proxy can make `instanceof` itself throw.
    return undefined;
  }
}

export function errorTypeOf(error: unknown): string {
  try {
    if (error instanceof FcError) return error.errorType;
    if (error instanceof Error) return safeString(() => error.name) || 'Error';
    if (error !== null && typeof error === 'object') {
      const name = safeString(() => (error as { name?: unknown }).name);
      if (name) return name;
    }
  } catch {
    // A Proxy whose traps throw: `instanceof` itself can.
  }
  return 'Error';
}

/**
 * A framework-handled error (bad input, unknown route) has no user frames worth showing; a
 * wrapped failure shows where its cause was thrown.
 */
function rawStackOf(error: unknown): unknown {
  if (error instanceof FcError) return error.handled ? '' : rawStackOf(error.cause);
  return error instanceof Error ? error.stack : '';
}

function stackOf(error: unknown): string[] {
  const stack = safeString(() => rawStackOf(error));
  if (!stack) return [];
  // The first lines repeat name and message; keep the frames only, as the official runtime shows.
  const frames: string[] = [];
  // Line by line, not split(): a stack can hold a hundred thousand frames, of which few are kept.
  for (let start = 0; start < stack.length && frames.length < MAX_BODY_STACK_FRAMES;) {
    const newline = stack.indexOf('\n', start);
    const end = newline === -1 ? stack.length : newline;
    if (stack.startsWith('    at ', start)) frames.push(stack.slice(start, end).trim());
    start = end + 1;
  }
  return frames;
}

function safeString(read: () => unknown): string {
  try {
    const value = read();
    return typeof value === 'string' ? value : '';
  } catch {
    return '';
  }
}

/** Whether the FC end marker should say the error was handled by the framework. */
export function isHandledError(error: unknown): boolean {
  try {
    return error instanceof FcError && error.handled;
  } catch {
    return false;
  }
}
