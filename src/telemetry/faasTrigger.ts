import type { EventType } from '../metadata/records';

/** OpenTelemetry's `faas.trigger` values, by the name of an fc-kernel/events class (or its base). */
const TRIGGERS: Readonly<Record<string, string>> = {
  ApiGatewayEvent: 'http',
  TimerEvent: 'timer',
  OssEvent: 'datasource',
  SlsEvent: 'datasource',
  CdnEvent: 'datasource',
  KafkaEvent: 'pubsub',
  KafkaEventBatch: 'pubsub',
  RocketMqEvent: 'pubsub',
  RocketMqEventBatch: 'pubsub',
  MnsQueueEvent: 'pubsub',
  MnsTopicEvent: 'pubsub',
  CloudEvent: 'pubsub',
};

/**
 * The `faas.trigger` of a handler, from its event's type: `http`, `timer`, `datasource`,
 * `pubsub` for the trigger events of fc-kernel/events (and classes extending them), `other` for
 * anything else.
 */
export function faasTriggerOf(eventType: EventType | undefined): string {
  let type: unknown = Array.isArray(eventType) ? (eventType as readonly unknown[])[0] : eventType;
  while (typeof type === 'function' && type !== Function.prototype) {
    const trigger = TRIGGERS[(type as { name: string }).name];
    if (trigger) return trigger;
    type = Object.getPrototypeOf(type);
  }
  return 'other';
}
