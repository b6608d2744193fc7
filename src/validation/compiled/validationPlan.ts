import { ValidationTypes, type ValidatorConstraintInterface } from 'class-validator';
import { validatorStorage, type ConstraintMetadata, type ValidationMetadata } from '../classValidatorInternals';
import type { Constructor } from '../../metadata/records';
import type { ResolvedValidationOptions } from '../options';

/** One constraint class behind a decorator, resolved once. */
export interface ResolvedConstraint {
  /** The instance class-validator's container answers; `undefined` when it answers a new one each time. */
  instance: ValidatorConstraintInterface | undefined;
  metadata: ConstraintMetadata;
  /** The key of the error's constraints: the constraint's name, else the decorator's type. */
  type: string;
}

/** One custom (or `@IsDefined`) decorator on a property. */
export interface ConstraintCheck {
  metadata: ValidationMetadata;
  constraints: ResolvedConstraint[];
}

/** What class-validator does with one property (or, for an array under `@ValidateNested`, one element). */
export interface PropertyPlan {
  name: string;
  /** `@IsOptional` and `@ValidateIf` decorators (their condition is `constraints[0]`); `null` when none. */
  conditions: ValidationMetadata[] | null;
  defined: ConstraintCheck[];
  customs: ConstraintCheck[];
  nested: NestedCheck[];
  /** The plan of each element when the value is an array, a Set or a Map. */
  element: PropertyPlan | null;
}

/** One `@ValidateNested()` on a property, with the class its values are expected to be. */
export interface NestedCheck {
  metadata: ValidationMetadata;
  expected: unknown;
  expectedPlan: ClassPlan | undefined;
}

/** class-validator's work on one instance of a class, for one set of options. */
export interface ClassPlan {
  /** The name of the class, as class-validator reads it from each instance's `constructor`. */
  targetName: string | undefined;
  /** No metadata and `forbidUnknownValues`: the instance is an `unknownValue`. */
  unknown: boolean;
  /** class-validator's `groupByPropertyName` object itself: the whitelist reads it as class-validator does. */
  grouped: Record<string, ValidationMetadata[]>;
  properties: PropertyPlan[];
  /** A `for...in` over an instance can meet keys from its prototype chain. */
  inheritsEnumerable: boolean;
  /** The plan written out as a function of the run and the object; `null` while it is built, or when it runs interpreted. */
  generated: GeneratedValidation | null;
}

/** A class's checks as one function (its first argument is the validation's run). */
export type GeneratedValidation = (run: object, object: object) => void;

/** Writes a plan out as a function, or answers why it cannot. */
export type ValidationWriter = (
  plan: ClassPlan,
  options: ResolvedValidationOptions,
) => GeneratedValidation | { reason: string };

/** A decorator this engine does not run; the DTO keeps class-validator. */
export class UnsupportedValidation extends Error {}

/**
 * The validation plans of the classes an event's instances can have, each built once from
 * class-validator's metadata with the same calls class-validator makes per validation
 * (`getTargetValidationMetadatas`, `groupByPropertyName`, `getTargetValidatorConstraints`).
 * `expectedClassOf` names the class the transformation gives a property's values.
 */
export class ValidationGraph {
  private readonly plans = new Map<unknown, ClassPlan>();
  /** Classes whose plan failed, with the error: every later need fails the same way. */
  private readonly failures = new Map<unknown, unknown>();
  /** Classes whose plan runs interpreted, and why. */
  private readonly notGenerated = new Map<unknown, string>();

  constructor(
    private readonly options: ResolvedValidationOptions,
    private readonly expectedClassOf: (cls: Constructor, property: string) => unknown,
    private readonly write: ValidationWriter,
  ) {}

  /** The plan for instances whose `constructor` is `ctor`; built on first need. */
  planFor(ctor: unknown): ClassPlan {
    const known = this.plans.get(ctor);
    if (known) return known;
    if (this.failures.has(ctor)) throw this.failures.get(ctor);
    try {
      return this.build(ctor);
    } catch (error) {
      // A class whose plan failed (or one below it) must not keep its half-built plan.
      this.plans.delete(ctor);
      this.failures.set(ctor, error);
      throw error;
    }
  }

