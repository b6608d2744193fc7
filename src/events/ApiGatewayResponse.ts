/** The fields of an `ApiGatewayResponse`. */
export interface ApiGatewayResponseInit {
  statusCode?: number;
  headers?: Record<string, string>;
  body?: string;
  isBase64Encoded?: boolean;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const TEXT_TYPE = 'text/plain; charset=utf-8';

/**
 * The answer API Gateway expects from an event function: status, headers and body, Base64 when
 * `isBase64Encoded`. Return it from the handler; it is sent as JSON. Immutable: `withStatus` and
 * `withHeader` return a new response, so one may be kept and shared.
 *
 * @example
 * ```ts
 * return ApiGatewayResponse.json({ id: 'o-1001' }).withStatus(201).withHeader('location', '/orders/o-1001');
 * return ApiGatewayResponse.text('not found', 404);
 * return ApiGatewayResponse.binary(png, 'image/png');
 * ```
 */
export class ApiGatewayResponse {
  readonly isBase64Encoded: boolean;
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;

  constructor(init: ApiGatewayResponseInit = {}) {
    this.isBase64Encoded = init.isBase64Encoded ?? false;
    this.statusCode = init.statusCode ?? 200;
    this.headers = { ...init.headers };
    this.body = init.body ?? '';
  }

  /** `value` as a JSON body, with its content type. */
  static json(value: unknown, statusCode = 200): ApiGatewayResponse {
    return new ApiGatewayResponse({
      statusCode,
      headers: { 'content-type': JSON_TYPE },
      body: JSON.stringify(value) ?? '',
    });
  }

  /** `text` as a plain-text body. */
  static text(text: string, statusCode = 200): ApiGatewayResponse {
    return new ApiGatewayResponse({ statusCode, headers: { 'content-type': TEXT_TYPE }, body: text });
  }

  /** `bytes` as a binary body, sent Base64-encoded as API Gateway requires. */
  static binary(bytes: Uint8Array, contentType = 'application/octet-stream', statusCode = 200): ApiGatewayResponse {
    return new ApiGatewayResponse({
      statusCode,
      headers: { 'content-type': contentType },
      body: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'),
      isBase64Encoded: true,
    });
  }

  /** This response with another status code. */
  withStatus(statusCode: number): ApiGatewayResponse {
    return new ApiGatewayResponse({ ...this, statusCode });
  }

  /** This response with one more header, its name lower-cased (replacing one of the same name). */
  withHeader(name: string, value: string): ApiGatewayResponse {
    const lower = name.toLowerCase();
    const headers = Object.fromEntries(Object.entries(this.headers).filter(([key]) => key.toLowerCase() !== lower));
    return new ApiGatewayResponse({ ...this, headers: { ...headers, [lower]: value } });
  }
}
