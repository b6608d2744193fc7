// fc-kernel first: it loads reflect-metadata, which the decorators of the modules below need.
import { Ctx, Event, FcContext, FcFunction, Lifecycle, OnInitialize, OnInvoke } from 'fc-kernel';
import { Order, type Quote } from './Order';
import { Pricing } from './Pricing';

/** Quotes an order: validates it, prices it. */
@FcFunction({
  name: 'my-function',
  // The function's registrations live here, so that main.ts, `fc-kernel invoke|serve|inspect` and
  // the tests all find them. A singleton: the Pricing @OnInitialize loads is the one every service
  // that needs a Pricing gets (tsyringe's default makes a new one per injection).
  providers: [{ token: Pricing, useClass: Pricing, options: { lifecycle: Lifecycle.Singleton } }],
})
export class QuoteFunction {
  // Resolved once, when FC initializes the instance; an override in a test replaces it.
  constructor(private readonly pricing: Pricing) {}

  /** FC's `POST /initialize`, once per instance (s.yaml's instanceLifecycleConfig.initializer). */
  @OnInitialize()
  async warmUp(@Ctx() ctx: FcContext): Promise<void> {
    await this.pricing.load();
    ctx.logger.info('pricing loaded');
  }

  /** FC's `POST /invoke`: `order` is a validated Order, never the raw event. */
  @OnInvoke()
  quote(@Event() order: Order, @Ctx() ctx: FcContext): Quote {
    const quote: Quote = {
      orderId: order.orderId,
      itemCount: order.lines.reduce((count, line) => count + line.quantity, 0),
      total: this.pricing.total(order.lines),
    };
    ctx.logger.info(`quoted order ${quote.orderId}: ${quote.itemCount} item(s), total ${quote.total}`);
    return quote;
  }
}
