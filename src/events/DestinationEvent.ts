import { Type } from 'class-transformer';
import { IsDefined, IsInt, IsOptional, IsString, Min, ValidateNested } from 'class-validator';
import type { Constructor } from '../metadata/records';
import { TolerantTriggerEvent } from './tolerant';
import { typedPayloadClass } from './typedPayload';

/** The asynchronous invocation a destination event reports on. */
export class DestinationRequestContext {
  /** The request id of the asynchronous invocation (the same on each of its tries). */
  @IsString() requestId!: string;
  /** The function invoked: `acs:fc:<region>:<account>:functions/<name>`. */
  @IsString() functionArn!: string;
  /**
   * Why the invocation ended as it did, for an on-failure destination: `UnhandledInvocationError`,
   * `ResponseTimeout`, ... FC may leave it out, or empty, on success.
   */
  @IsOptional() @IsString() condition?: string;
  /** How many times FC ran the invocation: above 1 when it was retried. */
  @IsInt() @Min(0) approximateInvokeCount!: number;
}

/** How the invocation's last try answered. */
export class DestinationResponseContext {
  @IsInt() statusCode!: number;
  /** The kind of function error, when the invocation failed. */
  @IsOptional() @IsString() functionError?: string;
}

/** A destination event whose `requestPayload` is a `T`. */
export type DestinationEventWithPayload<T> = Omit<DestinationEvent, 'requestPayload'> & { requestPayload: T };

/**
 * What FC sends to a function configured as the on-success or on-failure destination of another
 * function's asynchronous invocations: when the invocation succeeded, or failed its last retry.
 * Unknown fields are stripped. `DestinationEvent.withRequestPayload(Dto)` validates the original
 * event as your DTO.
 *
 * @example
 * ```ts
 * @FcFunction()
 * class OnOrderFailed {
 *   @OnInvoke() handle(@Event() failed: DestinationEvent, @Ctx() ctx: FcContext) {
 *     const { requestId, condition, approximateInvokeCount } = failed.requestContext;
 *     ctx.logger.error(`${requestId} gave up after ${approximateInvokeCount} tries: ${condition}`);
 *   }
 * }
 * ```
 */
@TolerantTriggerEvent()
export class DestinationEvent {
  /** When the invocation ended, ISO-8601 (`2020-08-20T12:00:00.000Z`). */
  @IsString() timestamp!: string;
  @IsDefined() @ValidateNested() @Type(() => DestinationRequestContext) requestContext!: DestinationRequestContext;
  /** The original event, as the text it was sent as. */
  @IsString() requestPayload!: string;
  @IsDefined() @ValidateNested() @Type(() => DestinationResponseContext) responseContext!: DestinationResponseContext;
  /** What the invocation answered: its result, or its error body. */
  @IsOptional() @IsString() responsePayload?: string;

  /**
   * The destination event class whose `requestPayload` (the original event) must be a string of
   * JSON, parsed within the function's validation limits and validated as `payload` with its own
   * settings (errors read `requestPayload.orderId`). One class per payload class.
   *
   * @example
   * ```ts
   * class CreateOrder {
   *   @IsString() orderId!: string;
   * }
   * class CreateOrderFailed extends DestinationEvent.withRequestPayload(CreateOrder) {}
   * ```
   */
  static withRequestPayload<T extends object>(payload: Constructor<T>): new () => DestinationEventWithPayload<T> {
    const spec = { property: 'requestPayload', type: payload, encoding: 'json-string' } as const;
    return typedPayloadClass(DestinationEvent, spec) as new () => DestinationEventWithPayload<T>;
  }
}
