import { expect } from 'chai';
import { Event, FcFunction, OnInvoke } from '../../src';
import {
  ApiGatewayEvent,
  CdnEvent,
  CdnEventParameter,
  CdnEventRecord,
  CdnResource,
  CdnUserIdentity,
  KafkaEvent,
  KafkaEventBatch,
  KafkaHeaders,
  KafkaMessage,
  MnsQueueEvent,
  MnsQueueMessage,
  MnsTopicEvent,
  OssBucket,
  OssEntity,
  OssEvent,
  OssEventRecord,
  OssObject,
  OssObjectMeta,
  OssRequestParameters,
  OssResponseElements,
  OssUserIdentity,
  RocketMqEvent,
  RocketMqEventBatch,
  RocketMqMessage,
  SlsEvent,
  SlsEventSource,
  TimerEvent,
} from '../../src/events';
import { useTestKernels } from '../helpers/testKernels';
import { fieldErrorsOf, payloadFile, payloadOf, useDelivery } from './deliver';

/** One function per trigger, each taking its event class by its declared parameter type. */
function declareTriggerFunctions(received: Map<string, unknown>) {
  @FcFunction({ name: 'oss' })
  class OnOss {
    @OnInvoke() handle(@Event() event: OssEvent) {
      received.set('oss', event);
    }
  }
  @FcFunction({ name: 'timer' })
  class OnTimer {
    @OnInvoke() handle(@Event() event: TimerEvent) {
      received.set('timer', event);
    }
  }
  @FcFunction({ name: 'mns-topic' })
  class OnMnsTopic {
    @OnInvoke() handle(@Event() event: MnsTopicEvent) {
      received.set('mns-topic', event);
    }
  }
  @FcFunction({ name: 'mns-queue' })
  class OnMnsQueue {
    @OnInvoke() handle(@Event() event: MnsQueueEvent) {
      received.set('mns-queue', event);
    }
  }
  @FcFunction({ name: 'sls' })
  class OnSls {
    @OnInvoke() handle(@Event() event: SlsEvent) {
      received.set('sls', event);
    }
  }
  @FcFunction({ name: 'kafka' })
  class OnKafka {
    @OnInvoke() handle(@Event() batch: KafkaEventBatch) {
      received.set('kafka', batch);
    }
  }
  @FcFunction({ name: 'rocketmq' })
  class OnRocketMq {
    @OnInvoke() handle(@Event() event: RocketMqEvent) {
      received.set('rocketmq', event);
    }
  }
  @FcFunction({ name: 'rocketmq-batch' })
  class OnRocketMqBatch {
    @OnInvoke() handle(@Event() batch: RocketMqEventBatch) {
      received.set('rocketmq-batch', batch);
    }
  }
  @FcFunction({ name: 'cdn' })
  class OnCdn {
    @OnInvoke() handle(@Event() event: CdnEvent) {
      received.set('cdn', event);
    }
  }
  @FcFunction({ name: 'api-gateway' })
  class OnApiGateway {
    @OnInvoke() handle(@Event() event: ApiGatewayEvent) {
      received.set('api-gateway', event);
    }
  }
  return [OnOss, OnTimer, OnMnsTopic, OnMnsQueue, OnSls, OnKafka, OnRocketMq, OnRocketMqBatch, OnCdn, OnApiGateway];
}

/** Each payload file and the function (named for its trigger) that takes it. */
const PAYLOADS: [file: string, fn: string][] = [
  ['oss.json', 'oss'],
  ['timer.json', 'timer'],
  ['mns-topic.json', 'mns-topic'],
  ['mns-queue.json', 'mns-queue'],
  ['sls.json', 'sls'],
  ['kafka-eventbridge.json', 'kafka'],
  ['rocketmq.json', 'rocketmq'],
  ['rocketmq-batch.json', 'rocketmq-batch'],
  ['documented/cdn.json', 'cdn'],
  ['documented/api-gateway.json', 'api-gateway'],
];

/** The payload as the handler should see it, as JSON: Kafka's strings decoded. */
function expectedJsonOf(file: string): unknown {
  const payload = payloadOf(file);
  return file === 'kafka-eventbridge.json' ? (payload as string[]).map((s) => JSON.parse(s)) : payload;
}

