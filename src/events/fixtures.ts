import type { ApiGatewayEvent } from './ApiGatewayEvent';
import type { CdnEvent, CdnEventParameter } from './CdnEvent';
import type { CloudEvent } from './CloudEvent';
import type { DestinationEvent } from './DestinationEvent';
import type { KafkaMessage } from './KafkaEvent';
import type { MnsQueueMessage } from './MnsQueueEvent';
import type { MnsTopicEvent } from './MnsTopicEvent';
import type { OssEvent } from './OssEvent';
import type { RocketMqMessage } from './RocketMqEvent';
import type { SlsEvent, SlsEventSource } from './SlsEvent';
import type { TimerEvent } from './TimerEvent';

/** The JSON FC sends for an event class: its fields, without its methods. */
export type FcPayload<T> = T extends readonly (infer E)[]
  ? FcPayload<E>[]
  : T extends object
    ? { [K in keyof T as T[K] extends (...args: never[]) => unknown ? never : K]: FcPayload<T[K]> }
    : T;

/** The attributes of a CloudEvent envelope, `data` aside. */
export type CloudEventAttributes = Partial<Omit<FcPayload<CloudEvent>, 'data'>>;

/** Overrides of one OSS record; a field given as `undefined` is left out. */
export interface OssRecordFixture {
  eventName?: string;
  eventTime?: string;
  region?: string;
  bucket?: string;
  /** Derived from `region` and `bucket` unless given. */
  arn?: string;
  key?: string;
  size?: number;
  eTag?: string;
  deltaSize?: number;
  mimeType?: string;
}

/** Overrides of a Timer event; an object `payload` is sent as its JSON, as FC sends the configured text. */
export interface TimerFixture {
  triggerTime?: string;
  triggerName?: string;
  payload?: string | object;
}

/** Overrides of an SLS job run. */
export type SlsFixture = Partial<Omit<FcPayload<SlsEvent>, 'source'>> & Partial<FcPayload<SlsEventSource>>;

/** Overrides of one CDN event: the record's fields and those of its `eventParameter`. */
export type CdnRecordFixture = {
  eventName?: string;
  eventTime?: string;
  region?: string;
  traceId?: string;
} & Partial<FcPayload<CdnEventParameter>>;

/** Overrides of an MNS queue message; an object `messageBody` is sent as its JSON text. */
export type MnsQueueMessageFixture = Partial<Omit<FcPayload<MnsQueueMessage>, 'messageBody'>> & {
  messageBody?: string | object;
};

/** Overrides of an MNS topic notification; an object `Message` is sent as its JSON text. */
export type MnsTopicFixture = Partial<Omit<FcPayload<MnsTopicEvent>, 'Message'>> & { Message?: string | object };

/** Overrides of a RocketMQ message; an object `body` is sent as its JSON text. */
export type RocketMqMessageFixture = Partial<Omit<FcPayload<RocketMqMessage>, 'body'>> & { body?: string | object };

/** Overrides of one Kafka record; an object `value` is sent as its JSON text. */
export type KafkaRecordFixture = Partial<Omit<FcPayload<KafkaMessage>, 'value'>> & { value?: string | object };

/**
 * Overrides of a destination event: its fields and those of its `requestContext` and
 * `responseContext`, given at the top level. An object `requestPayload` or `responsePayload` is
 * sent as its JSON text.
 */
export interface DestinationFixture {
  timestamp?: string;
  requestId?: string;
  functionArn?: string;
  condition?: string;
  approximateInvokeCount?: number;
  requestPayload?: string | object;
  statusCode?: number;
  functionError?: string;
  responsePayload?: string | object;
}

/**
 * Overrides of an API Gateway request. A `Buffer` body is sent Base64-encoded, an object as JSON
 * text; a string as it is, Base64 only when `isBase64Encoded` says so.
 */
export type ApiGatewayFixture = Partial<Omit<FcPayload<ApiGatewayEvent>, 'body'>> & { body?: string | Buffer | object };

const OSS_ACCOUNT = '1581223139******';
const OSS_OWNER = '1581224182******';

