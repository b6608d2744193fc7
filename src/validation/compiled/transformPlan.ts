import { TransformationType } from 'class-transformer';
import type { Constructor } from '../../metadata/records';
import {
  decoratedPropertyNames,
  transformerStorage,
  transformOptions,
  typeWithoutEvent,
  type TransformParams,
} from '../classTransformerInternals';
import { validatorStorage } from '../classValidatorInternals';

/** How a value is turned into what the instance holds, as class-transformer decides it. */
export const TargetKind = {
  /** No type known: a plain copy (class-transformer guesses nothing for JSON objects). */
  untyped: 0,
  string: 1,
  number: 2,
  boolean: 3,
  date: 4,
  buffer: 5,
  /** A class this engine transforms with its `ObjectPlan`. */
  compiled: 6,
  /** A class class-transformer itself transforms (see `ObjectPlan`'s exceptions). */
  delegated: 7,
} as const;

/** The type a value is transformed into. Mutable: a class is planned before its own keys are. */
export interface Target {
  kind: number;
  /** For `compiled`. */
  plan: ObjectPlan | undefined;
  /** The type class-transformer is given: the class, or `String`, `Number`...; none when untyped. */
  type: Constructor | undefined;
  /** For `delegated`: why class-transformer keeps it. */
  reason: string | undefined;
  /** For `delegated` and `untyped`: the options `plainToInstance` is called with. */
  options: { enableImplicitConversion: boolean } | undefined;
}

export type TransformFn = (params: TransformParams) => unknown;

/** How one key of a plain object becomes one property of an instance. */
export interface KeyPlan {
  /** The instance property it is written to (`@Expose({ name })` renames). */
  property: string;
  target: Target;
  /** `@Type`'s reflected design type: the container an array value is collected into. */
  arrayType: unknown;
  /** The prototype holds the property without a setter: class-transformer leaves it alone. */
  shadowed: boolean;
  /** `@Transform` functions, in the order class-transformer applies them. */
  transforms: TransformFn[] | null;
}

/** A class's transformation, decided at boot from its class-transformer records. */
export interface ObjectPlan {
  ctor: new () => object;
  /** What an instance's `constructor` is when the class behaves as classes do. */
  expectedConstructor: unknown;
  /** `expectedConstructor.prototype` is an object: keys are checked against it. */
  checksPrototype: boolean;
  /** Keys of the plain object take part (strategy `exposeAll`, the default). */
  exposeAll: boolean;
  /** Plain keys dropped: `@Exclude()`d, or `@Expose()`d only for groups. */
  removed: ReadonlySet<string> | null;
  /** `@Expose()`d keys read even when the plain object lacks them. */
  extra: readonly string[];
  keys: Map<string, KeyPlan>;
  /** Some key has `@Transform` functions. */
  transformed: boolean;
  graph: TransformGraph;
  /** Its keys written out (see `transformPlain`), on first use; `null` when they cannot be. */
  fill?: ((instance: Record<string, unknown>, plain: Record<string, unknown>) => object) | null;
}

const SCALARS = new Map<unknown, Target>([
  [String, fixed(TargetKind.string, undefined, String)],
  [Number, fixed(TargetKind.number, undefined, Number)],
  [Boolean, fixed(TargetKind.boolean, undefined, Boolean)],
  [Date, fixed(TargetKind.date, undefined, Date)],
  [Buffer, fixed(TargetKind.buffer, undefined, Buffer)],
]);

function fixed(kind: number, options?: { enableImplicitConversion: boolean }, type?: Constructor): Target {
  return { kind, plan: undefined, type, reason: undefined, options };
}

/** A class this engine does not transform itself; class-transformer does. */
class Delegate extends Error {}

/**
 * Every class an event's transformation can reach, each planned once. `plainToInstance(cls,
 * plain, { enableImplicitConversion })` is a pure function of the value and its target type, so
 * a class planned here is transformed exactly as class-transformer would, and a class it cannot
 * plan (a discriminator, a `Map`, a type function that reads its arguments) is handed to
 * class-transformer whole, with the same result.
 */
export class TransformGraph {
  /** The options class-transformer's executor runs with (what `@Transform` functions see). */
  readonly options: Record<string, unknown>;
  /** The same, as given to `plainToInstance` for a delegated class. */
  readonly publicOptions: { enableImplicitConversion: boolean };
  private readonly targets = new Map<unknown, Target>();
  private readonly untyped: Target;

  constructor(readonly implicitConversion: boolean) {
    this.options = transformOptions(implicitConversion);
    this.publicOptions = { enableImplicitConversion: implicitConversion };
    this.untyped = fixed(TargetKind.untyped, this.publicOptions);
  }

  /** The target for a type as class-transformer resolves it (`@Type` or `design:type`). */
  targetFor(type: unknown): Target {
    if (!type) return this.untyped;
    const scalar = SCALARS.get(type);
    if (scalar) return scalar;
    const known = this.targets.get(type);
    if (known) return known;
    const target: Target = {
      kind: TargetKind.compiled,
      plan: undefined,
      type: type as Constructor,
      reason: undefined,
      options: this.publicOptions,
    };
    this.targets.set(type, target);
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- whatever @Type returned, printed
    if (typeof type !== 'function') return delegate(target, `@Type names ${String(type)}, not a class`);
    try {
      target.plan = this.planClass(type as new () => object);
    } catch (error) {
      if (!(error instanceof Delegate)) throw error;
      delegate(target, error.message);
    }
    return target;
  }

