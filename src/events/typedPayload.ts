import type { Constructor } from '../metadata/records';
import { defineArrayEvent, type ArrayClass, type ArrayEventSpec } from '../validation/arrayEvent';
import { defineEnvelope, type EnvelopeSpec } from '../validation/envelope';

/** A trigger event class, or a batch of them: what a typed class extends. */
export type EventClass = new () => object;

/** How a typed class is made beyond its envelope. */
export interface TypedClassOptions {
  /** The class named in brackets and keyed on (default: the payload class): `MnsQueueEvent<Refund>`. */
  nameAfter?: Constructor;
  /** Adds what the typed class checks of its own (`CloudEvent.of`'s `@IsObject()` on `data`). */
  prepare?: (typed: EventClass) => void;
}

const madeByBase = new WeakMap<EventClass, WeakMap<Constructor, EventClass>>();

/**
 * The subclass of the trigger event class `base` whose `spec.property` is validated as
 * `spec.type` (`defineEnvelope`), named `Base<Payload>`: made once per pair, so that
 * `MnsQueueEvent.withBody(Refund)` is the same class wherever it is written.
 */
export function typedPayloadClass(base: EventClass, spec: EnvelopeSpec, options: TypedClassOptions = {}): EventClass {
  return madeOnce(base, options.nameAfter ?? spec.type, (typed) => {
    options.prepare?.(typed);
    defineEnvelope(typed, spec);
  });
}

/**
 * The subclass of the batch class `base` (`KafkaEventBatch`) whose elements are validated as
 * `spec.element` (a typed event class), named and keyed after the payload class `nameAfter`.
 */
export function typedBatchClass(
  base: EventClass & ArrayClass,
  nameAfter: Constructor,
  spec: Omit<ArrayEventSpec, 'collection'>,
): EventClass {
  return madeOnce(base, nameAfter, (typed) => defineArrayEvent(typed as EventClass & ArrayClass, spec));
}

function madeOnce(base: EventClass, key: Constructor, define: (typed: EventClass) => void): EventClass {
  let made = madeByBase.get(base);
  if (!made) madeByBase.set(base, (made = new WeakMap()));
  let typed = made.get(key);
  if (!typed) {
    typed = class extends base {};
    Object.defineProperty(typed, 'name', { value: `${base.name}<${key.name}>` });
    define(typed);
    made.set(key, typed);
  }
  return typed;
}
