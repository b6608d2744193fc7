import type { InjectionToken, Provider, RegistrationOptions } from 'tsyringe';
import type { Constructor } from './Constructor';

export type { Constructor };

/** The four lifecycle hooks FC can call on a custom container. */
export type HookKind = 'initialize' | 'invoke' | 'preStop' | 'preFreeze';

/** Event validation settings; each may be overridden per kernel and per function. */
export interface EventValidationSettings {
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
}

/**
 * Options of `@FcFunction` as recorded. Interceptors are kept as given: the plan compiler checks
 * each at boot (the decorator's `FcFunctionOptions` types them).
 */
export interface FunctionRecordOptions {
  /** Matched against `x-fc-function-name` (default: the class name). */
  name?: string;
  /** Overrides of the kernel's event validation settings for this function. */
  validation?: EventValidationSettings;
  /**
   * Registrations the function's services need, made in the kernel's root container when the
   * kernel is created, by `serve`, `createKernel`, the test kernel and every `fc-kernel` command
   * alike. They are the function's defaults: a registration of the same token where the kernel's
   * container inherits from (its `container` option, a test kernel's overrides, `@registry` or
   * `@singleton()`) takes precedence.
   */
  providers?: readonly FunctionProvider[];
  /** Interceptors around the function's `@OnInvoke` handler, outermost first. */
  interceptors?: readonly unknown[];
}

/**
 * One registration of `@FcFunction({ providers })`, in the form of tsyringe's `@registry`: the
 * token, a provider (`useClass`, `useValue`, `useFactory`, `useToken`) and optionally its
 * lifecycle (`{ options: { lifecycle: Lifecycle.Singleton } }`; transient by default).
 *
 * @example
 * ```ts
 * const providers: FunctionProvider[] = [
 *   { token: QUOTE_LOG, useClass: ConsoleQuoteLog },
 *   { token: Settings, useClass: Settings, options: { lifecycle: Lifecycle.Singleton } },
 *   { token: REGION, useFactory: () => process.env.FC_REGION ?? 'cn-hangzhou' },
 * ];
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a list mixes tokens of every type
export type FunctionProvider<T = any> = { token: InjectionToken<T>; options?: RegistrationOptions } & Provider<T>;

/** Options of the lifecycle decorators. */
export interface HookOptions {
  /**
   * Decorator-free form: the event type of an `@OnInvoke` handler that takes `(event, ctx)`.
   * Use it where parameter decorators or type metadata are not available (plain JavaScript,
   * or a build that drops decorator metadata). `[Dto]` takes a JSON array of them.
   */
  event?: EventType;
}

/**
 * The array form of an event type: a JSON array whose every element is validated as the one DTO
 * class named (`[OrderLine]`).
 */
export type ArrayEventType = readonly [Constructor];

/** What decides how the event body is decoded. */
export type EventType =
  Constructor | ArrayEventType | typeof Buffer | StringConstructor | ObjectConstructor | ArrayConstructor;

/**
 * Validation settings a DTO class declares for itself with `@ValidationSettings`. They apply
 * whenever the class is the root of a validation (the event, an element of an array event, the
 * `data` of an envelope), to its whole nested graph, over the function's settings.
 */
export type DtoValidationSettings = Pick<
  EventValidationSettings,
  | 'whitelist'
  | 'forbidNonWhitelisted'
  | 'forbidUnknownValues'
  | 'enableImplicitConversion'
  | 'skipMissingProperties'
  | 'stopAtFirstError'
>;

/** Recorded by `@ValidationSettings`. */
export interface ValidationSettingsRecord {
  target: Constructor;
  settings: DtoValidationSettings;
}

/** Recorded by `@FcFunction`. */
export interface FunctionRecord {
  target: Constructor;
  options: FunctionRecordOptions;
}

/** Recorded by `@UseInterceptors`: on a class when `method` is undefined, else on that method. */
export interface InterceptorRecord {
  target: Constructor;
  method: string | undefined;
  /** As given, outermost first; checked at boot. */
  interceptors: readonly unknown[];
}

/** Recorded by `@OnInitialize`, `@OnInvoke`, `@OnPreStop`, `@OnPreFreeze`. */
export interface HookRecord {
  target: Constructor;
  method: string;
  kind: HookKind;
  options: HookOptions;
}

/** Recorded by the parameter decorators. */
export type ParamRecord = {
  target: Constructor;
  method: string;
  index: number;
} & (
  | { kind: 'event'; type?: EventType }
  | { kind: 'context' }
  | { kind: 'headers'; name?: string }
  | { kind: 'inject'; token: InjectionToken<unknown> }
);
