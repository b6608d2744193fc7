import { IsBoolean, IsObject, IsOptional, IsString } from 'class-validator';
import { parseBoundedJson } from '../validation/boundedJson';
import { TolerantTriggerEvent } from './tolerant';

/**
 * What API Gateway sends to an event function behind it: the HTTP request as JSON. The body is
 * kept as sent (Base64 when `isBase64Encoded`); `decodedBody()`, `text()` and `json()` decode it
 * when asked. Unknown fields are stripped. Answer with an `ApiGatewayResponse`.
 *
 * @example
 * ```ts
 * @FcFunction()
 * class CreateOrderApi {
 *   @OnInvoke() handle(@Event() request: ApiGatewayEvent) {
 *     const order = request.json() as { sku: string };
 *     return ApiGatewayResponse.json({ accepted: order.sku, id: request.pathParameters.id }).withStatus(201);
 *   }
 * }
 * ```
 */
@TolerantTriggerEvent()
export class ApiGatewayEvent {
  /** The request path (`/orders/o-1001`). */
  @IsString() path!: string;
  @IsString() httpMethod!: string;
  /** Every request header, API Gateway's own included. */
  @IsObject() headers!: Record<string, string>;
  @IsObject() queryParameters!: Record<string, string>;
  /** The path parameters the API definition declares (`{ id: 'o-1001' }`). */
  @IsObject() pathParameters!: Record<string, string>;
  /** The request body as API Gateway passed it: Base64 when `isBase64Encoded`. */
  @IsOptional() @IsString() body?: string;
  @IsBoolean() isBase64Encoded!: boolean;

  /** The request body's bytes, Base64-decoded when it was sent encoded. */
  decodedBody(): Buffer {
    return Buffer.from(this.body ?? '', this.isBase64Encoded ? 'base64' : 'utf8');
  }

  /** The request body as UTF-8 text. */
  text(): string {
    return this.decodedBody().toString('utf8');
  }

  /**
   * The request body parsed as JSON, with the bounds of an event body; an empty or malformed one
   * throws an `EventDecodeError`, which the kernel answers in FC's error shape.
   */
  json(): unknown {
    return parseBoundedJson(this.decodedBody());
  }
}