  /** Classes handed to class-transformer, with the reason. */
  delegated(): { type: Constructor; reason: string }[] {
    const out: { type: Constructor; reason: string }[] = [];
    for (const t of this.targets.values())
      if (t.kind === TargetKind.delegated) out.push({ type: t.type!, reason: t.reason! });
    return out;
  }

  /** The plan for a key no record names, decided when an event first holds it. */
  unknownKey(plan: ObjectPlan, key: string): KeyPlan {
    const type = this.implicitConversion ? designType(plan.ctor, key) : undefined;
    return {
      property: key,
      target: this.targetFor(type),
      arrayType: undefined,
      shadowed: shadows(plan.expectedConstructor, key),
      transforms: null,
    };
  }

  private planClass(ctor: new () => object): ObjectPlan {
    const prototype = (ctor as { prototype?: { constructor?: unknown } }).prototype;
    if (prototype === undefined || prototype === null) throw new Delegate(`${ctor.name} is not a constructor`);
    const expectedConstructor = prototype.constructor;
    const exposed = transformerStorage().getExposedMetadatas(ctor);
    const customNames = new Map<string, string>();
    for (const m of exposed) {
      const name = m.options?.name;
      if (name && !customNames.has(name)) customNames.set(name, m.propertyName!);
    }
    const strategy = transformerStorage().getStrategy(ctor);
    const excluded = transformerStorage().getExcludedProperties(ctor, TransformationType.PLAIN_TO_CLASS);
    const removed = new Set(excluded);
    for (const name of decoratedPropertyNames(ctor)) {
      if (transformerStorage().findExposeMetadata(ctor, name)?.options?.groups?.length) removed.add(name);
    }
    const extra = transformerStorage()
      .getExposedProperties(ctor, TransformationType.PLAIN_TO_CLASS)
      .map((key) => transformerStorage().findExposeMetadata(ctor, key)?.options?.name || key)
      .filter((key, index, all) => !removed.has(key) && all.indexOf(key) === index);

    const plan: ObjectPlan = {
      ctor,
      expectedConstructor,
      checksPrototype: Boolean((expectedConstructor as { prototype?: unknown } | undefined)?.prototype),
      exposeAll: strategy !== 'excludeAll',
      removed: removed.size > 0 ? removed : null,
      extra,
      keys: new Map(),
      transformed: false,
      graph: this,
    };
    const names = new Set<string>([
      ...decoratedPropertyNames(ctor),
      ...customNames.keys(),
      ...validatedProperties(ctor),
    ]);
    for (const key of names) {
      const keyPlan = this.keyPlan(plan, customNames.get(key) ?? key);
      plan.keys.set(key, keyPlan);
      if (keyPlan.transforms !== null) plan.transformed = true;
    }
    return plan;
  }

  /**
   * The class a property's values are transformed into, when the records name one without
   * looking at the event (a discriminator's default type, say); `undefined` otherwise.
   */
  staticTypeOf(ctor: Constructor, property: string): unknown {
    try {
      return this.propertyType(ctor, property, false);
    } catch {
      return undefined;
    }
  }

  /** The type class-transformer resolves for a property; `strict` refuses what must be delegated. */
  private propertyType(ctor: Constructor, property: string, strict: boolean): unknown {
    const record = transformerStorage().findTypeMetadata(ctor, property);
    if (!record) return this.implicitConversion ? designType(ctor, property) : undefined;
    const where = `${ctor.name}.${property}`;
    if (strict && record.options?.discriminator) throw new Delegate(`${where} has a @Type discriminator`);
    if (strict && record.reflectedType === Map) throw new Delegate(`${where} is a Map`);
    if (!record.typeFunction) return record.reflectedType;
    const resolved = typeWithoutEvent(record.typeFunction);
    if ('perEvent' in resolved) throw new Delegate(`${where}'s @Type function ${resolved.perEvent}`);
    return resolved.type;
  }

  private keyPlan(plan: ObjectPlan, property: string): KeyPlan {
    const ctor = plan.ctor;
    const type = this.propertyType(ctor, property, true);
    const transforms = transformerStorage()
      .findTransformMetadatas(ctor, property, TransformationType.PLAIN_TO_CLASS)
      // class-transformer is given no groups: a transformation limited to groups never applies.
      .filter((m) => !m.options || !m.options.groups || !m.options.groups.length)
      .map((m) => m.transformFn);
    return {
      property,
      target: this.targetFor(type),
      arrayType: transformerStorage().findTypeMetadata(ctor, property)?.reflectedType,
      shadowed: shadows(plan.expectedConstructor, property),
      transforms: transforms.length > 0 ? transforms : null,
    };
  }
}

function delegate(target: Target, reason: string): Target {
  target.kind = TargetKind.delegated;
  target.plan = undefined;
  target.reason = reason;
  return target;
}

function designType(ctor: Constructor, property: string): unknown {
  return Reflect.getMetadata('design:type', ctor.prototype as object, property);
}

/** class-transformer skips a key its instance's prototype defines without a setter. */
function shadows(expectedConstructor: unknown, property: string): boolean {
  const prototype = (expectedConstructor as { prototype?: unknown } | undefined)?.prototype;
  if (!prototype || (typeof prototype !== 'object' && typeof prototype !== 'function')) return false;
  const descriptor = Object.getOwnPropertyDescriptor(prototype, property);
  return descriptor !== undefined && !descriptor.set;
}

/** Every property class-validator knows on the class, whatever its groups. */
function validatedProperties(ctor: Constructor): string[] {
  return validatorStorage()
    .getTargetValidationMetadatas(ctor, '', true, false)
    .map((m) => m.propertyName);
}
