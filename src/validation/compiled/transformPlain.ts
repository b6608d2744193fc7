import { plainToInstance, TransformationType } from 'class-transformer';
import { transformKeyValue } from '../classTransformerInternals';
import { TargetKind, type KeyPlan, type ObjectPlan, type Target } from './transformPlan';

/**
 * class-transformer's `plainToInstance` over a parsed JSON value, step for step, with every
 * metadata lookup done at boot. JSON holds no Dates, Maps, Sets, Buffers, promises or functions,
 * so the branches class-transformer keeps for those values are not taken here; arrays are dense.
 * A `@Transform` function may write any value into the object it reads: the values transformed
 * after one ran are `guarded`, and one that is not JSON goes to class-transformer.
 */
export function transformValue(value: unknown, target: Target, arrayType: unknown, guarded: boolean): unknown {
  if (guarded && notJson(value)) {
    return transformKeyValue(value, target.type, arrayType, target.options?.enableImplicitConversion ?? false);
  }
  if (Array.isArray(value)) return transformArray(value, target, arrayType, guarded);
  switch (target.kind) {
    case TargetKind.string:
      // class-transformer's own conversion, objects included.
      // eslint-disable-next-line @typescript-eslint/no-base-to-string
      return value === null || value === undefined ? value : String(value);
    case TargetKind.number:
      return value === null || value === undefined ? value : Number(value);
    case TargetKind.boolean:
      return value === null || value === undefined ? value : Boolean(value);
    case TargetKind.date:
      return value === null || value === undefined ? value : new Date(value as string);
    case TargetKind.buffer:
      return value === null || value === undefined ? value : Buffer.from(value as string);
    case TargetKind.delegated:
      return plainToInstance(target.type as never, value, target.options);
  }
  if (typeof value !== 'object' || value === null) return value;
  return target.kind === TargetKind.compiled
    ? transformObject(value, target.plan!, guarded)
    : transformUntyped(value as Record<string, unknown>, target, guarded);
}

/** A value `JSON.parse` cannot make: an object of another prototype, or an array with holes. */
function notJson(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (!Array.isArray(value)) return Object.getPrototypeOf(value) !== Object.prototype;
  for (let i = 0; i < value.length; i++) if (!(i in value)) return true;
  return false;
}

function transformArray(value: unknown[], target: Target, arrayType: unknown, guarded: boolean): unknown {
  const out = arrayType ? instantiateArrayType(arrayType) : [];
  if (Array.isArray(out)) {
    for (let i = 0; i < value.length; i++) out.push(transformValue(value[i], target, undefined, guarded));
  } else if (out instanceof Set) {
    for (let i = 0; i < value.length; i++) out.add(transformValue(value[i], target, undefined, guarded));
  } else {
    const container = out as { push(value: unknown): void };
    for (let i = 0; i < value.length; i++) container.push(transformValue(value[i], target, undefined, guarded));
  }
  return out;
}

/** class-transformer's container for an array: a new `arrayType` if it is a Set or has `push`. */
function instantiateArrayType(arrayType: unknown): unknown {
  const array = new (arrayType as new () => object)();
  if (!(array instanceof Set) && !('push' in array)) return [];
  return array;
}

function transformUntyped(value: Record<string, unknown>, untyped: Target, guarded: boolean): unknown {
  // class-transformer takes an object's constructor for its type when it has no other: a JSON
  // object's is Object, but one that reached the engine without the decoder's hardening may
  // carry its own `constructor` key. class-transformer decides that case itself.
  const constructor = value.constructor;
  if (constructor !== Object && constructor !== Array)
    return plainToInstance(undefined as never, value, untyped.options);
  const out: Record<string, unknown> = {};
  for (const key in value) {
    if (!Object.hasOwn(value, key) || key === '__proto__' || key === 'constructor') continue;
    if (shadowedOnObject(key)) continue;
    out[key] = transformValue(value[key], untyped, undefined, guarded);
  }
  return out;
}

/** A key `{}` inherits without a setter (`toString`, `hasOwnProperty`...): class-transformer skips it. */
function shadowedOnObject(key: string): boolean {
  const descriptor = Object.getOwnPropertyDescriptor(Object.prototype, key);
  return (
    (descriptor !== undefined && !descriptor.set) ||
    (Object.prototype as Record<string, unknown>)[key] instanceof Function
  );
}

function transformObject(value: object, plan: ObjectPlan, guarded: boolean): object {
  const plain = value as Record<string, unknown>;
  const instance = new plan.ctor() as Record<string, unknown>;
  // The prototype checks are precomputed for instances whose constructor is the class's own.
  const usual = instance.constructor === plan.expectedConstructor;
  // class-transformer fills a Map (a `Map` design type, under implicit conversion) with entries.
  const map = instance instanceof Map ? instance : null;
  if (usual && map === null && !guarded) {
    const fill = plan.fill === undefined ? (plan.fill = writeFill(plan)) : plan.fill;
    if (fill !== null) return fill(instance, plain);
  }
  if (plan.transformed) return transformKeysOfSnapshot(instance, map, plain, plan, usual, guarded);
  if (plan.exposeAll) {
    const removed = plan.removed;
    for (const key in plain) {
      if (!Object.hasOwn(plain, key)) continue;
      if (removed !== null && removed.has(key)) continue;
      assignKey(instance, map, plain, key, plan, usual, guarded);
    }
  }
  const extra = plan.extra;
  for (let i = 0; i < extra.length; i++) {
    const key = extra[i];
    if (plan.exposeAll && Object.prototype.propertyIsEnumerable.call(plain, key)) continue;
    assignKey(instance, map, plain, key, plan, usual, guarded);
  }
  return instance;
}

