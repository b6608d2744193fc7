import { FcError, messageOf, ValidationError, type FieldError } from './FcError';

/** FC's error JSON, as the official runtimes write it, plus field errors for validation. */
export interface ErrorBody {
  errorMessage: string;
  errorType: string;
  stackTrace: string[];
  /** The first `MAX_BODY_FIELD_ERRORS` field errors; `errorMessage` says how many there were. */
  errors?: FieldError[];
}

/**
 * How many field errors an error body lists. An event of a million invalid array elements has
 * millions of them: listed in full, a 2 MB event was answered with a 128 MB body.
 */
export const MAX_BODY_FIELD_ERRORS = 100;

/**
 * The one place where a thrown value becomes the error body. `redact` removes the invocation's
 * secrets from every string that leaves the process: the error's name and the paths and
 * messages of field errors too (an event's own keys come back in those).
 */
export function toErrorBody(error: unknown, redact: (text: string) => string = (t) => t): ErrorBody {
  const body: ErrorBody = {
    errorMessage: redact(messageOf(error)),
    errorType: redact(errorTypeOf(error)),
    stackTrace: stackOf(error).map(redact),
  };
  const fieldErrors = fieldErrorsOf(error);
  if (fieldErrors) body.errors = fieldErrors.slice(0, MAX_BODY_FIELD_ERRORS).map((e) => redactFieldError(e, redact));
  return body;
}

function fieldErrorsOf(error: unknown): FieldError[] | undefined {
  try {
    return error instanceof ValidationError ? error.errors : undefined;
  } catch {
    // A thrown Proxy can make `instanceof` itself throw.
    return undefined;
  }
}

/** Constraint messages may quote the event (`$value`), which can hold a credential. */
function redactFieldError(error: FieldError, redact: (text: string) => string): FieldError {
  const constraints: Record<string, string> = {};
  for (const [name, message] of Object.entries(error.constraints)) constraints[name] = redact(message);
  return { path: redact(error.path), constraints };
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
  return stack
    .split('\n')
    .filter((line) => line.startsWith('    at '))
    .map((line) => line.trim());
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
