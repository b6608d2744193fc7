import { Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { FcMarkersMiddleware } from './FcMarkersMiddleware';
import { OrderController } from './OrderController';
import { PricingService } from './PricingService';

@Module({ controllers: [OrderController], providers: [PricingService] })
export class OrderModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(FcMarkersMiddleware).forRoutes({ path: 'invoke', method: RequestMethod.POST });
  }
}
