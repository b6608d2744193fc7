import type { Constructor } from '../metadata/Constructor';

/**
 * The validation engine behind one seam: given a DTO class and settings, once at boot, it returns
 * the function that turns the decoded event into a validated instance, or throws (or rejects
 * with) `ValidationError`. An engine that can answer at once should: a promise per event is a
 * cost the kernel avoids when it gets a plain value. The default is class-transformer +
 * class-validator.
 *
 * The function receives a JSON object already bounded and hardened by the decoder, whatever the
 * engine: within `MAX_EVENT_DEPTH` levels, `maxEventNodes`, `maxObjectKeys` and
 * `maxArrayElements`, with no own `__proto__` or `constructor` key at any depth, and every string
 * and key well-formed Unicode.
 */
export interface EventValidator {
  compile(dto: Constructor, options: ResolvedValidationOptions): (plain: unknown) => object | Promise<object>;
  /**
   * Says, at boot, how `compile` validates `dto` with `options`: which engine, and why when it
   * chose (an engine that falls back to another for some classes names the cause). Shown by
   * `fc-kernel inspect`; an engine without it is shown as `custom`. Must not throw, even for a
   * class `compile` refuses.
   */
  describe?(dto: Constructor, options: ResolvedValidationOptions): ValidationEngineDecision;
}

/** How a validation engine validates one DTO class, as `EventValidator.describe` answers it. */
export interface ValidationEngineDecision {
  /** The engine that validates the class: `class-validator`, or another engine's name. */
  engine: string;
  /** Why this engine or this way, e.g. the cause of a fall-back. */
  reason?: string;
}

/** Event validation settings; each may be overridden per kernel and per function. */
export interface EventValidationOptions {
  /** class-transformer converts types implicitly (`"5"` → `5`). Default `false`. */
  enableImplicitConversion?: boolean;
  /** Properties without decorators are stripped. Default `true`. */
  whitelist?: boolean;
  /** Properties without decorators are an error instead of being stripped. Default `true`. */
  forbidNonWhitelisted?: boolean;
  /** Values that are not DTO instances are an error. Default `true`. */
  forbidUnknownValues?: boolean;
  /** Missing properties are not validated. Default `false`. */
  skipMissingProperties?: boolean;
  /** Stop at the first failing constraint of each property. Default `false`. */
  stopAtFirstError?: boolean;
  /**
   * The most array elements, all arrays together, a validated event may hold. class-validator
   * builds an error object for every invalid element: a 32 MB event of invalid elements takes
   * minutes and exhausts the heap. Default 10,000.
   */
  maxArrayElements?: number;
  /**
   * The most object keys and array elements, all together, a validated event may hold, checked
   * on the body before it is parsed. class-transformer and class-validator spend one to a few
   * microseconds on each; at the default a worst-case event takes a few tenths of a second.
   * Every JSON event, validated or not, is also bounded by `MAX_EVENT_NODES` (1,000,000).
   * Default 100,000.
   */
  maxEventNodes?: number;
  /**
   * The most keys one object of a validated event may have. class-transformer removes duplicate
   * keys with `indexOf`, in time quadratic in the keys of an object: 200,000 keys in one object
   * took 19 s. Default 1,000.
   */
  maxObjectKeys?: number;
  /** class-validator groups. */
  groups?: string[];
  /** Replaces the engine. Only read from the kernel options. */
  validator?: EventValidator;
}

export type ResolvedValidationOptions = Required<Omit<EventValidationOptions, 'groups' | 'validator'>> &
  Pick<EventValidationOptions, 'groups'>;

/** Safe defaults, pinned here rather than inherited from the libraries' own. */
export const DEFAULT_VALIDATION_OPTIONS: ResolvedValidationOptions = Object.freeze({
  enableImplicitConversion: false,
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  skipMissingProperties: false,
  stopAtFirstError: false,
  maxArrayElements: 10_000,
  maxEventNodes: 100_000,
  maxObjectKeys: 1_000,
});

/** Layers settings over the defaults; `undefined` values do not override. */
export function resolveValidationOptions(...layers: (EventValidationOptions | undefined)[]): ResolvedValidationOptions {
  const out: Record<string, unknown> = { ...DEFAULT_VALIDATION_OPTIONS };
  for (const layer of layers) {
    if (!layer) continue;
    for (const [key, value] of Object.entries(layer)) if (value !== undefined && key !== 'validator') out[key] = value;
  }
  return out as ResolvedValidationOptions;
}
