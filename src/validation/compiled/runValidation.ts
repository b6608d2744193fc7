import { ValidationTypes } from 'class-validator';
import type { FieldError } from '../../errors/FcError';
import type { ResolvedValidationOptions } from '../options';
import { failureMessage, validationArguments } from './messages';
import type { ValidatorConstraintInterface } from 'class-validator';
import type { ValidationMetadata } from '../classValidatorInternals';
import type { ClassPlan, ConstraintCheck, PropertyPlan, ResolvedConstraint, ValidationGraph } from './validationPlan';

/**
 * The state of one validation: class-validator's `ValidationExecutor` with its error tree
 * written directly as the flat list `flattenValidationErrors` would make of it. An entry is made
 * when its first constraint fails (or an asynchronous one is started, which fixes its place), so
 * the valid path makes none; entries come in class-validator's pre-order: a property's own
 * constraints before its children's.
 */
export class ValidationRun {
  /** `null` until something fails. */
  errors: FieldError[] | null = null;
  /** Asynchronous constraints still running; `null` when none. */
  pending: Promise<unknown>[] | null = null;
  /** The keys from the event's root to the object being validated. */
  readonly path: (string | number)[] = [];
  readonly whitelist: boolean;
  readonly forbidNonWhitelisted: boolean;
  readonly skipMissingProperties: boolean;
  readonly stopAtFirstError: boolean;

  constructor(
    options: ResolvedValidationOptions,
    readonly graph: ValidationGraph,
  ) {
    this.whitelist = options.whitelist;
    this.forbidNonWhitelisted = options.forbidNonWhitelisted;
    this.skipMissingProperties = options.skipMissingProperties;
    this.stopAtFirstError = options.stopAtFirstError;
  }

  /** Ready for the next event. */
  reset(): void {
    this.errors = null;
    this.pending = null;
    this.path.length = 0;
  }
}

/** class-validator's `execute`: one object against its class's plan. */
export function validateObject(run: ValidationRun, object: object, plan: ClassPlan): void {
  if (plan.generated !== null) {
    plan.generated(run, object);
    return;
  }
  if (plan.unknown) {
    push(run, undefined).constraints['unknownValue'] = 'an unknown value was passed to the validate function';
    return;
  }
  if (run.whitelist) applyWhitelist(run, object as Record<string, unknown>, plan);
  const properties = plan.properties;
  for (let i = 0; i < properties.length; i++) {
    const property = properties[i];
    performValidations(run, object, (object as Record<string, unknown>)[property.name], property.name, property, plan);
  }
}

export function applyWhitelist(run: ValidationRun, object: Record<string, unknown>, plan: ClassPlan): void {
  const grouped = plan.grouped;
  for (const key in object) {
    if (plan.inheritsEnumerable && !Object.hasOwn(object, key)) continue;
    const metadatas = grouped[key];
    if (metadatas && metadatas.length !== 0) continue;
    rejectKey(run, object, key);
  }
}

/** A key no decorator allows: an error under `forbidNonWhitelisted`, else deleted. */
export function rejectKey(run: ValidationRun, object: Record<string, unknown>, key: string): void {
  if (run.forbidNonWhitelisted) {
    push(run, key).constraints[ValidationTypes.WHITELIST] = `property ${key} should not exist`;
  } else {
    delete object[key];
  }
}

function performValidations(
  run: ValidationRun,
  object: object,
  value: unknown,
  name: string | number,
  plan: PropertyPlan,
  owner: ClassPlan | null,
): void {
  const conditions = plan.conditions;
  if (conditions !== null) {
    // class-validator evaluates every condition, then requires all of them.
    let canValidate = true;
    for (let i = 0; i < conditions.length; i++) {
      const metadata = conditions[i];
      // Called as class-validator calls it: a condition that is not a function fails alike.
      const result: unknown = (metadata.constraints as ((object: object, value: unknown) => unknown)[])[0](
        object,
        value,
      );
      canValidate = canValidate && Boolean(result);
    }
    if (!canValidate) return;
  }
  let error: FieldError | null = null;
  // Checks run on an instance (an array element has none): its plan is its constructor's.
  if (plan.defined.length !== 0) error = runChecks(run, object, value, name, plan.defined, error, owner!);
  if ((value === null || value === undefined) && run.skipMissingProperties) return;
  if (plan.customs.length !== 0) error = runChecks(run, object, value, name, plan.customs, error, owner!);
  if (plan.nested.length !== 0) validateNested(run, value, name, plan, error);
}

