import type { CreateOrder, OrderAccepted } from '../../../samples/order-service/CreateOrder';

/**
 * What every contender answers for a valid order: the order sample's pricing (Σ quantity, and
 * Σ quantity × unitPrice rounded to cents, as its `PricingService` computes them), written
 * without fc-kernel's `@injectable` so that no peer loads fc-kernel.
 */
export function priceOrder(order: CreateOrder): OrderAccepted {
  let cents = 0;
  let itemCount = 0;
  for (const item of order.items) {
    cents += item.quantity * item.unitPrice * 100;
    itemCount += item.quantity;
  }
  return { orderId: order.orderId, itemCount, total: Math.round(cents) / 100, status: 'ACCEPTED' };
}
