import { Body, Controller, Header, HttpCode, Post } from '@nestjs/common';
import { CreateOrder, type OrderAccepted } from '../../../samples/order-service/CreateOrder';
import { PricingService } from './PricingService';

/** FC's two routes; the body of `/invoke` reaches `invoke` validated by the global pipe. */
@Controller()
export class OrderController {
  constructor(private readonly pricing: PricingService) {}

  @Post('initialize')
  @HttpCode(200)
  @Header('x-fc-status', '200')
  initialize(): string {
    return '';
  }

  @Post('invoke')
  @HttpCode(200)
  @Header('x-fc-status', '200')
  invoke(@Body() order: CreateOrder): OrderAccepted {
    return this.pricing.price(order);
  }
}
