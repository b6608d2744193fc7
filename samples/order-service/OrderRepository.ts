import type { InjectionToken } from 'fc-kernel';
import type { OrderAccepted } from './CreateOrder';

/** Where accepted orders go. Injected by token, so a test or a real database can replace it. */
export interface OrderRepository {
  /** Opens connections, loads caches: called once when the function initializes. */
  warmUp(): Promise<void>;
  save(order: OrderAccepted): Promise<void>;
  /** Writes out anything buffered: called before the instance stops. Returns how many orders. */
  flush(): Promise<number>;
}

export const ORDER_REPOSITORY: InjectionToken<OrderRepository> = Symbol('OrderRepository');

/** An in-memory repository that buffers writes until `flush`. */
export class InMemoryOrderRepository implements OrderRepository {
  readonly stored = new Map<string, OrderAccepted>();
  private pending: OrderAccepted[] = [];
  warmedUp = false;

  async warmUp(): Promise<void> {
    this.warmedUp = true;
  }

  async save(order: OrderAccepted): Promise<void> {
    this.pending.push(order);
  }

  async flush(): Promise<number> {
    const batch = this.pending;
    this.pending = [];
    for (const order of batch) this.stored.set(order.orderId, order);
    return batch.length;
  }
}
