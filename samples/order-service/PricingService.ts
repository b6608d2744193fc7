import { injectable } from 'fc-kernel';
import type { OrderItem } from './CreateOrder';

/** Prices an order. Stateless, so one instance serves every invocation. */
@injectable()
export class PricingService {
  /** Σ quantity × unitPrice, rounded to cents. */
  total(items: OrderItem[]): number {
    const cents = items.reduce((sum, item) => sum + item.quantity * item.unitPrice * 100, 0);
    return Math.round(cents) / 100;
  }

  /** Σ quantity. */
  itemCount(items: OrderItem[]): number {
    return items.reduce((sum, item) => sum + item.quantity, 0);
  }
}