/** The `expect` of each trigger's received event: its classes, all the way down, and some values. */
const CHECKS: Record<string, (event: unknown) => void> = {
  oss(event) {
    expect(event).to.be.instanceOf(OssEvent);
    const record = (event as OssEvent).events[0]!;
    expect(record).to.be.instanceOf(OssEventRecord);
    expect(record.oss).to.be.instanceOf(OssEntity);
    expect(record.oss.bucket).to.be.instanceOf(OssBucket);
    expect(record.oss.object).to.be.instanceOf(OssObject);
    expect(record.oss.object.objectMeta).to.be.instanceOf(OssObjectMeta);
    expect(record.userIdentity).to.be.instanceOf(OssUserIdentity);
    expect(record.requestParameters).to.be.instanceOf(OssRequestParameters);
    expect(record.responseElements).to.be.instanceOf(OssResponseElements);
    expect(record.eventName).to.equal('ObjectCreated:PutObject');
    expect(record.oss.object).to.include({ key: 'image/a.jpg', size: 29203, eTag: '7D73E1052AF595535DE90994F4C3E6D5' });
    expect(record.oss.bucket.name).to.equal('testbucket');
  },
  timer(event) {
    expect(event).to.be.instanceOf(TimerEvent);
    expect(event).to.include({ triggerName: 'TestTimer', triggerTime: '2022-07-29T10:02:58Z', payload: 'TestPayload' });
  },
  'mns-topic'(event) {
    expect(event).to.be.instanceOf(MnsTopicEvent);
    expect(event).to.include({ TopicName: 'fc-example', Message: 'mock mns message', PublishTime: 1658235558094 });
  },
  'mns-queue'(event) {
    expect(event).to.be.instanceOf(MnsQueueEvent);
    const queued = event as MnsQueueEvent;
    expect(queued.data).to.be.instanceOf(MnsQueueMessage);
    expect(queued.data.messageBody).to.equal('TEST');
    expect(queued.type).to.equal('mns:Queue:SendMessage');
  },
  sls(event) {
    expect(event).to.be.instanceOf(SlsEvent);
    const run = event as SlsEvent;
    expect(run.source).to.be.instanceOf(SlsEventSource);
    expect(run.source).to.include({ logstoreName: 'function-log', shardId: 0 });
    expect(run.cursorTime).to.equal(1655645277);
  },
  kafka(batch) {
    expect(batch).to.be.instanceOf(KafkaEventBatch);
    expect(Array.isArray(batch)).to.equal(true);
    const events = batch as KafkaEventBatch;
    expect(events).to.have.length(1);
    expect(events[0]).to.be.instanceOf(KafkaEvent);
    expect(events[0]!.data).to.be.instanceOf(KafkaMessage);
    expect(events[0]!.data.headers).to.be.instanceOf(KafkaHeaders);
    expect(events[0]!.data).to.include({ topic: 'HelloTopic', partition: 9, offset: 3, timestamp: 1659346376797 });
    expect(events[0]!.data.value).to.equal(`b'{\\n    "Test": "TestKafkaEventBridgetrigger"\\n}'`);
    expect(events[0]!.datacontenttype).to.equal('application/json; charset=utf-8');
  },
  rocketmq(event) {
    expect(event).to.be.instanceOf(RocketMqEvent);
    const message = (event as RocketMqEvent).data;
    expect(message).to.be.instanceOf(RocketMqMessage);
    expect(message.systemProperties.CONSUME_START_TIME).to.equal(1628577790396);
    expect(message.body).to.equal('TEST');
  },
  'rocketmq-batch'(batch) {
    expect(batch).to.be.instanceOf(RocketMqEventBatch);
    const events = batch as RocketMqEventBatch;
    expect(events).to.have.length(2);
    for (const event of events) {
      expect(event).to.be.instanceOf(RocketMqEvent);
      expect(event.data).to.be.instanceOf(RocketMqMessage);
    }
  },
  cdn(event) {
    expect(event).to.be.instanceOf(CdnEvent);
    const record = (event as CdnEvent).events[0]!;
    expect(record).to.be.instanceOf(CdnEventRecord);
    expect(record.eventParameter).to.be.instanceOf(CdnEventParameter);
    expect(record.resource).to.be.instanceOf(CdnResource);
    expect(record.userIdentity).to.be.instanceOf(CdnUserIdentity);
    expect(record.eventParameter).to.include({ domain: 'example.com', fileSize: 1420, startTime: 1528959600 });
  },
  'api-gateway'(event) {
    expect(event).to.be.instanceOf(ApiGatewayEvent);
    const request = event as ApiGatewayEvent;
    expect(request.pathParameters).to.deep.equal({ orderId: 'o-1001' });
    expect(request.json()).to.deep.equal({ sku: 'A-1', quantity: 2 });
  },
};

