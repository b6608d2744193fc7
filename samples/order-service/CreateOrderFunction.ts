import {
  Ctx,
  Event,
  FcContext,
  FcFunction,
  inject,
  Lifecycle,
  OnInitialize,
  OnInvoke,
  OnPreStop,
  registry,
} from 'fc-kernel';
import { CreateOrder, type OrderAccepted } from './CreateOrder';
import { InMemoryOrderRepository, ORDER_REPOSITORY, type OrderRepository } from './OrderRepository';
import { PricingService } from './PricingService';

/** Accepts an order: validates it, prices it, stores it. */
@FcFunction({ name: 'create-order' })
@registry([{ token: ORDER_REPOSITORY, useClass: InMemoryOrderRepository, options: { lifecycle: Lifecycle.Singleton } }])
export class CreateOrderFunction {
  constructor(
    private readonly pricing: PricingService,
    @inject(ORDER_REPOSITORY) private readonly orders: OrderRepository,
  ) {}

  @OnInitialize()
  async warmUp(@Ctx() ctx: FcContext): Promise<void> {
    await this.orders.warmUp();
    ctx.logger.info('order repository ready');
  }

  @OnInvoke()
  async createOrder(@Event() order: CreateOrder, @Ctx() ctx: FcContext): Promise<OrderAccepted> {
    const accepted: OrderAccepted = {
      orderId: order.orderId,
      itemCount: this.pricing.itemCount(order.items),
      total: this.pricing.total(order.items),
      status: 'ACCEPTED',
    };
    await this.orders.save(accepted);
    ctx.logger.info(`accepted order ${accepted.orderId}: ${accepted.itemCount} item(s), total ${accepted.total}`);
    return accepted;
  }

  @OnPreStop()
  async flush(@Ctx() ctx: FcContext): Promise<void> {
    const written = await this.orders.flush();
    ctx.logger.info(`flushed ${written} order(s)`);
  }
}
