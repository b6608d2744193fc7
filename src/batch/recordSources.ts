import { createHash } from 'node:crypto';
import { CloudEvent } from '../events/CloudEvent';
import { KafkaEvent } from '../events/KafkaEvent';
import { MnsQueueEvent } from '../events/MnsQueueEvent';
import { RocketMqEvent } from '../events/RocketMqEvent';
import type { Constructor } from '../metadata/records';
import type { RecordCoordinates } from './BatchRecord';

/** What the batch layer knows of one kind of record: where its coordinates and body sit. */
export interface RecordSource {
  /** How logs and `fc-kernel inspect` name it. */
  readonly name: string;
  /** Whether records of one partition must be applied in their order (Kafka). */
  readonly ordered: boolean;
  /** Read from the parsed record before it is validated, so that an invalid record has them too. */
  coordinatesOf(plain: unknown, index: number): RecordCoordinates;
  /** The record's body in the validated record. */
  bodyOf(event: unknown): unknown;
}

type Plain = Record<string, unknown>;

const field = (value: unknown, name: string): unknown =>
  value !== null && typeof value === 'object' ? (value as Plain)[name] : undefined;
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const position = (value: unknown): number | string | undefined =>
  typeof value === 'number' || typeof value === 'string' ? value : undefined;

/** A record's coordinates without the fields its source lacks. */
function coordinates(index: number, found: Omit<RecordCoordinates, 'index'>): RecordCoordinates {
  const out: Record<string, unknown> = { index };
  for (const [name, value] of Object.entries(found)) if (value !== undefined) out[name] = value;
  return out as unknown as RecordCoordinates;
}

const KAFKA: RecordSource = {
  name: 'Kafka',
  ordered: true,
  coordinatesOf: (plain, index) => {
    const data = field(plain, 'data');
    return coordinates(index, {
      topic: text(field(data, 'topic')),
      partition: position(field(data, 'partition')),
      offset: position(field(data, 'offset')),
      messageId: text(field(plain, 'id')),
    });
  },
  bodyOf: (event) => field(field(event, 'data'), 'value'),
};

const ROCKETMQ: RecordSource = {
  name: 'RocketMQ',
  ordered: false,
  coordinatesOf: (plain, index) => {
    const data = field(plain, 'data');
    const system = field(data, 'systemProperties');
    return coordinates(index, {
      topic: text(field(data, 'topic')),
      partition: position(field(system, 'QUEUE_ID')),
      offset: position(field(system, 'QUEUE_OFFSET')),
      messageId: text(field(system, 'UNIQ_KEY')) ?? text(field(plain, 'id')),
    });
  },
  bodyOf: (event) => field(field(event, 'data'), 'body'),
};

const MNS_QUEUE: RecordSource = {
  name: 'MNS queue',
  ordered: false,
  coordinatesOf: (plain, index) =>
    coordinates(index, { messageId: text(field(field(plain, 'data'), 'messageId')) ?? text(field(plain, 'id')) }),
  bodyOf: (event) => field(field(event, 'data'), 'messageBody'),
};

const CLOUD_EVENT: RecordSource = {
  name: 'CloudEvent',
  ordered: false,
  coordinatesOf: (plain, index) => coordinates(index, { messageId: text(field(plain, 'id')) }),
  bodyOf: (event) => field(event, 'data'),
};

const ELEMENT: RecordSource = {
  name: 'array element',
  ordered: false,
  coordinatesOf: (_plain, index) => ({ index }),
  bodyOf: (event) => event,
};

/** The source of records validated as `element` (a subclass of a trigger's event class counts as it). */
export function recordSourceOf(element: Constructor | undefined): RecordSource {
  const is = (base: Constructor) => element !== undefined && (element === base || element.prototype instanceof base);
  if (is(KafkaEvent)) return KAFKA;
  if (is(RocketMqEvent)) return ROCKETMQ;
  if (is(MnsQueueEvent)) return MNS_QUEUE;
  if (is(CloudEvent)) return CLOUD_EVENT;
  return ELEMENT;
}

/**
 * The key a record is remembered by: its coordinates where they name it (Kafka's topic, partition
 * and offset; a message id), else a hash of its content, so that the same record delivered again
 * has the same key.
 */
export function recordKeyOf(at: RecordCoordinates, raw: unknown): string {
  if (at.topic !== undefined && at.partition !== undefined && at.offset !== undefined) {
    return `${at.topic}/${at.partition}@${at.offset}`;
  }
  if (at.messageId !== undefined) return at.topic === undefined ? `id:${at.messageId}` : `${at.topic}:${at.messageId}`;
  const hash = createHash('sha256');
  hash.update(typeof raw === 'string' ? raw : (JSON.stringify(raw) ?? ''));
  return `sha256:${hash.digest('base64url')}`;
}

/** How a log line and a dead letter name a record: `meter-readings/0@42`, `#3 id:C6DB...`. */
export function describeCoordinates(at: RecordCoordinates): string {
  if (at.topic !== undefined && at.partition !== undefined && at.offset !== undefined) {
    return `#${at.index} ${at.topic}/${at.partition}@${at.offset}`;
  }
  const parts = [`#${at.index}`];
  if (at.topic !== undefined) parts.push(at.topic);
  if (at.messageId !== undefined) parts.push(`message ${at.messageId}`);
  return parts.join(' ');
}

/** The partition whose records keep their order: Kafka's topic and partition, else the topic, else the batch. */
export function partitionKeyOf(at: RecordCoordinates): string {
  if (at.partition !== undefined) return `${at.topic ?? ''}/${String(at.partition)}`;
  return at.topic ?? '';
}