describe('events: the real trigger payloads', () => {
  const kernelOf = useTestKernels();

  for (const [file, fn] of PAYLOADS) {
    it(`${file} reaches the ${fn} function as its class, every field kept`, async () => {
      const received = new Map<string, unknown>();
      const tk = kernelOf(declareTriggerFunctions(received));
      const response = await tk.invoke(payloadFile(file), { functionName: fn });
      expect(response.statusCode, String(response.raw)).to.equal(200);
      const event = received.get(fn);
      CHECKS[fn]!(event);
      // Every field FC sent is declared, so none was stripped on the way.
      expect(JSON.parse(JSON.stringify(event))).to.deep.equal(expectedJsonOf(file));
    });
  }
});

describe('events: tolerance of fields FC adds later', () => {
  const deliver = useDelivery();

  it('an unknown top-level or nested field is stripped, not rejected', async () => {
    const payload = payloadOf('oss.json') as { events: Record<string, any>[]; [k: string]: unknown };
    payload.notificationId = 'n-1';
    payload.events[0]!.oss.object.storageClass = 'Standard';
    payload.events[0]!.traceContext = { spanId: 'abc' };
    const { statusCode, received } = await deliver(OssEvent, payload);
    expect(statusCode).to.equal(200);
    const event = received as OssEvent & Record<string, unknown>;
    expect(event).to.not.have.property('notificationId');
    expect(event.events[0]).to.not.have.property('traceContext');
    expect(event.events[0]!.oss.object).to.not.have.property('storageClass');
    expect(event.events[0]!.oss.object.key).to.equal('image/a.jpg');
  });

  it('stays tolerant under a function whose own settings forbid unknown fields', async () => {
    const payload = { ...(payloadOf('timer.json') as object), retry: 1 };
    const { statusCode, received } = await deliver(TimerEvent, payload, { forbidNonWhitelisted: true });
    expect(statusCode).to.equal(200);
    expect(received).to.not.have.property('retry');
  });

  it('unknown CloudEvent attributes and unknown data fields of a batch element are stripped', async () => {
    const batch = payloadOf('rocketmq-batch.json') as Record<string, any>[];
    batch[1]!.traceparent = '00-abc-def-01';
    batch[1]!.data.queueId = 3;
    const { statusCode, received } = await deliver(RocketMqEventBatch, batch);
    expect(statusCode).to.equal(200);
    const events = received as RocketMqEventBatch;
    expect(events[1]).to.not.have.property('traceparent');
    expect(events[1]!.data).to.not.have.property('queueId');
  });

  it('known fields are still checked: a mistyped one is a validation error at its path', async () => {
    const payload = payloadOf('oss.json') as { events: Record<string, any>[] };
    payload.events[0]!.oss.object.size = '29203';
    const errors = fieldErrorsOf(await deliver(OssEvent, payload));
    expect(errors.map((e) => e.path)).to.deep.equal(['events.0.oss.object.size']);
  });

  it('a missing required field is reported, in an envelope and in its data', async () => {
    const payload = payloadOf('mns-queue.json') as Record<string, any>;
    delete payload.specversion;
    delete payload.data.messageId;
    const errors = fieldErrorsOf(await deliver(MnsQueueEvent, payload));
    expect(errors.map((e) => e.path)).to.deep.equal(['specversion', 'data.messageId']);
  });
});
