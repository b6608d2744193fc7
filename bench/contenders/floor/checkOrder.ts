import type { CreateOrder } from '../../../samples/order-service/CreateOrder';
import { InvalidEvent } from '../shared/fcProtocol';

/*
 * The order sample's rules checked by hand, as a function without a framework or a validation
 * library would: `orderId` a non-empty string, `customerEmail` an email, 1 to 100 `items`, each
 * with a non-empty `sku`, an integer `quantity` ≥ 1 and a `unitPrice` ≥ 0; `couponCode` optional,
 * a string; no other property (fc-kernel's `forbidNonWhitelisted`).
 */

const ORDER_KEYS = new Set(['orderId', 'customerEmail', 'items', 'couponCode']);
const ITEM_KEYS = new Set(['sku', 'quantity', 'unitPrice']);
// The common shape of an address; not validator.js's full grammar, which is what the floor saves.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

type Problems = string[];

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

function unknownKeys(record: Record<string, unknown>, allowed: Set<string>, path: string, problems: Problems): void {
  for (const key in record) if (!allowed.has(key)) problems.push(`${path}${key}: property should not exist`);
}

function checkItem(item: unknown, path: string, problems: Problems): void {
  if (!isRecord(item)) {
    problems.push(`${path}: must be an object`);
    return;
  }
  unknownKeys(item, ITEM_KEYS, `${path}.`, problems);
  if (!isNonEmptyString(item.sku)) problems.push(`${path}.sku: must be a non-empty string`);
  const { quantity, unitPrice } = item;
  if (!Number.isInteger(quantity) || (quantity as number) < 1)
    problems.push(`${path}.quantity: must be an integer ≥ 1`);
  if (typeof unitPrice !== 'number' || !Number.isFinite(unitPrice) || unitPrice < 0) {
    problems.push(`${path}.unitPrice: must be a finite number ≥ 0`);
  }
}

/** The parsed event as an order, or an `InvalidEvent` naming every problem. */
export function checkOrder(event: unknown): CreateOrder {
  if (!isRecord(event)) throw new InvalidEvent('Event validation failed: an order must be a JSON object');
  const problems: Problems = [];
  unknownKeys(event, ORDER_KEYS, '', problems);
  if (!isNonEmptyString(event.orderId)) problems.push('orderId: must be a non-empty string');
  if (typeof event.customerEmail !== 'string' || !EMAIL.test(event.customerEmail)) {
    problems.push('customerEmail: must be an email');
  }
  const { items, couponCode } = event;
  if (!Array.isArray(items) || items.length < 1 || items.length > 100) {
    problems.push('items: must be an array of 1 to 100 items');
  } else {
    for (let i = 0; i < items.length; i++) checkItem(items[i], `items.${i}`, problems);
  }
  if (couponCode !== undefined && couponCode !== null && typeof couponCode !== 'string') {
    problems.push('couponCode: must be a string');
  }
  if (problems.length > 0) throw new InvalidEvent(`Event validation failed: ${problems.join('; ')}`);
  return event as unknown as CreateOrder;
}
