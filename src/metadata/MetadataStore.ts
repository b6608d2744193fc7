import type {
  Constructor,
  DtoValidationSettings,
  FunctionRecord,
  HookRecord,
  InterceptorRecord,
  ParamRecord,
  ValidationSettingsRecord,
} from './records';

/**
 * Where decorators leave their records. Decorators only push plain records here; the plan
 * compiler is the only reader. One instance per process (see `metadataStore`), never on `global`.
 */
export class MetadataStore {
  private readonly functions = new Map<Constructor, FunctionRecord>();
  private readonly hooks: HookRecord[] = [];
  private readonly params: ParamRecord[] = [];
  private readonly interceptors: InterceptorRecord[] = [];
  private readonly dtoSettings = new Map<Constructor, DtoValidationSettings>();

  addFunction(record: FunctionRecord): void {
    this.functions.set(record.target, record);
  }

  addHook(record: HookRecord): void {
    this.hooks.push(record);
  }

  addParam(record: ParamRecord): void {
    this.params.push(record);
  }

  addInterceptors(record: InterceptorRecord): void {
    this.interceptors.push(record);
  }

  addValidationSettings(record: ValidationSettingsRecord): void {
    // An `undefined` setting declares nothing, so it must not hide a base class's value.
    const declared = Object.entries(record.settings).filter(([, value]) => value !== undefined);
    this.dtoSettings.set(record.target, { ...this.dtoSettings.get(record.target), ...Object.fromEntries(declared) });
  }

  /**
   * The settings a DTO class declares, merged over those of its base classes (the nearest
   * declaration wins per setting); `undefined` when none declares any.
   */
  validationSettingsOf(dto: Constructor): DtoValidationSettings | undefined {
    let merged: DtoValidationSettings | undefined;
    for (let c: unknown = dto; typeof c === 'function' && c !== Function.prototype; c = Object.getPrototypeOf(c)) {
      const own = this.dtoSettings.get(c as Constructor);
      if (own) merged = { ...own, ...merged };
    }
    return merged;
  }

  functionOf(target: Constructor): FunctionRecord | undefined {
    return this.functions.get(target);
  }

  /** Hooks declared on the class or inherited from its base classes. */
  hooksOf(target: Constructor): HookRecord[] {
    return this.hooks.filter((h) => h.target === target || target.prototype instanceof h.target);
  }

  /**
   * Parameters of a method as its nearest declaring class decorated them: an override that
   * decorates its own parameters replaces the inherited ones rather than adding to them.
   */
  paramsOf(target: Constructor, method: string): ParamRecord[] {
    const inherited = this.params.filter(
      (p) => p.method === method && (p.target === target || target.prototype instanceof p.target),
    );
    for (let c: unknown = target; typeof c === 'function' && c !== Function.prototype; c = Object.getPrototypeOf(c)) {
      const own = inherited.filter((p) => p.target === c);
      if (own.length > 0) return own;
    }
    return [];
  }

  /**
   * What `@UseInterceptors` registered on the class (`method` undefined) or on one of its methods,
   * base classes first, each class's in the order written. A decorator list applies bottom-up, so
   * each record is put before the ones of the same place recorded earlier: the list reads as
   * written, top to bottom, outermost first.
   */
  interceptorsOf(target: Constructor, method: string | undefined): unknown[] {
    const chain: Constructor[] = [];
    for (let c: unknown = target; typeof c === 'function' && c !== Function.prototype; c = Object.getPrototypeOf(c)) {
      chain.unshift(c as Constructor);
    }
    return chain.flatMap((owner) =>
      this.interceptors
        .filter((r) => r.target === owner && r.method === method)
        .reverse()
        .flatMap((r) => r.interceptors),
    );
  }

  /** The methods of the class (or its base classes) that `@UseInterceptors` was put on. */
  interceptedMethodsOf(target: Constructor): string[] {
    const methods = this.interceptors
      .filter((r) => r.method !== undefined && (r.target === target || target.prototype instanceof r.target))
      .map((r) => r.method!);
    return [...new Set(methods)];
  }

  /**
   * Forget every function, hook, parameter and interceptor record: for tests that declare classes again.
   * DTO settings stay: like class-validator's own metadata they describe classes declared once,
   * at load (fc-kernel/events declares its trigger events so).
   */
  reset(): void {
    this.functions.clear();
    this.hooks.length = 0;
    this.params.length = 0;
    this.interceptors.length = 0;
  }
}

/** The store the decorators write to. */
export const metadataStore = new MetadataStore();

/**
 * The validation settings `dto` declares with `@ValidationSettings` (over its base classes'), as
 * every validation engine reads them when it compiles `dto` as the root of a validation.
 */
export function validationSettingsOf(dto: Constructor): DtoValidationSettings | undefined {
  return metadataStore.validationSettingsOf(dto);
}
