import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  Event,
  FcFunction,
  OnInvoke,
  type ErrorBody,
  type EventType,
  type EventValidationOptions,
  type FieldError,
} from '../../src';
import { errorOf, okBody } from '../helpers/answers';
import { useTestKernels } from '../helpers/testKernels';

/** The vendored payloads: FC's published examples, and those built from its documented shapes. */
export const EVENTS_DIR = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'fc-events');

/** The bytes of one payload file (`oss.json`, `documented/cdn.json`). */
export function payloadFile(name: string): Buffer {
  return readFileSync(join(EVENTS_DIR, name));
}

/** One payload file, parsed. */
export function payloadOf(name: string): unknown {
  return JSON.parse(payloadFile(name).toString('utf8'));
}

/** What a function whose event is of one type received, or how the kernel answered instead. */
export interface Delivery {
  /** The handler's argument; `undefined` when the handler did not run. */
  received: unknown;
  /** The answer's JSON: the event as the handler saw it (re-encoded), or the error body. */
  answer: unknown;
  statusCode: number;
}

/**
 * Call inside a `describe`: sends bodies through a real kernel's dispatch to a function whose
 * event is `type` (declared with `@Event(type)`), with optional function validation settings.
 */
export function useDelivery(): (
  type: EventType,
  body: Buffer | string | object,
  validation?: EventValidationOptions,
) => Promise<Delivery> {
  const kernelOf = useTestKernels();
  return async (type, body, validation) => {
    const box: { received?: unknown } = {};
    @FcFunction({ name: 'takes-event', validation })
    class TakesEvent {
      @OnInvoke()
      handle(@Event(type) event: unknown): unknown {
        box.received = event;
        return event;
      }
    }
    const tk = kernelOf([TakesEvent]);
    const response = await tk.invoke(body);
    const answer = response.statusCode === 200 ? okBody(response) : errorOf(response);
    return { received: box.received, answer, statusCode: response.statusCode };
  };
}

/** The field errors of a failed delivery, asserting it failed with a `ValidationError`. */
export function fieldErrorsOf(delivery: Delivery): FieldError[] {
  const body = delivery.answer as ErrorBody;
  if (delivery.statusCode !== 404 || body.errorType !== 'ValidationError') {
    throw new Error(`expected a ValidationError, got ${delivery.statusCode} ${JSON.stringify(body)}`);
  }
  return body.errors ?? [];
}
