// A user's function, compiled in a project of its own against the installed package.
import { Type } from 'class-transformer';
import { ArrayMinSize, IsInt, IsString, Min, ValidateNested } from 'class-validator';
import { Ctx, Event, FcContext, FcFunction, injectable, OnInvoke } from 'fc-kernel';

export class Line {
  @IsString() sku!: string;
  @IsInt() @Min(1) quantity!: number;
}

export class Order {
  @IsString() orderId!: string;
  // Needs the app and fc-kernel to share one class-transformer: the @Type is checked at boot.
  @ValidateNested({ each: true }) @Type(() => Line) @ArrayMinSize(1) lines!: Line[];
}

@injectable()
export class Counter {
  count(lines: Line[]): number {
    return lines.reduce((sum, line) => sum + line.quantity, 0);
  }
}

@FcFunction({ name: 'count-items' })
export class CountItems {
  constructor(private readonly counter: Counter) {}

  @OnInvoke()
  handle(@Event() order: Order, @Ctx() ctx: FcContext): { orderId: string; items: number } {
    ctx.logger.info(`order ${order.orderId}`);
    return { orderId: order.orderId, items: this.counter.count(order.lines) };
  }
}