function ossRecord(o: OssRecordFixture = {}): object {
  const region = given(o, 'region', 'cn-shenzhen');
  const bucket = given(o, 'bucket', 'testbucket');
  // The published payload names its bucket twice, differently; it stays as published by default.
  const derivedArn = o.region === undefined && o.bucket === undefined ? 'bucketname' : bucket;
  return compact({
    eventName: given(o, 'eventName', 'ObjectCreated:PutObject'),
    eventSource: 'acs:oss',
    eventTime: given(o, 'eventTime', '2022-06-10T06:21:35.000Z'),
    eventVersion: '1.0',
    oss: {
      bucket: {
        arn: given(o, 'arn', `acs:oss:${region}:${OSS_ACCOUNT}:${derivedArn}`),
        name: bucket,
        ownerIdentity: OSS_OWNER,
        virtualBucket: '',
      },
      object: {
        deltaSize: given(o, 'deltaSize', 29203),
        eTag: given(o, 'eTag', '7D73E1052AF595535DE90994F4C3E6D5'),
        key: given(o, 'key', 'image/a.jpg'),
        objectMeta: { mimeType: given(o, 'mimeType', 'image/jpeg') },
        size: given(o, 'size', 29203),
      },
      ossSchemaVersion: '1.0',
      ruleId: '7c5a5ccfb06114a4d1ea8867e3916eb543d84e7c',
    },
    region,
    requestParameters: { sourceIPAddress: '106.23.**.**' },
    responseElements: { requestId: '62A2E2EFD0DEFE3930847A6E' },
    userIdentity: { principalId: OSS_OWNER },
  });
}

function cdnRecord(o: CdnRecordFixture = {}): object {
  const domain = given(o, 'domain', 'example.com');
  const { eventName, eventTime, region, traceId, ...parameter } = o;
  return compact({
    eventName: eventName ?? 'LogFileCreated',
    eventSource: 'cdn',
    region: region ?? 'cn-hangzhou',
    eventVersion: '1.0.0',
    eventTime: eventTime ?? '2018-06-14T15:31:49+08:00',
    traceId: traceId ?? 'c6459282-6a4d-4413-894c-e4ea39686738',
    userIdentity: { aliUid: '1xxxxxxxxxxxx' },
    resource: { domain },
    eventParameter: {
      domain,
      endTime: 1528963200,
      fileSize: 1420,
      filePath: `http://cdnlog.cn-hangzhou.oss.aliyun-inc.com/${domain}/2018_06_14/${domain}_2018_06_14_1400_1500.gz`,
      startTime: 1528959600,
      ...parameter,
    },
  });
}

/** EventBridge's extension attributes, in the order it sends them. */
function eventBridgeAttributes(bus: string, accountId: string, publishTime: string) {
  return {
    aliyunaccountid: accountId,
    aliyunpublishtime: publishTime,
    aliyunoriginalaccountid: '164901546557****',
    aliyuneventbusname: bus,
    aliyunregionid: 'cn-chengdu',
    aliyunpublishaddr: '42.120.XX.XX',
  };
}

function rocketMqEvent(data: RocketMqMessageFixture = {}, attributes: CloudEventAttributes = {}): object {
  const topic = data.topic ?? 'TopicName';
  const instance = 'MQ_INST_164901546557****_BXhFHryi';
  return compact({
    id: '94ebc15f-f0db-4bbe-acce-56fb72fb****',
    source: 'RocketMQ-Function-rocketmq-trigger',
    specversion: '1.0',
    type: 'mq:Topic:SendMessage',
    datacontenttype: 'application/json; charset=utf-8',
    subject: `acs:mq:cn-hangzhou:164901546557****:${instance}%${topic}`,
    time: '2021-04-08T06:01:20.766Z',
    ...eventBridgeAttributes('RocketMQ-Function-rocketmq-trigger', '164901546557****', '2021-10-15T02:05:16.791Z'),
    ...attributes,
    data: {
      topic,
      systemProperties: {
        MIN_OFFSET: '0',
        TRACE_ON: 'true',
        MAX_OFFSET: '8',
        MSG_REGION: 'cn-hangzhou',
        KEYS: 'systemProperties.KEYS',
        CONSUME_START_TIME: 1628577790396,
        TAGS: 'systemProperties.TAGS',
        INSTANCE_ID: instance,
      },
      userProperties: {},
      body: 'TEST',
      ...withJsonText(data, 'body'),
    },
  });
}

