import { expect } from 'chai';
import * as events from '../../src/events';
import type { Constructor } from '../../src';
import { describeDtoFields, type FieldDescription } from '../../src/plan/describeDtoFields';
import { fieldErrorsOf, payloadOf, useDelivery } from './deliver';

/** A copy of `payload` without the property at `path` (dotted, array indexes as numbers). */
function without(payload: unknown, path: string): object {
  const copy = structuredClone(payload) as Record<string, unknown>;
  const keys = path.split('.');
  const last = keys.pop()!;
  const parent = keys.reduce<Record<string, unknown>>((node, key) => node[key] as Record<string, unknown>, copy);
  delete parent[last];
  return copy;
}

/** The Kafka batch, whose elements are strings of JSON, without `path` in its first record. */
function kafkaWithout(path: string): string[] {
  const [first, ...rest] = payloadOf('kafka-eventbridge.json') as string[];
  return [JSON.stringify(without(JSON.parse(first!), path)), ...rest];
}

/** Each nested object FC always sends, by trigger: the payload missing it, and where the error must point. */
const REQUIRED: { event: Constructor; name: string; body: () => object; path: string }[] = [
  ...['oss', 'userIdentity', 'requestParameters', 'responseElements', 'oss.bucket', 'oss.object'].map((field) => ({
    event: events.OssEvent,
    name: `OSS events.0.${field}`,
    body: () => without(payloadOf('oss.json'), `events.0.${field}`),
    path: `events.0.${field}`,
  })),
  ...['resource', 'eventParameter', 'userIdentity'].map((field) => ({
    event: events.CdnEvent,
    name: `CDN events.0.${field}`,
    body: () => without(payloadOf('documented/cdn.json'), `events.0.${field}`),
    path: `events.0.${field}`,
  })),
  {
    event: events.KafkaEventBatch,
    name: 'Kafka 0.data.headers',
    body: () => kafkaWithout('data.headers'),
    path: '0.data.headers',
  },
  { event: events.SlsEvent, name: 'SLS source', body: () => without(payloadOf('sls.json'), 'source'), path: 'source' },
];

/** The `@ValidateNested()` fields, at any depth, that a missing value would pass: neither required nor optional. */
function unguardedNested(fields: FieldDescription[], prefix: string): string[] {
  return fields.flatMap((field) => {
    const path = `${prefix}.${field.name}`;
    if (!field.nested) return [];
    const guarded =
      field.optional || field.constraints.some((c) => c.name !== 'nestedValidation' && c.name !== 'allow');
    return [...(guarded ? [] : [path]), ...unguardedNested(field.nested.fields ?? [], `${prefix}.${field.name}`)];
  });
}

describe('fc-kernel/events: nested objects FC always sends', () => {
  const deliver = useDelivery();

  for (const { event, name, body, path } of REQUIRED) {
    it(`a payload without ${name} is a ValidationError at ${path}; the handler never runs`, async () => {
      const delivery = await deliver(event, body());
      expect(delivery.received, 'the handler ran').to.equal(undefined);
      expect(fieldErrorsOf(delivery)).to.deep.equal([
        { path, constraints: { isDefined: `${path.split('.').pop()} should not be null or undefined` } },
      ]);
    });
  }

  it('the nested objects that may be missing are still optional: objectMeta of an OSS object', async () => {
    const delivery = await deliver(events.OssEvent, without(payloadOf('oss.json'), 'events.0.oss.object.objectMeta'));
    expect(delivery.statusCode, JSON.stringify(delivery.answer)).to.equal(200);
  });

  it('every event class says of each nested object whether it is required or optional', () => {
    const classes = Object.entries(events as Record<string, unknown>).filter(
      (entry): entry is [string, Constructor] => typeof entry[1] === 'function' && /^[A-Z]/.test(entry[0]),
    );
    expect(classes.length).to.be.greaterThan(20);
    const unguarded = classes.flatMap(([name, cls]) => unguardedNested(describeDtoFields(cls), name));
    expect(unguarded).to.deep.equal([]);
  });
});