export function runChecks(
  run: ValidationRun,
  object: object,
  value: unknown,
  name: string | number,
  checks: ConstraintCheck[],
  error: FieldError | null,
  owner: ClassPlan,
): FieldError | null {
  for (let i = 0; i < checks.length; i++) {
    const check = checks[i];
    const metadata = check.metadata;
    if (metadata.validateIf && !metadata.validateIf(object, value)) continue;
    for (let j = 0; j < check.constraints.length; j++) {
      const constraint = check.constraints[j];
      if (run.stopAtFirstError && error !== null && Object.keys(error.constraints).length > 0) continue;
      const instance = constraint.instance ?? constraint.metadata.instance;
      const args = validationArguments(owner.targetName, object, value, metadata);
      if (!metadata.each || !(Array.isArray(value) || value instanceof Set || value instanceof Map)) {
        const valid: unknown = instance.validate(value, args);
        if (isPromise(valid))
          error = awaitCheck(run, error, name, constraint, object, value, metadata, instance, valid);
        else if (!valid) error = failCheck(run, error, name, constraint, object, value, metadata, instance);
        continue;
      }
      const items: unknown[] =
        value instanceof Map
          ? Array.from(value.values())
          : Array.isArray(value)
            ? value
            : Array.from(value as Set<unknown>);
      // class-validator maps the items to their results (a hole in an array, which an array
      // built from an object's keys may have, is skipped) and then combines them.
      let allValid = true;
      let results: unknown[] | null = null;
      const length = items.length;
      for (let k = 0; k < length; k++) {
        if (!(k in items)) continue;
        const valid: unknown = instance.validate(items[k], args);
        if (results !== null) results[k] = valid;
        else if (isPromise(valid)) results = resultsSoFar(items, k, valid);
        if (!valid) allValid = false;
      }
      if (results !== null) {
        // As class-validator: all results awaited together (a hole as `undefined`), then combined.
        const entry = (error ??= push(run, name));
        const settled = results.map((r) => (isPromise(r) ? r : Promise.resolve(r)));
        later(
          run,
          Promise.all(settled).then((flat) => {
            if (!(allValid && flat.every((isValid) => isValid))) {
              entry.constraints[constraint.type] = failureMessage(object, value, metadata, instance);
            }
          }),
        );
      } else if (!allValid) {
        error = failCheck(run, error, name, constraint, object, value, metadata, instance);
      }
    }
  }
  return error;
}

/** A constraint failed: its message, in the property's entry (made now if it is the first). */
export function failCheck(
  run: ValidationRun,
  error: FieldError | null,
  name: string | number,
  constraint: ResolvedConstraint,
  object: object,
  value: unknown,
  metadata: ValidationMetadata,
  instance: ValidatorConstraintInterface,
): FieldError {
  error ??= push(run, name);
  error.constraints[constraint.type] = failureMessage(object, value, metadata, instance);
  return error;
}

/** A constraint answered a promise: the property's entry is made now, its message when it settles false. */
export function awaitCheck(
  run: ValidationRun,
  error: FieldError | null,
  name: string | number,
  constraint: ResolvedConstraint,
  object: object,
  value: unknown,
  metadata: ValidationMetadata,
  instance: ValidatorConstraintInterface,
  valid: Promise<unknown>,
): FieldError {
  const entry = (error ??= push(run, name));
  later(
    run,
    valid.then((isValid) => {
      if (!isValid) entry.constraints[constraint.type] = failureMessage(object, value, metadata, instance);
    }),
  );
  return entry;
}

/**
 * The results of an each-validation as class-validator holds them when the item at `k` answered
 * the first promise: the same holes as the items, `true` for the earlier items (whether they
 * passed is in the caller's `allValid`).
 */
function resultsSoFar(items: unknown[], k: number, valid: unknown): unknown[] {
  const results = new Array<unknown>(items.length);
  for (let j = 0; j < k; j++) if (j in items) results[j] = true;
  results[k] = valid;
  return results;
}

export function validateNested(
  run: ValidationRun,
  value: unknown,
  name: string | number,
  plan: PropertyPlan,
  error: FieldError | null,
): void {
  if (value === undefined) return;
  const nested = plan.nested;
  for (let i = 0; i < nested.length; i++) {
    const check = nested[i];
    if (run.stopAtFirstError && error !== null && Object.keys(error.constraints).length > 0) continue;
    if (Array.isArray(value) || value instanceof Set || value instanceof Map) {
      const element = plan.element!;
      run.path.push(name);
      if (value instanceof Map) {
        value.forEach((item: unknown, key: { toString(): string }) =>
          performValidations(run, value, item, key.toString(), element, null),
        );
      } else {
        // Array.prototype.forEach's visit: the length it starts with, holes skipped.
        const items: unknown[] = Array.isArray(value) ? value : Array.from(value);
        const length = items.length;
        for (let k = 0; k < length; k++) if (k in items) performValidations(run, items, items[k], k, element, null);
      }
      run.path.pop();
    } else if (value instanceof Object) {
      const constructor: unknown = value.constructor;
      const target =
        constructor === check.expected && check.expectedPlan ? check.expectedPlan : run.graph.planFor(constructor);
      run.path.push(name);
      validateObject(run, value, target);
      run.path.pop();
    } else {
      const metadata = check.metadata;
      error ??= push(run, name);
      error.constraints[metadata.type] = failureMessage(metadata.target as object, value, metadata, undefined);
    }
  }
}

/** A new entry at the current path (and `name` below it), in class-validator's order. */
export function push(run: ValidationRun, name: string | number | undefined): FieldError {
  const entry: FieldError = { path: pathOf(run.path, name), constraints: {} };
  (run.errors ??= []).push(entry);
  return entry;
}

function later(run: ValidationRun, promise: Promise<unknown>): void {
  (run.pending ??= []).push(promise);
}

/** The dotted path `flattenValidationErrors` gives: empty property names add no segment. */
function pathOf(keys: readonly (string | number)[], last: string | number | undefined): string {
  let path = '';
  const n = keys.length;
  for (let i = 0; i <= n; i++) {
    const key = i < n ? keys[i] : last;
    if (key === undefined || key === '') continue;
    path = path === '' ? String(key) : `${path}.${key}`;
  }
  return path;
}

/**
 * class-validator's own test of a constraint's answer (an object with `then`; a function with
 * `then` counts as a plain answer there), which is narrower than what `await` waits for.
 */
export function isPromise(value: unknown): value is Promise<unknown> {
  return value !== null && typeof value === 'object' && typeof (value as { then?: unknown }).then === 'function';
}
