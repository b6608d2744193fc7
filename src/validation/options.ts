import type { Constructor } from '../metadata/Constructor';
import type { EventValidationSettings } from '../metadata/records';

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

/** Event validation settings (see `EventValidationSettings`) and the engine, which only the kernel's options set. */
export interface EventValidationOptions extends EventValidationSettings {
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