function kafkaEvent(record: KafkaRecordFixture = {}, attributes: CloudEventAttributes = {}): string {
  const topic = record.topic ?? 'HelloTopic';
  const { value, ...fields } = record;
  const event = compact({
    data: {
      topic,
      partition: 9,
      offset: 3,
      timestamp: 1659346376797,
      headers: { headers: [], isReadOnly: false },
      ...fields,
      value:
        typeof value === 'object'
          ? JSON.stringify(value)
          : (value ?? `b'{\\n    "Test": "TestKafkaEventBridgetrigger"\\n}'`),
    },
    id: '1cb591f9-987e-41d9-b974-0342e9acb90a',
    source: 'acs:alikafka',
    specversion: '1.0',
    type: 'alikafka:Topic:Message',
    datacontenttype: 'application/json; charset=utf-8',
    time: '2022-08-01T09:32:56.797Z',
    subject: `acs:alikafka:alikafka_pre-cn-7pp2t2jwj001:topic:${topic}`,
    aliyunaccountid: '111111111111',
    ...attributes,
  });
  return gsonJson(event);
}

/**
 * Payloads shaped exactly as FC's triggers send them, with overridable fields. Given no
 * overrides, each is FC's published example of its trigger (CDN's and API Gateway's are built from
 * FC's documented shapes). Pass the result to the test kernel as the event body.
 *
 * @example
 * ```ts
 * await kernel.invoke(fixtures.oss({ key: 'uploads/a.jpg' }));
 * await kernel.invoke(fixtures.oss([{ key: 'a.jpg' }, { key: 'b.png', eventName: 'ObjectRemoved:DeleteObject' }]));
 * await kernel.invoke(fixtures.timer({ payload: { title: 'Daily sales', recipients: ['ops@example.com'] } }));
 * await kernel.invoke(fixtures.kafka([{ value: { orderId: 'o-1' }, offset: 41 }, { value: 'bad', offset: 42 }]));
 * ```
 */
