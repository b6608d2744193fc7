import { ValidationError, type FieldError } from '../../../src/errors/FcError';
import type { Constructor } from '../../../src/metadata/records';
import { classValidatorEventValidator } from '../../../src/validation/ClassValidatorEventValidator';
import { resolveValidationOptions, type EventValidationOptions } from '../../../src/validation/options';
import { compiledEventValidator } from '../../../src/validation/compiled';

/** What one engine made of one event. */
export type Outcome =
  | { kind: 'instance'; value: unknown }
  | { kind: 'invalid'; errors: FieldError[] }
  | { kind: 'thrown'; name: string; message: string }
  | { kind: 'boot'; name: string; message: string };

/** Runs a compiled validation on `plain`; answers its outcome. */
export async function outcomeOf(validate: (plain: unknown) => unknown, plain: unknown): Promise<Outcome> {
  try {
    return { kind: 'instance', value: await validate(plain) };
  } catch (error) {
    if (error instanceof ValidationError) return { kind: 'invalid', errors: error.errors };
    const e = error as Error;
    return { kind: 'thrown', name: e?.constructor?.name, message: String(e?.message) };
  }
}

/** Both engines compiled for one DTO and one set of options. */
export interface EnginePair {
  reference: ((plain: unknown) => unknown) | Outcome;
  compiled: ((plain: unknown) => unknown) | Outcome;
}

export function compileBoth(dto: Constructor, options: EventValidationOptions = {}): EnginePair {
  const resolved = resolveValidationOptions(options);
  const boot = (compile: () => (plain: unknown) => unknown): ((plain: unknown) => unknown) | Outcome => {
    try {
      return compile();
    } catch (error) {
      return { kind: 'boot', name: (error as Error).constructor.name, message: (error as Error).message };
    }
  };
  return {
    reference: boot(() => classValidatorEventValidator.compile(dto, resolved)),
    compiled: boot(() => compiledEventValidator.compile(dto, resolved)),
  };
}

/**
 * Runs one JSON event through both engines, each on its own parse of `json`, and answers the
 * first difference between their outcomes (`undefined` when there is none) with both outcomes.
 */
export async function differenceOn(
  pair: EnginePair,
  json: string,
): Promise<{ difference: string | undefined; reference: Outcome; compiled: Outcome }> {
  const run = (engine: EnginePair['reference']) =>
    typeof engine === 'function' ? outcomeOf(engine, JSON.parse(json)) : Promise.resolve(engine);
  const reference = await run(pair.reference);
  const compiled = await run(pair.compiled);
  return { difference: differenceBetween(reference, compiled, '$'), reference, compiled };
}

/** Throws with both outcomes when the engines differ on the JSON event; answers the reference's. */
export async function assertSameOutcomeOn(pair: EnginePair, json: string): Promise<Outcome> {
  const { difference, reference, compiled } = await differenceOn(pair, json);
  if (difference !== undefined) {
    throw new Error(
      `engines differ at ${difference} on ${json}\nreference: ${show(reference)}\ncompiled:  ${show(compiled)}`,
    );
  }
  return reference;
}

/** As `assertSameOutcomeOn`, for an event given as a value. */
export function assertSameOutcome(pair: EnginePair, event: unknown): Promise<Outcome> {
  return assertSameOutcomeOn(pair, JSON.stringify(event));
}

function show(outcome: Outcome): string {
  if (outcome.kind === 'instance') return `instance ${describeValue(outcome.value)}`;
  return JSON.stringify(outcome);
}

function describeValue(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? String(value);
  const name = Object.getPrototypeOf(value)?.constructor?.name ?? 'null-prototype';
  if (Array.isArray(value)) return `${name === 'Array' ? '' : name}[${value.map(describeValue).join(', ')}]`;
  if (value instanceof Date) return `Date(${value.getTime()})`;
  if (value instanceof Set) return `Set{${[...value].map(describeValue).join(', ')}}`;
  const fields = Reflect.ownKeys(value).map(
    (k) => `${String(k)}: ${describeValue((value as Record<PropertyKey, unknown>)[k])}`,
  );
  return `${name === 'Object' ? '' : name}{${fields.join(', ')}}`;
}

/**
 * The first place two values differ, as a path, or `undefined`: same prototypes at every level,
 * same own keys in the same order, dates by time, sets and arrays element by element, primitives
 * by `Object.is`.
 */
export function differenceBetween(a: unknown, b: unknown, path: string): string | undefined {
  if (Object.is(a, b)) return undefined;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') {
    return typeof a === 'function' && typeof b === 'function' ? undefined : path;
  }
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return `${path} (prototype)`;
  if (a instanceof Date) return Object.is(a.getTime(), (b as Date).getTime()) ? undefined : path;
  if (a instanceof Set || a instanceof Map) {
    const xs = [...a.entries()];
    const ys = [...(b as Set<unknown>).entries()];
    if (xs.length !== ys.length) return `${path} (size)`;
    for (let i = 0; i < xs.length; i++) {
      const d = differenceBetween(xs[i], ys[i], `${path}{${i}}`);
      if (d) return d;
    }
  }
  const ka = Reflect.ownKeys(a);
  const kb = Reflect.ownKeys(b as object);
  if (ka.length !== kb.length || ka.some((k, i) => k !== kb[i])) {
    return `${path} (keys ${ka.map(String).join(',')} vs ${kb.map(String).join(',')})`;
  }
  for (const k of ka) {
    const d = differenceBetween(
      (a as Record<PropertyKey, unknown>)[k],
      (b as Record<PropertyKey, unknown>)[k],
      `${path}.${String(k)}`,
    );
    if (d) return d;
  }
  return undefined;
}
