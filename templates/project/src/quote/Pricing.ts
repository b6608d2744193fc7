import { injectable } from 'fc-kernel';
import type { OrderLine } from './Order';

/** Prices an order. Injected into the function, and replaced in a test by an override. */
@injectable()
export class Pricing {
  private loaded = false;

  /**
   * Where a real service connects to its database or loads its price tables: the function calls
   * it from `@OnInitialize`, once per instance, before the first event.
   */
  async load(): Promise<void> {
    this.loaded = true;
  }

  /** Σ quantity × unitPrice, counted in cents so that 0.1 + 0.2 is 0.3. */
  total(lines: readonly OrderLine[]): number {
    if (!this.loaded) throw new Error('Pricing.load() has not run');
    return lines.reduce((cents, line) => cents + line.quantity * Math.round(line.unitPrice * 100), 0) / 100;
  }
}