export const fixtures = {
  /** An OSS trigger's notification: one record, or one per element of a list. */
  oss(records: OssRecordFixture | OssRecordFixture[] = {}): FcPayload<OssEvent> {
    return { events: (Array.isArray(records) ? records : [records]).map(ossRecord) } as FcPayload<OssEvent>;
  },

  /** A Timer trigger's event. */
  timer(o: TimerFixture = {}): FcPayload<TimerEvent> {
    const payload = o.payload ?? 'TestPayload';
    return {
      triggerTime: o.triggerTime ?? '2022-07-29T10:02:58Z',
      triggerName: o.triggerName ?? 'TestTimer',
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    };
  },

  /** An MNS topic trigger's notification, JSON format. */
  mnsTopic(o: MnsTopicFixture = {}): FcPayload<MnsTopicEvent> {
    return {
      TopicOwner: 'topic account id',
      Message: 'mock mns message',
      Subscriber: 'subscriber account id',
      PublishTime: 1658235558094,
      SubscriptionName: 'test-5bf13c7e',
      MessageMD5: '652BF0E6297840015247C3xxxxxxx',
      TopicName: 'fc-example',
      MessageId: '3405CA51807661353B3xxxxxxxx',
      ...withJsonText(o, 'Message'),
    } as FcPayload<MnsTopicEvent>;
  },

  /** An MNS queue trigger's event, through EventBridge. */
  mnsQueue(data: MnsQueueMessageFixture = {}, attributes: CloudEventAttributes = {}) {
    return compact({
      id: 'c2g71017-6f65-fhcf-a814-a396fc8d****',
      source: 'MNS-Function-mnstrigger',
      specversion: '1.0',
      type: 'mns:Queue:SendMessage',
      datacontenttype: 'application/json; charset=utf-8',
      subject: 'acs:mns:cn-hangzhou:164901546557****:queues/zeus',
      time: '2021-04-08T06:28:17.093Z',
      ...eventBridgeAttributes('MNS-Function-mnstrigger', '1649015465574023', '2021-10-15T07:06:34.028Z'),
      ...attributes,
      data: {
        requestId: '606EA3074344430D4C81****',
        messageId: 'C6DB60D1574661357FA227277445****',
        messageBody: 'TEST',
        ...withJsonText(data, 'messageBody'),
      },
    }) as FcPayload<CloudEvent<MnsQueueMessage>>;
  },

  /**
   * A batching MNS queue trigger's array of events, one per message (an object `messageBody` is sent as its JSON text); each gets a message id of
   * its own (`M-0`, `M-1`...) unless it names one, as a queue gives every message.
   */
  mnsQueueBatch(messages: MnsQueueMessageFixture[] = [{}, {}], attributes: CloudEventAttributes = {}) {
    return messages.map((data, index) => fixtures.mnsQueue({ messageId: `M-${index}`, ...data }, attributes));
  },

  /** A Log Service trigger's job run. */
  sls(o: SlsFixture = {}): FcPayload<SlsEvent> {
    const { cursorTime, jobName, parameter, taskId, ...source } = o;
    return {
      cursorTime: cursorTime ?? 1655645277,
      jobName: jobName ?? '39955366992fd7a0ee85a9e1ecba042a5c737682',
      parameter: parameter ?? {},
      source: {
        beginCursor: 'MTY1NDUzOTMyNjA5GFH1MzYyNf==',
        endCursor: 'MTY1NDUzOTMyNjA5GFH1MzYyOQ==',
        endpoint: 'http://cn-shenzhen-intranet.log.aliyuncs.com',
        logstoreName: 'function-log',
        projectName: 'aliyun-fc-cn-shenzhen-3a8b13243-b031-5b64-abd3-5b54********',
        shardId: 0,
        ...source,
      },
      taskId: taskId ?? '617efabb-8dc3-41fv-b908-7cbc********',
    };
  },

  /** A CDN event trigger's event (`LogFileCreated` unless overridden): one, or one per element. */
  cdn(records: CdnRecordFixture | CdnRecordFixture[] = {}): FcPayload<CdnEvent> {
    return { events: (Array.isArray(records) ? records : [records]).map(cdnRecord) } as FcPayload<CdnEvent>;
  },

  /** A RocketMQ trigger's event for one message, through EventBridge. */
  rocketMq(data: RocketMqMessageFixture = {}, attributes: CloudEventAttributes = {}) {
    return rocketMqEvent(data, attributes) as FcPayload<CloudEvent<RocketMqMessage>>;
  },

  /** A batching RocketMQ trigger's array of events, one per element (two of the published one by default). */
  rocketMqBatch(messages: RocketMqMessageFixture[] = [{}, {}], attributes: CloudEventAttributes = {}) {
    return messages.map((data) => rocketMqEvent(data, attributes)) as FcPayload<CloudEvent<RocketMqMessage>>[];
  },

  /**
   * A Kafka trigger's batch through EventBridge: a JSON array of strings, each one record's
   * CloudEvent as JSON, escaped the way EventBridge's serialiser does (`=` as `\u003d`).
   */
  kafka(records: KafkaRecordFixture[] = [{}], attributes: CloudEventAttributes = {}): string[] {
    return records.map((record) => kafkaEvent(record, attributes));
  },

  /**
   * What FC sends to a destination function of an asynchronous invocation: by default, one that
   * failed its last retry (`condition` and `functionError` `UnhandledInvocationError`, 4 tries).
   * For an on-success destination, give `condition` and `functionError` as `undefined`.
   */
  destination(o: DestinationFixture = {}): FcPayload<DestinationEvent> {
    const text = (value: string | object | undefined) =>
      value === undefined || typeof value === 'string' ? value : JSON.stringify(value);
    const response = given(o, 'responsePayload', { errorMessage: 'stock service unavailable', errorType: 'Error' });
    return compact({
      timestamp: o.timestamp ?? '2020-08-20T12:00:00.000Z',
      requestContext: {
        requestId: o.requestId ?? '1-67a59f35-150c1267-f381ba1c085c',
        functionArn: o.functionArn ?? 'acs:fc:cn-hangzhou:1234567890123456:functions/create-order',
        condition: given(o, 'condition', 'UnhandledInvocationError'),
        approximateInvokeCount: o.approximateInvokeCount ?? 4,
      },
      requestPayload: text(o.requestPayload ?? { orderId: 'o-1001' })!,
      responseContext: {
        statusCode: o.statusCode ?? 200,
        functionError: given(o, 'functionError', 'UnhandledInvocationError'),
      },
      responsePayload: text(response),
    });
  },

  /** An API Gateway request to an event function. */
  apiGateway(o: ApiGatewayFixture = {}): FcPayload<ApiGatewayEvent> {
    const { body, isBase64Encoded, ...request } = o;
    const encoded = encodeBody(body, isBase64Encoded);
    return {
      path: '/orders/o-1001/lines',
      httpMethod: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Host: 'orders.example.com',
        'User-Agent': 'curl/8.5.0',
        'X-Ca-Request-Id': '8B0C0E7D-4F5A-4F3E-9C5B-2B1A0D8E6F42',
        'X-Forwarded-For': '203.0.113.7',
      },
      queryParameters: { notify: 'true' },
      pathParameters: { orderId: 'o-1001' },
      ...request,
      ...encoded,
    };
  },

  /** A CloudEvent from any EventBridge source, carrying `data`. */
  cloudEvent<T>(data: T, attributes: CloudEventAttributes = {}): FcPayload<CloudEvent<T>> {
    return compact({
      id: '7a1b3c5d-0e2f-4a6b-8c9d-0e1f2a3b4c5d',
      source: 'acs:eventbridge',
      specversion: '1.0',
      type: 'eventbridge:Events:Custom',
      datacontenttype: 'application/json; charset=utf-8',
      time: '2024-05-06T07:18:00.000Z',
      aliyunaccountid: '164901546557****',
      ...attributes,
      data,
    }) as FcPayload<CloudEvent<T>>;
  },
};

