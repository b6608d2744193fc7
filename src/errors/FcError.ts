/** A failure the kernel answers with FC's error shape; `errorType` is stable across releases. */
export abstract class FcError extends Error {
  abstract readonly errorType: string;
  /**
   * `true` when the framework caught the problem before or around user code (bad input, unknown
   * route); the FC end marker then says `Handled function error`.
   */
  readonly handled: boolean = true;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }

  override get name(): string {
    return this.errorType;
  }
}

/** One failed constraint set, at a dotted path into the event (`items.0.quantity`). */
export interface FieldError {
  path: string;
  constraints: Record<string, string>;
}

/** The event does not satisfy its DTO's constraints. */
export class ValidationError extends FcError {
  readonly errorType = 'ValidationError';
  constructor(readonly errors: FieldError[]) {
    super(describeFieldErrors(errors));
  }
}

function describeFieldErrors(errors: FieldError[]): string {
  const shown = errors.slice(0, 5).map((e) => {
    const messages = Object.values(e.constraints).join(', ');
    return e.path ? `${e.path}: ${messages}` : messages;
  });
  const more = errors.length > shown.length ? `; and ${errors.length - shown.length} more` : '';
  return `Event validation failed: ${shown.join('; ')}${more}`;
}

/** The event body cannot be decoded as the handler's event type (empty body, malformed JSON). */
export class EventDecodeError extends FcError {
  readonly errorType = 'EventDecodeError';
}

/** The request body is over the kernel's `bodyLimit`. */
export class PayloadTooLargeError extends FcError {
  readonly errorType = 'PayloadTooLargeError';
  constructor(readonly limit: number) {
    super(`Request body exceeds the limit of ${limit} bytes`);
  }
}

/** The `@OnInitialize` hook, or the creation of the function instance, failed. */
export class InitializationError extends FcError {
  readonly errorType = 'InitializationError';
  override readonly handled = false;
  constructor(functionName: string, cause: unknown) {
    super(`Initialization of function "${functionName}" failed: ${messageOf(cause)}`, { cause });
  }
}

/** No registered function answers the requested function name. */
export class FunctionNotFoundError extends FcError {
  readonly errorType = 'FunctionNotFoundError';
  constructor(requested: string | undefined, known: string[]) {
    const asked = requested
      ? `No function named "${requested}"`
      : 'No function name given (x-fc-function-name or FC_FUNCTION_NAME)';
    super(`${asked}; this image serves: ${known.map((n) => `"${n}"`).join(', ')}`);
  }
}

/** The method and path are not one of FC's custom-container routes. */
export class RouteNotFoundError extends FcError {
  readonly errorType = 'RouteNotFoundError';
  constructor(method: string, path: string) {
    super(
      `No route for ${method} ${path}: expected POST /invoke, POST /initialize, GET|POST /pre-stop or GET|POST /pre-freeze`,
    );
  }
}

/** The handler, or the initializer, ran past its FC timeout. */
export class TimeoutError extends FcError {
  readonly errorType = 'TimeoutError';
  override readonly handled = false;
  constructor(what: string, seconds: number) {
    super(`${what} timed out after ${seconds} seconds`);
  }
}

/**
 * The message of any thrown value: an Error's message; an object's string `message`, else its own
 * `toString()`, else its JSON (at most `MAX_MESSAGE_JSON_NODES` values of it); else `String(value)`.
 * Callers redact and bound the text: cut first, a secret in it could no longer be recognised.
 */
export function messageOf(value: unknown): string {
  // Thrown values are user data: a message getter, a toString or a Proxy trap may throw too.
  try {
    if (value instanceof Error) return String(value.message);
    if (value === null || typeof value !== 'object') return String(value);
    const { message, toString } = value as { message?: unknown; toString?: unknown };
    if (typeof message === 'string') return message;
    if (typeof toString === 'function' && toString !== Object.prototype.toString && !Array.isArray(value)) {
      // eslint-disable-next-line @typescript-eslint/no-base-to-string -- its own toString, tested above
      return String(value);
    }
    return boundedJson(value);
  } catch {
    try {
      return Object.prototype.toString.call(value);
    } catch {
      return '[a value that cannot be printed]';
    }
  }
}

/** How many values of a thrown object's JSON `messageOf` writes; past them, one `"…"` stands for the rest. */
export const MAX_MESSAGE_JSON_NODES = 1000;

/** `JSON.stringify(value)`, its walk cut after `MAX_MESSAGE_JSON_NODES` values. */
function boundedJson(value: object): string {
  let nodes = 0;
  const json: string | undefined = JSON.stringify(value, (_key, item: unknown) => {
    nodes++;
    if (nodes <= MAX_MESSAGE_JSON_NODES) return item;
    return nodes === MAX_MESSAGE_JSON_NODES + 1 ? '…' : undefined;
  });
  return json ?? Object.prototype.toString.call(value);
}

/**
 * A pre-stop has begun (FC's `/pre-stop` while it runs, or the shutdown's for good), so the
 * instance starts no invocation: its effects could not be flushed. Also the answer to a request
 * whose body had not arrived when a shutdown's drain deadline passed.
 */
export class InstanceStoppingError extends FcError {
  readonly errorType = 'InstanceStoppingError';
  constructor(message = 'The instance is stopping (@OnPreStop has begun): the invocation was not started') {
    super(message);
  }
}

/** The HTTP request could not be parsed (malformed, or headers over the server's limit). */
export class BadRequestError extends FcError {
  readonly errorType = 'BadRequestError';
}
