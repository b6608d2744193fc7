import { IsString } from 'class-validator';
import type { Constructor } from '../metadata/records';
import { TolerantTriggerEvent } from './tolerant';
import { typedPayloadClass } from './typedPayload';

/** A Timer event whose `payload` is the JSON configured on the trigger, parsed and validated. */
export type TimerEventWithPayload<T> = Omit<TimerEvent, 'payload'> & { payload: T };

/** A class whose instances are Timer events with a `T` as `payload`. */
export type TimerEventClass<T> = new () => TimerEventWithPayload<T>;

/**
 * What a Timer trigger sends: when it fired, its name, and the trigger message configured on it,
 * as a string. `TimerEvent.withPayload(Config)` makes the class whose `payload` is that string
 * parsed as JSON and validated as `Config`. Unknown fields are stripped.
 *
 * @example
 * ```ts
 * @FcFunction()
 * class Heartbeat {
 *   @OnInvoke() handle(@Event() tick: TimerEvent) {
 *     return `${tick.triggerName} at ${tick.triggerTime}: ${tick.payload}`;
 *   }
 * }
 * ```
 */
@TolerantTriggerEvent()
export class TimerEvent {
  /** When the trigger fired, ISO-8601 (`2022-07-29T10:02:58Z`). */
  @IsString() triggerTime!: string;
  @IsString() triggerName!: string;
  /** The trigger message configured on the trigger, as it was entered. */
  @IsString() payload!: string;

  /**
   * The Timer event class whose `payload` must be a string of JSON, parsed within the function's
   * validation limits and validated as `payload` (with its own settings: a strict DTO stays strict; its
   * errors read `payload.title`). One class per payload class: extend it to name it.
   *
   * @example
   * ```ts
   * class ReportConfig {
   *   @IsString() title!: string;
   *   @IsEmail({}, { each: true }) recipients!: string[];
   * }
   * class ReportTick extends TimerEvent.withPayload(ReportConfig) {}
   *
   * @FcFunction()
   * class DailyReport {
   *   @OnInvoke() handle(@Event() tick: ReportTick) {
   *     return { title: tick.payload.title, to: tick.payload.recipients };
   *   }
   * }
   * ```
   */
  static withPayload<T extends object>(payload: Constructor<T>): TimerEventClass<T> {
    return typedPayloadClass(TimerEvent, {
      property: 'payload',
      type: payload,
      encoding: 'json-string',
    }) as TimerEventClass<T>;
  }
}
