import { ValidationError, type FieldError } from '../errors/FcError';

/** One compiled validation: a parsed JSON value in, the validated value out (or a promise of it). */
export type CompiledValidation = (plain: unknown) => unknown;

/** How validating one part of an event (an element, an envelope's `data`) came out. */
export type PartOutcome = { value: unknown; errors?: undefined } | { value?: undefined; errors: FieldError[] };

/**
 * Validates one part of an event. Its field errors come back re-rooted under `at` (`0.sku`,
 * `data.orderId`) instead of thrown, so the caller can report every part's errors at once; any
 * other failure comes back rejected. Stays synchronous when `validate` is and succeeds or fails
 * validation.
 */
export function validatePart(
  validate: CompiledValidation,
  plain: unknown,
  at: string,
): PartOutcome | Promise<PartOutcome> {
  let result: unknown;
  try {
    result = validate(plain);
  } catch (error) {
    // Rejected rather than thrown: another part may be pending, and only awaiting every part
    // together (settleParts) keeps its own failure from going unhandled.
    return error instanceof ValidationError ? failed(error, at) : Promise.reject(error);
  }
  if (result instanceof Promise) {
    return result.then(
      (value: unknown) => ({ value }),
      (error: unknown) => failed(error, at),
    );
  }
  return { value: result };
}

/**
 * Waits for every part (only when one of them is a promise), then answers `finish` of their
 * values, or throws one `ValidationError` with all their field errors in order.
 */
export function settleParts<T>(
  parts: (PartOutcome | Promise<PartOutcome>)[],
  finish: (values: unknown[]) => T,
): T | Promise<T> {
  const conclude = (outcomes: PartOutcome[]): T => {
    const errors = outcomes.flatMap((o) => o.errors ?? []);
    if (errors.length > 0) throw new ValidationError(errors);
    return finish(outcomes.map((o) => o.value));
  };
  if (parts.some((p) => p instanceof Promise)) return Promise.all(parts.map((p) => Promise.resolve(p))).then(conclude);
  return conclude(parts as PartOutcome[]);
}

function failed(error: unknown, at: string): PartOutcome {
  if (!(error instanceof ValidationError)) throw error;
  return { errors: error.errors.map((e) => ({ path: reRoot(at, e.path), constraints: e.constraints })) };
}

function reRoot(at: string, path: string): string {
  if (at === '') return path;
  return path === '' ? at : `${at}.${path}`;
}
