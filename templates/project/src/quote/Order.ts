import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsEmail,
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsString,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';

/** One line of an order. */
export class OrderLine {
  @IsString()
  @IsNotEmpty()
  sku!: string;

  @IsInt()
  @Min(1)
  @Max(1000)
  quantity!: number;

  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  unitPrice!: number;
}

/**
 * The function's event. fc-kernel turns the event's JSON into this class and checks these rules
 * before the handler runs: an event that breaks one (or has a property not declared here) is
 * answered with FC's error body, every broken rule listed with its path (`lines.0.quantity`).
 */
export class Order {
  @IsString()
  @IsNotEmpty()
  orderId!: string;

  @IsEmail()
  customerEmail!: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  // Nested objects are validated as the class @Type names: without it they stay plain objects.
  @Type(() => OrderLine)
  lines!: OrderLine[];
}

/** What the function answers. */
export interface Quote {
  orderId: string;
  itemCount: number;
  total: number;
}
