import type {
  Constructor,
  DtoValidationSettings,
  FunctionRecord,
  HookRecord,
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
   * Forget every function, hook and parameter record: for tests that declare classes again.
   * DTO settings stay: like class-validator's own metadata they describe classes declared once,
   * at load (fc-kernel/events declares its trigger events so).
   */
  reset(): void {
    this.functions.clear();
    this.hooks.length = 0;
    this.params.length = 0;
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