  private build(ctor: unknown): ClassPlan {
    const storage = validatorStorage();
    const metadatas = storage.getTargetValidationMetadatas(ctor, undefined, false, false, this.options.groups);
    const grouped = storage.groupByPropertyName(metadatas);
    const plan: ClassPlan = {
      targetName: (ctor as { name?: string } | undefined) ? (ctor as { name?: string }).name : undefined,
      unknown: this.options.forbidUnknownValues && metadatas.length === 0,
      grouped,
      properties: [],
      inheritsEnumerable: inheritsEnumerable(ctor),
      generated: null,
    };
    this.plans.set(ctor, plan);
    for (const name of Object.keys(grouped))
      plan.properties.push(this.propertyPlan(ctor as Constructor, name, grouped[name]));
    const generated = this.write(plan, this.options);
    if (typeof generated === 'function') plan.generated = generated;
    else this.notGenerated.set(ctor, generated.reason);
    return plan;
  }

  /** The classes planned so far whose checks run interpreted rather than generated, and why. */
  interpreted(): { name: string; reason: string }[] {
    return [...this.notGenerated].map(([ctor, reason]) => ({
      name: (ctor as { name?: string } | undefined)?.name || String(ctor),
      reason,
    }));
  }

  private propertyPlan(ctor: Constructor, name: string, metadatas: ValidationMetadata[]): PropertyPlan {
    const where = `${ctor.name}.${name}`;
    const conditions: ValidationMetadata[] = [];
    const defined: ConstraintCheck[] = [];
    const customs: ConstraintCheck[] = [];
    const nested: NestedCheck[] = [];
    // Types class-validator does not run (WHITELIST, say) only let the property pass the whitelist.
    for (const m of metadatas) {
      switch (m.type) {
        case ValidationTypes.PROMISE_VALIDATION:
          throw new UnsupportedValidation(`${where} is @ValidatePromise(), which this engine does not run`);
        case ValidationTypes.CONDITIONAL_VALIDATION:
          conditions.push(m);
          break;
        case ValidationTypes.IS_DEFINED:
          defined.push(this.check(m, where));
          break;
        case ValidationTypes.CUSTOM_VALIDATION:
          customs.push(this.check(m, where));
          break;
        case ValidationTypes.NESTED_VALIDATION: {
          const expected = this.expectedClassOf(ctor, name);
          nested.push({ metadata: m, expected, expectedPlan: undefined });
          break;
        }
      }
    }
    // class-validator validates each element of an array under @ValidateNested with the nested
    // decorators alone, and an element that is itself an array the same way.
    let element: PropertyPlan | null = null;
    if (nested.length > 0) {
      element = { name, conditions: null, defined: [], customs: [], nested, element: null };
      element.element = element;
    }
    const plan: PropertyPlan = {
      name,
      conditions: conditions.length > 0 ? conditions : null,
      defined,
      customs,
      nested,
      element,
    };
    for (const check of nested) {
      if (typeof check.expected === 'function') check.expectedPlan = this.linkedPlan(check.expected);
    }
    return plan;
  }

  /**
   * The plan of a nested class, linked ahead of its first value. A class class-validator fails
   * on (a property named `toString`, say) fails only when a value of it is validated, as with
   * class-validator: it is left unlinked and fails then. One this engine does not run keeps
   * class-validator for the DTO, decided here.
   */
  private linkedPlan(ctor: unknown): ClassPlan | undefined {
    try {
      return this.planFor(ctor);
    } catch (error) {
      if (error instanceof UnsupportedValidation) throw error;
      return undefined;
    }
  }

  private check(metadata: ValidationMetadata, where: string): ConstraintCheck {
    const constraints = validatorStorage()
      .getTargetValidatorConstraints(metadata.constraintCls)
      .map((cm) => {
        let instance: ValidatorConstraintInterface;
        try {
          instance = cm.instance;
        } catch {
          throw new UnsupportedValidation(
            `${where}: the container does not answer constraint ${cm.name || cm.target.name}`,
          );
        }
        return {
          instance: instance === cm.instance ? instance : undefined,
          metadata: cm,
          type: cm.name ? cm.name : metadata.type,
        };
      });
    return { metadata, constraints };
  }
}

/** Whether `for...in` over an instance of `ctor` can yield a key it does not own. */
function inheritsEnumerable(ctor: unknown): boolean {
  const prototype = (ctor as { prototype?: unknown } | undefined)?.prototype;
  if (prototype === null || (typeof prototype !== 'object' && typeof prototype !== 'function')) return true;
  for (const _key in Object.create(prototype) as object) return true;
  return false;
}
