import type { Constructor, FunctionRecord, HookRecord, ParamRecord } from './records';

/**
 * Where decorators leave their records. Decorators only push plain records here; the plan
 * compiler is the only reader. One instance per process (see `metadataStore`), never on `global`.
 */
export class MetadataStore {
  private readonly functions = new Map<Constructor, FunctionRecord>();
  private readonly hooks: HookRecord[] = [];
  private readonly params: ParamRecord[] = [];

  addFunction(record: FunctionRecord): void {
    this.functions.set(record.target, record);
  }

  addHook(record: HookRecord): void {
    this.hooks.push(record);
  }

  addParam(record: ParamRecord): void {
    this.params.push(record);
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

  /** Forget every record: for tests that declare classes again. */
  reset(): void {
    this.functions.clear();
    this.hooks.length = 0;
    this.params.length = 0;
  }
}

/** The store the decorators write to. */
export const metadataStore = new MetadataStore();
