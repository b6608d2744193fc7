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

/**
 * An in-memory stand-in for a database that batches its writes: at most `batchSize` orders wait,
 * a full batch is written at once, and `flush` writes the rest before the instance stops. Its
 * table keeps the latest `capacity` orders. Both are bounded: a repository that buffered every
 * order until the instance stopped grew to 199 MB under 90 s of load.
 */
export class InMemoryOrderRepository implements OrderRepository {
  /** The table: the latest `capacity` orders written, by order id. */
  readonly stored = new Map<string, OrderAccepted>();
  private pending: OrderAccepted[] = [];
  warmedUp = false;

  constructor(
    readonly batchSize = 100,
    readonly capacity = 10_000,
  ) {}

  async warmUp(): Promise<void> {
    this.warmedUp = true;
  }

  async save(order: OrderAccepted): Promise<void> {
    this.pending.push(order);
    if (this.pending.length >= this.batchSize) this.write();
  }

  async flush(): Promise<number> {
    return this.write();
  }

  /** Writes the waiting orders to the table; answers how many. */
  private write(): number {
    const batch = this.pending;
    this.pending = [];
    for (const order of batch) {
      this.stored.delete(order.orderId);
      this.stored.set(order.orderId, order);
    }
    // The table holds the latest orders: the oldest written go first.
    for (const orderId of this.stored.keys()) {
      if (this.stored.size <= this.capacity) break;
      this.stored.delete(orderId);
    }
    return batch.length;
  }
}
