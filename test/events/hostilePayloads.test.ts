import { expect } from 'chai';
import { IsOptional, IsString } from 'class-validator';
import fc from 'fast-check';
import { ValidationSettings, type Constructor, type EventType } from '../../src';
import {
  ApiGatewayEvent,
  DestinationEvent,
  CdnEvent,
  fixtures,
  KafkaEventBatch,
  MnsQueueEvent,
  MnsTopicEvent,
  OssEvent,
  RocketMqEvent,
  RocketMqEventBatch,
  SlsEvent,
  TimerEvent,
} from '../../src/events';
import { jsonValueText } from '../reliability/arbitraries';
import { payloadOf, useDelivery } from './deliver';

/** A string no payload holds, replaced in the JSON text by the hostile value. */
const MARK = '\u0000fuzz\u0000';

@ValidationSettings({ forbidNonWhitelisted: false })
class Schedule {
  @IsOptional() @IsString() cron?: string;
}

const TARGETS: [file: string, type: EventType][] = [
  ['oss.json', OssEvent],
  ['timer.json', TimerEvent],
  ['mns-topic.json', MnsTopicEvent],
  ['mns-queue.json', MnsQueueEvent],
  ['sls.json', SlsEvent],
  ['kafka-eventbridge.json', KafkaEventBatch],
  ['rocketmq.json', RocketMqEvent],
  ['rocketmq-batch.json', RocketMqEventBatch],
  ['documented/cdn.json', CdnEvent],
  ['documented/api-gateway.json', ApiGatewayEvent],
  ['documented/destination.json', DestinationEvent],
];

/** Every path to a value in `root`, the root itself included. */
function pathsOf(root: unknown, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at);
  if (root !== null && typeof root === 'object') {
    for (const [key, value] of Object.entries(root))
      pathsOf(value, [...at, Array.isArray(root) ? Number(key) : key], out);
  }
  return out;
}

/** `root` as JSON text with the value at `path` replaced by the JSON text `replacement`. */
function replaced(root: unknown, path: (string | number)[], replacement: string): string {
  if (path.length === 0) return replacement;
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  parent[path.at(-1)!] = MARK;
  return JSON.stringify(copy).replace(JSON.stringify(MARK), () => replacement);
}

/** Kafka's payload with the hostile value inside one element's JSON string. */
function replacedInKafka(elements: string[], index: number, path: (string | number)[], replacement: string): string {
  const copy = [...elements];
  copy[index % copy.length] = replaced(JSON.parse(copy[index % copy.length]!), path, replacement);
  return JSON.stringify(copy);
}

describe('events: hostile variations of the real payloads', () => {
  const deliver = useDelivery();

  for (const [file, type] of TARGETS) {
    it(`${file}: any value anywhere is accepted or answered with a validation error, never more`, async () => {
      const payload = payloadOf(file);
      const inner = file === 'kafka-eventbridge.json' ? JSON.parse((payload as string[])[0]!) : undefined;
      const paths = pathsOf(inner ?? payload);
      await fc.assert(
        fc.asyncProperty(fc.nat(paths.length - 1), jsonValueText, fc.nat(3), async (which, value, element) => {
          const body = inner
            ? replacedInKafka(payload as string[], element, paths[which]!, value)
            : replaced(payload, paths[which]!, value);
          const { statusCode, answer, received } = await deliver(type, body);
          if (statusCode === 200) {
            expect(received).to.be.instanceOf(type as Constructor);
          } else {
            expect(['ValidationError', 'EventDecodeError']).to.include((answer as { errorType: string }).errorType);
          }
          expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
        }),
        { numRuns: 60 },
      );
    });
  }

  it('a Timer payload of any JSON text is parsed and validated, or answered with a validation error', async () => {
    const Tick = TimerEvent.withPayload(Schedule);
    await fc.assert(
      fc.asyncProperty(jsonValueText, async (text) => {
        const { statusCode, answer, received } = await deliver(Tick, { ...fixtures.timer(), payload: text });
        if (statusCode === 200) expect((received as { payload: unknown }).payload).to.be.instanceOf(Schedule);
        else expect((answer as { errorType: string }).errorType).to.equal('ValidationError');
        expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
      }),
      { numRuns: 200 },
    );
  });
});