/**
 * The same walk over the keys as class-transformer lists them before it starts: a `@Transform`
 * function is handed the plain object and may add or delete its keys on the way.
 */
function transformKeysOfSnapshot(
  instance: Record<string, unknown>,
  map: Map<string, unknown> | null,
  plain: Record<string, unknown>,
  plan: ObjectPlan,
  usual: boolean,
  guarded: boolean,
): object {
  const keys = plan.exposeAll
    ? Object.keys(plain).filter((key) => plan.removed === null || !plan.removed.has(key))
    : [];
  for (const key of plan.extra) if (!keys.includes(key)) keys.push(key);
  for (const key of keys) {
    // From the first @Transform function on, the plain object may hold anything.
    if (assignKey(instance, map, plain, key, plan, usual, guarded)) guarded = true;
  }
  return instance;
}

function assignKey(
  instance: Record<string, unknown>,
  map: Map<string, unknown> | null,
  plain: Record<string, unknown>,
  key: string,
  plan: ObjectPlan,
  usual: boolean,
  guarded: boolean,
): boolean {
  if (key === '__proto__' || key === 'constructor') return false;
  const keyPlan: KeyPlan = plan.keys.get(key) ?? plan.graph.unknownKey(plan, key);
  const property = keyPlan.property;
  const sub = plain[key];
  if (usual) {
    if (plan.checksPrototype && (keyPlan.shadowed || instance[property] instanceof Function)) return false;
  } else if (skippedOnUnusualInstance(instance, property)) {
    return false;
  }
  let final = transformValue(sub, keyPlan.target, Array.isArray(sub) ? keyPlan.arrayType : undefined, guarded);
  const transforms = keyPlan.transforms;
  if (transforms !== null) {
    for (let i = 0; i < transforms.length; i++) {
      final = transforms[i]({
        value: final,
        key: property,
        obj: plain,
        type: TransformationType.PLAIN_TO_CLASS,
        options: plan.graph.options,
      });
    }
  }
  if (map === null) instance[property] = final;
  else map.set(property, final);
  return transforms !== null;
}

/** class-transformer's check, as it reads it, for an instance whose constructor is not its class's. */
function skippedOnUnusualInstance(instance: Record<string, unknown>, property: string): boolean {
  const prototype = (instance.constructor as { prototype?: object }).prototype;
  if (!prototype) return false;
  const descriptor = Object.getOwnPropertyDescriptor(prototype, property);
  return (descriptor !== undefined && !descriptor.set) || instance[property] instanceof Function;
}

/** A usual instance filled from an unguarded plain object, with one class's keys written out. */
export type FillInstance = (instance: Record<string, unknown>, plain: Record<string, unknown>) => object;

const FILL_HELPERS = { assignKey, transformValue, hasOwn: Object.hasOwn, isArray: Array.isArray };

/**
 * `transformObject`'s loop for a usual instance of `plan` and an unguarded plain object, written
 * out: each key the class names is matched by a `switch` rather than looked up, and a string,
 * number or boolean value converted in place; any other key or value takes `assignKey`. `null`
 * when the plan has `@Transform`s, `@Expose`d keys or another strategy (the loop runs as is), or
 * code cannot be generated.
 */
function writeFill(plan: ObjectPlan): FillInstance | null {
  if (plan.transformed || !plan.exposeAll || plan.removed !== null || plan.extra.length !== 0) return null;
  const constants: unknown[] = [plan];
  const cases: string[] = [];
  for (const [key, keyPlan] of plan.keys) {
    if (key === '__proto__' || key === 'constructor') continue;
    const property = JSON.stringify(keyPlan.property);
    const target = keyPlan.target;
    const conversion = CONVERSIONS.get(target.kind);
    // A shadowed key is skipped; a function the constructor put there skips it too.
    const skip = plan.checksPrototype
      ? keyPlan.shadowed
        ? 'continue;'
        : `if (instance[${property}] instanceof Function) continue;`
      : '';
    if (keyPlan.shadowed && plan.checksPrototype) {
      cases.push(`case ${JSON.stringify(key)}: continue;`);
      continue;
    }
    constants.push(target, keyPlan.arrayType);
    const t = `k${constants.length - 2}`;
    const a = `k${constants.length - 1}`;
    const convert =
      conversion === undefined
        ? `transformValue(sub, ${t}, isArray(sub) ? ${a} : undefined, false)`
        : `sub === null || sub === undefined ? sub : isArray(sub) ? transformValue(sub, ${t}, ${a}, false) : ${conversion}(sub)`;
    cases.push(
      `case ${JSON.stringify(key)}: { ${skip} const sub = plain[${JSON.stringify(key)}]; instance[${property}] = ${convert}; continue; }`,
    );
  }
  const names = constants.map((_, i) => `const k${i} = constants[${i}];`).join('\n');
  const source = `"use strict";
const { assignKey, transformValue, hasOwn, isArray } = helpers;
${names}
return function fill(instance, plain) {
  for (const key in plain) {
    if (!hasOwn(plain, key)) continue;
    switch (key) {
${cases.join('\n')}
    }
    assignKey(instance, null, plain, key, k0, true, false);
  }
  return instance;
};`;
  try {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the source holds JSON-quoted property names and constant indices, never event data
    const factory = new Function('helpers', 'constants', source) as (
      helpers: typeof FILL_HELPERS,
      constants: unknown[],
    ) => FillInstance;
    return factory(FILL_HELPERS, constants);
  } catch {
    // Code generation refused (`--disallow-code-generation-from-strings`): the loop runs as is.
    return null;
  }
}

/** class-transformer's conversion of a JSON scalar, by target kind. */
const CONVERSIONS = new Map<number, string>([
  [TargetKind.string, 'String'],
  [TargetKind.number, 'Number'],
  [TargetKind.boolean, 'Boolean'],
]);
