import { randomBytes } from 'node:crypto';

/** A new request id in FC 3.0's form, `1-<seconds, hex>-<8 hex>-<12 hex>` (`1-67a59f35-150c1267-f381ba1c085c`). */
export function newRequestId(): string {
  const seconds = Math.floor(Date.now() / 1000).toString(16);
  return `1-${seconds}-${randomBytes(4).toString('hex')}-${randomBytes(6).toString('hex')}`;
}
