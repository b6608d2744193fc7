import type { Constructor } from '../metadata/Constructor';

/**
 * The validation engine behind one seam: given a DTO class and settings, once at boot, it returns
 * the function that turns a parsed JSON value into a validated instance (or throws
 * `ValidationError`). The default is class-transformer + class-validator.
 */
export interface EventValidator {
  compile(dto: Constructor, options: ResolvedValidationOptions): (plain: unknown) => Promise<object>;
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
