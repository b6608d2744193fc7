import { Injectable } from '@nestjs/common';
import type { CreateOrder, OrderAccepted } from '../../../samples/order-service/CreateOrder';
import { priceOrder } from '../shared/priceOrder';

/** Prices an order: a provider, injected into the controller as a Nest app would have it. */
@Injectable()
export class PricingService {
  price(order: CreateOrder): OrderAccepted {
    return priceOrder(order);
  }
}
