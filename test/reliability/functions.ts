/*
 * The functions the suite attacks: the order sample's function as it ships, a DTO with two levels
 * of nested `@ValidateNested` + `@Type` arrays, and echo functions for every event type.
 */
import { Type } from 'class-transformer';
import { ArrayMinSize, IsArray, IsInt, IsString, Min, ValidateNested } from 'class-validator';
import { Ctx, Event, FcContext, FcFunction, OnInvoke } from '../../src';
import { OrderItem } from '../../samples/order-service/CreateOrder';
import { CreateOrderFunction } from '../../samples/order-service/CreateOrderFunction';

export { CreateOrderFunction };

export class Parcel {
  @IsString()
  label!: string;

  @IsInt()
  @Min(0)
  weightGrams!: number;

  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => OrderItem)
  contents!: OrderItem[];
}

export class Shipment {
  @IsString()
  shipmentId!: string;

  @IsArray()
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => Parcel)
  parcels!: Parcel[];
}

@FcFunction({ name: 'ship' })
export class ShipFunction {
  @OnInvoke()
  ship(@Event() shipment: Shipment): { shipmentId: string; parcels: number; items: number } {
    return {
      shipmentId: shipment.shipmentId,
      parcels: shipment.parcels.length,
      items: shipment.parcels.reduce((n, p) => n + p.contents.length, 0),
    };
  }
}

/** Parsed JSON, unvalidated, answered as it came. */
@FcFunction({ name: 'echo-json' })
export class EchoJsonFunction {
  @OnInvoke()
  echo(@Event() event: object): object {
    return event;
  }
}

@FcFunction({ name: 'echo-array' })
export class EchoArrayFunction {
  @OnInvoke()
  echo(@Event(Array) event: unknown[]): number {
    return event.length;
  }
}

@FcFunction({ name: 'echo-text' })
export class EchoTextFunction {
  @OnInvoke()
  echo(@Event() text: string, @Ctx() ctx: FcContext): string {
    ctx.logger.info(`text of ${text.length} UTF-16 units`);
    return text;
  }
}

@FcFunction({ name: 'echo-bytes' })
export class EchoBytesFunction {
  @OnInvoke()
  echo(@Event() bytes: Buffer): Buffer {
    return bytes;
  }
}

/** Takes a few milliseconds, so that a timer that fires too early shows. */
@FcFunction({ name: 'sleepy' })
export class SleepyFunction {
  @OnInvoke()
  async nap(@Event() _event: object, @Ctx() ctx: FcContext): Promise<{ tracing: object; aborted: boolean }> {
    await new Promise((resolve) => setTimeout(resolve, 5));
    return { tracing: ctx.tracing.openTracingSpanBaggages, aborted: ctx.signal.aborted };
  }
}

/** Every fuzz target, and the name to select each with `x-fc-function-name`. */
export const FUZZ_FUNCTIONS = [
  CreateOrderFunction,
  ShipFunction,
  EchoJsonFunction,
  EchoArrayFunction,
  EchoTextFunction,
  EchoBytesFunction,
  SleepyFunction,
];
export const FUZZ_FUNCTION_NAMES = [
  'create-order',
  'ship',
  'echo-json',
  'echo-array',
  'echo-text',
  'echo-bytes',
  'sleepy',
];
