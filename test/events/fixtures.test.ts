import { expect } from 'chai';
import { IsString } from 'class-validator';
import type { EventType } from '../../src';
import {
  ApiGatewayEvent,
  CdnEvent,
  CloudEvent,
  DestinationEvent,
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
import { payloadFile, payloadOf, useDelivery } from './deliver';

class Greeting {
  @IsString() text!: string;
}

/** Each builder, called without overrides, and the payload file it must reproduce. */
const DEFAULTS: [name: string, build: () => unknown, file: string, type: EventType][] = [
  ['oss', () => fixtures.oss(), 'oss.json', OssEvent],
  ['timer', () => fixtures.timer(), 'timer.json', TimerEvent],
  ['mnsTopic', () => fixtures.mnsTopic(), 'mns-topic.json', MnsTopicEvent],
  ['mnsQueue', () => fixtures.mnsQueue(), 'mns-queue.json', MnsQueueEvent],
  ['sls', () => fixtures.sls(), 'sls.json', SlsEvent],
  ['kafka', () => fixtures.kafka(), 'kafka-eventbridge.json', KafkaEventBatch],
  ['rocketMq', () => fixtures.rocketMq(), 'rocketmq.json', RocketMqEvent],
  ['rocketMqBatch', () => fixtures.rocketMqBatch(), 'rocketmq-batch.json', RocketMqEventBatch],
  ['cdn', () => fixtures.cdn(), 'documented/cdn.json', CdnEvent],
  ['apiGateway', () => fixtures.apiGateway(), 'documented/api-gateway.json', ApiGatewayEvent],
  ['destination', () => fixtures.destination(), 'documented/destination.json', DestinationEvent],
];

/** Builders given overrides, and what the handler must see of them. */
const OVERRIDDEN: [name: string, payload: unknown, type: EventType, check: (event: any) => void][] = [
  [
    'oss, two records, one a removal',
    fixtures.oss([
      { key: 'a.jpg', bucket: 'photos', region: 'cn-hangzhou' },
      { key: 'b.png', eventName: 'ObjectRemoved:DeleteObject', size: undefined, eTag: undefined, mimeType: undefined },
    ]),
    OssEvent,
    (e: OssEvent) => {
      expect(e.events.map((r) => r.oss.object.key)).to.deep.equal(['a.jpg', 'b.png']);
      expect(e.events[0]!.oss.bucket).to.include({
        name: 'photos',
        arn: 'acs:oss:cn-hangzhou:1581223139******:photos',
      });
      expect(e.events[0]!.region).to.equal('cn-hangzhou');
      expect(e.events[1]!.eventName).to.equal('ObjectRemoved:DeleteObject');
      expect(e.events[1]!.oss.object).to.not.have.any.keys('size', 'eTag');
    },
  ],
  [
    'timer with an object payload',
    fixtures.timer({ payload: { hello: 'world' }, triggerName: 'hourly' }),
    TimerEvent,
    (e: TimerEvent) => expect(e).to.include({ payload: '{"hello":"world"}', triggerName: 'hourly' }),
  ],
  [
    'mnsTopic',
    fixtures.mnsTopic({ Message: 'hi', TopicName: 'orders' }),
    MnsTopicEvent,
    (e: MnsTopicEvent) => expect(e).to.include({ Message: 'hi', TopicName: 'orders' }),
  ],
  [
    'mnsQueue with envelope attributes',
    fixtures.mnsQueue({ messageBody: 'hello' }, { subject: 'acs:mns:cn-hangzhou:1:queues/orders' }),
    MnsQueueEvent,
    (e: MnsQueueEvent) => {
      expect(e.data.messageBody).to.equal('hello');
      expect(e.subject).to.equal('acs:mns:cn-hangzhou:1:queues/orders');
    },
  ],
  [
    'sls',
    fixtures.sls({ shardId: 3, logstoreName: 'access', parameter: { target: 'oss' } }),
    SlsEvent,
    (e: SlsEvent) => {
      expect(e.source).to.include({ shardId: 3, logstoreName: 'access' });
      expect(e.parameter).to.deep.equal({ target: 'oss' });
    },
  ],
  [
    'kafka with object values',
    fixtures.kafka([
      { value: { orderId: 'o-1' }, offset: 41, topic: 'orders' },
      { value: 'plain', offset: 42 },
    ]),
    KafkaEventBatch,
    (e: KafkaEventBatch) => {
      expect(e.map((k) => [k.data.topic, k.data.offset, k.data.value])).to.deep.equal([
        ['orders', 41, '{"orderId":"o-1"}'],
        ['HelloTopic', 42, 'plain'],
      ]);
      expect(e[0]!.subject).to.equal('acs:alikafka:alikafka_pre-cn-7pp2t2jwj001:topic:orders');
    },
  ],
  [
    'rocketMq',
    fixtures.rocketMq({ body: 'order created', topic: 'orders', userProperties: { tenant: 'acme' } }),
    RocketMqEvent,
    (e: RocketMqEvent) => {
      expect(e.data).to.deep.include({ body: 'order created', topic: 'orders', userProperties: { tenant: 'acme' } });
      expect(e.subject).to.match(/%orders$/);
    },
  ],
  [
    'rocketMqBatch',
    fixtures.rocketMqBatch([{ body: 'a' }, { body: 'b' }, { body: 'c' }]),
    RocketMqEventBatch,
    (e: RocketMqEventBatch) => expect(e.map((m) => m.data.body)).to.deep.equal(['a', 'b', 'c']),
  ],
  [
    'cdn, a refresh event',
    fixtures.cdn({
      eventName: 'CachedObjectsRefreshed',
      domain: 'static.example.com',
      filePath: undefined,
      fileSize: undefined,
      startTime: undefined,
      endTime: undefined,
      objectPath: ['/a.css'],
      objectType: 'File',
      taskId: 1001,
    }),
    CdnEvent,
    (e: CdnEvent) => {
      const record = e.events[0]!;
      expect(record.resource.domain).to.equal('static.example.com');
      expect(record.eventParameter).to.deep.include({ objectPath: ['/a.css'], taskId: 1001 });
      expect(record.eventParameter).to.not.have.property('filePath');
    },
  ],
  [
    'apiGateway with a Buffer body',
    fixtures.apiGateway({ httpMethod: 'PUT', body: Buffer.from([0, 1, 2, 255]) }),
    ApiGatewayEvent,
    (e: ApiGatewayEvent) => {
      expect(e.isBase64Encoded).to.equal(true);
      expect([...e.decodedBody()]).to.deep.equal([0, 1, 2, 255]);
      expect(e.httpMethod).to.equal('PUT');
    },
  ],
  [
    'apiGateway with an object body',
    fixtures.apiGateway({ body: { sku: 'B' }, queryParameters: {} }),
    ApiGatewayEvent,
    (e: ApiGatewayEvent) => {
      expect(e.isBase64Encoded).to.equal(false);
      expect(e.json()).to.deep.equal({ sku: 'B' });
    },
  ],
  [
    'cloudEvent',
    fixtures.cloudEvent({ text: 'hi' }, { type: 'greetings:Said' }),
    CloudEvent.of(Greeting),
    (e: CloudEvent<Greeting>) => {
      expect(e.data).to.be.instanceOf(Greeting);
      expect(e.type).to.equal('greetings:Said');
    },
  ],
];

describe('events: fixture builders', () => {
  const deliver = useDelivery();

  for (const [name, build, file, type] of DEFAULTS) {
    it(`fixtures.${name}() is ${file}, and its class accepts it`, async () => {
      const built = build();
      expect(built).to.deep.equal(payloadOf(file));
      // Field order too: the JSON is the file's, but for its whitespace.
      expect(JSON.stringify(built)).to.equal(JSON.stringify(payloadOf(file)));
      const { statusCode } = await deliver(type, built as object);
      expect(statusCode).to.equal(200);
    });
  }

  it("fixtures.kafka() escapes as EventBridge's serialiser does, so the element strings are FC's own", () => {
    expect(JSON.stringify(fixtures.kafka())).to.equal(payloadFile('kafka-eventbridge.json').toString('utf8').trim());
    const [element] = fixtures.kafka([{ value: "<a href='x'>&</a>" }]);
    expect(element).to.include('\\u003ca href\\u003d\\u0027x\\u0027\\u003e\\u0026\\u003c/a\\u003e');
    expect(JSON.parse(element!).data.value).to.equal("<a href='x'>&</a>");
  });

  for (const [name, payload, type, check] of OVERRIDDEN) {
    it(`fixtures.${name}: accepted by its class, the overrides seen by the handler`, async () => {
      const { statusCode, received, answer } = await deliver(type, payload as object);
      expect(statusCode, JSON.stringify(answer)).to.equal(200);
      check(received);
    });
  }

  it('builds a fresh payload on each call', () => {
    const first = fixtures.oss();
    first.events[0]!.oss.object.key = 'changed';
    expect(fixtures.oss().events[0]!.oss.object.key).to.equal('image/a.jpg');
  });
});
