import { metadataStore, type Constructor } from '../../src';
import { CdnEvent, KafkaEventBatch, MnsTopicEvent, OssEvent, SlsEvent, TimerEvent } from '../../src/events';
import type { Trigger } from '../helpers/fc3Deployment';

/** The class of fc-kernel/events for what a trigger sends, or `undefined` when none is known for it. */
export function eventClassOf(trigger: Trigger): Constructor | undefined {
  const config = trigger.triggerConfig;
  switch (trigger.triggerType) {
    case 'oss':
      return OssEvent;
    case 'timer':
      return TimerEvent;
    case 'log':
      return SlsEvent;
    case 'cdn_events':
      return CdnEvent;
    case 'mns_topic':
      return config.notifyContentFormat === 'JSON' ? MnsTopicEvent : undefined;
    case 'eventbridge': {
      const source = (config.eventSourceConfig as { eventSourceType?: string } | undefined)?.eventSourceType;
      return source === 'Kafka' ? KafkaEventBatch : undefined;
    }
    default:
      return undefined;
  }
}

/** The event type the function's `@OnInvoke` takes, decided as the kernel decides it. */
export function eventTypeOf(target: Constructor): unknown {
  const hook = metadataStore.hooksOf(target).find((h) => h.kind === 'invoke');
  if (!hook) return undefined;
  if (hook.options.event !== undefined) return hook.options.event;
  const param = metadataStore.paramsOf(target, hook.method).find((p) => p.kind === 'event');
  if (!param || param.kind !== 'event') return undefined;
  if (param.type !== undefined) return param.type;
  const types = Reflect.getMetadata('design:paramtypes', target.prototype, hook.method) as unknown[] | undefined;
  return types?.[param.index];
}

export function isClassOrSubclass(type: unknown, base: Constructor): boolean {
  return type === base || (typeof type === 'function' && type.prototype instanceof base);
}

/** The fields of ApsaraMQ for Kafka as an EventBridge source (FC API, SourceKafkaParameters). */
export const KAFKA_SOURCE_REQUIRED = ['RegionId', 'InstanceId', 'Topic', 'ConsumerGroup', 'OffsetReset'];
export const KAFKA_SOURCE_OPTIONAL = ['Network', 'VpcId', 'VSwitchIds', 'SecurityGroupId'];

/** A function's event type as a message names it. */
export function describeType(type: unknown): string {
  if (Array.isArray(type)) return `[${describeType(type[0])}]`;
  return typeof type === 'function' ? type.name : String(type);
}
