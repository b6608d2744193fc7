import { randomBytes } from 'node:crypto';

/** A new request id in FC 3.0's form (`1-67a59f35-150c1267-f381ba1c085c`). */
export function newRequestId(): string {
  const hex = randomBytes(14).toString('hex');
  return `1-${hex.slice(0, 8)}-${hex.slice(8, 16)}-${hex.slice(16)}`;
}
