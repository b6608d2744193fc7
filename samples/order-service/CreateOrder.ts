import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsEmail,
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsString,
  Min,
  ValidateNested,
} from 'class-validator';

/** One line of an order. */
export class OrderItem {
  @IsString()
  @IsNotEmpty()
  sku!: string;

  @IsInt()
  @Min(1)
  quantity!: number;

  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  unitPrice!: number;
}

/** The event of the `create-order` function. */
export class CreateOrder {
  @IsString()
  @IsNotEmpty()
  orderId!: string;

  @IsEmail()
  customerEmail!: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => OrderItem)
  items!: OrderItem[];

  @IsOptional()
  @IsString()
  couponCode?: string;
}

/** What `create-order` answers. */
export interface OrderAccepted {
  orderId: string;
  itemCount: number;
  total: number;
  status: 'ACCEPTED';
}