function encodeBody(body: ApiGatewayFixture['body'], isBase64Encoded: boolean | undefined) {
  if (body === undefined) {
    return isBase64Encoded === false
      ? { body: '{"sku":"A-1","quantity":2}', isBase64Encoded }
      : { body: 'eyJza3UiOiJBLTEiLCJxdWFudGl0eSI6Mn0=', isBase64Encoded: true };
  }
  if (Buffer.isBuffer(body)) return { body: body.toString('base64'), isBase64Encoded: true };
  if (typeof body === 'object') return { body: JSON.stringify(body), isBase64Encoded: isBase64Encoded ?? false };
  return { body, isBase64Encoded: isBase64Encoded ?? false };
}

/** `o[key]` when the override names it (even as `undefined`, which leaves the field out), else `fallback`. */
function given<O extends object, K extends keyof O>(o: O, key: K, fallback: NonNullable<O[K]>): O[K] {
  return Object.hasOwn(o, key) ? o[key] : fallback;
}

/** `o` with its `key` as JSON text when given as an object, as a producer sends a JSON message. */
function withJsonText<O extends object>(o: O, key: keyof O & string): O {
  const value = o[key];
  return value !== null && typeof value === 'object' ? { ...o, [key]: JSON.stringify(value) } : o;
}

/** A copy without the fields overridden as `undefined`, as JSON would send it. */
function compact<T extends object>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/**
 * JSON as EventBridge's Java serialiser (Gson, HTML-safe) writes it: `<`, `>`, `&`, `=` and `'`
 * as `\u` escapes, and the line and paragraph separators too. JSON's own syntax uses none of
 * them, so each occurrence is inside a string, where the escape means the same character.
 */
function gsonJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&='\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
