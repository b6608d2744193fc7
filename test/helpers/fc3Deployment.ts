import Ajv, { type ValidateFunction } from 'ajv';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { createKernel, metadataStore, type Constructor } from '../../src';

/** The fc3 component's props schema, vendored from `shared/fc3/`. */
export const FC3_SCHEMA_PATH = resolve(__dirname, '../../../test/fixtures/fc3/props.schema.json');

/** One trigger of a function, as fc3 takes it. */
export interface Trigger {
  triggerName: string;
  triggerType: string;
  triggerConfig: Record<string, unknown>;
  [key: string]: unknown;
}

/** The `props` of an fc3 resource, as far as these tests read them. */
export type Props = Record<string, unknown> & {
  functionName?: string;
  runtime?: string;
  region?: string;
  instanceConcurrency?: number;
  environmentVariables?: Record<string, string>;
  customContainerConfig?: {
    port?: number;
    image?: string;
    healthCheckConfig?: Record<string, number | string> & { httpGetUrl?: string };
  };
  instanceLifecycleConfig?: { initializer?: { handler?: string }; preStop?: { handler?: string } };
  triggers?: Trigger[];
};

export interface SYaml {
  edition: string;
  vars?: Record<string, unknown>;
  resources: Record<string, { component: string; props: Props }>;
}

export interface Fc3Schema {
  properties: Record<string, unknown> & { functionName: { pattern?: string } };
  definitions: Record<string, { properties?: Record<string, unknown> }>;
}

/** The fc3 props schema, parsed. */
export function fc3Schema(): Fc3Schema {
  return JSON.parse(readFileSync(FC3_SCHEMA_PATH, 'utf8')) as Fc3Schema;
}

/** The schema's definition of each trigger type's `triggerConfig`, which the schema leaves to an `anyOf`. */
export const TRIGGER_CONFIG_DEFINITIONS: Record<string, string> = {
  oss: 'IOssTriggerConfig',
  timer: 'ITimerTriggerConfig',
  eventbridge: 'IEventBridge',
  log: 'ILogTriggerConfig',
  http: 'IHttpTriggerConfig',
  mns_topic: 'IMnsTriggerConfig',
  cdn_events: 'ICdnTriggerConfig',
  tablestore: 'IOtsConfig',
};

let ajv: Ajv | undefined;

/** The schema compiled once, its definitions reachable as `fc3#/definitions/<name>`. */
function compiled(): Ajv {
  if (!ajv) {
    ajv = new Ajv({ allErrors: true, strict: false });
    ajv.addSchema(fc3Schema(), 'fc3');
  }
  return ajv;
}

function outcome(validate: ValidateFunction, value: unknown): { valid: boolean; errors: unknown } {
  const valid = validate(value);
  return { valid, errors: validate.errors };
}

/** Validates one resource's props against the fc3 schema. */
export function validateFc3Props(props: unknown): { valid: boolean; errors: unknown } {
  return outcome(compiled().getSchema('fc3')!, props);
}

/**
 * Validates a trigger's `triggerConfig` against its own type's definition (the schema accepts a
 * config that fits any type's, say a timer's under an OSS trigger); `undefined` for a type the
 * schema does not define.
 */
export function validateTriggerConfig(type: string, config: unknown): { valid: boolean; errors: unknown } | undefined {
  const definition = TRIGGER_CONFIG_DEFINITIONS[type];
  return definition ? outcome(compiled().getSchema(`fc3#/definitions/${definition}`)!, config) : undefined;
}

/** What `s config add` stores and `${config('…')}` reads: stand-ins, as no account is configured here. */
const CONFIG: Record<string, string> = { AccountID: '1234567890123456' };

/**
 * Serverless Devs replaces `${vars.name}` with the top-level `vars`, and `${config('AccountID')}`
 * with the configured account's, before the component sees props. Anything else stays as written,
 * so that a check can tell an unresolved variable.
 */
function resolveVariables(value: unknown, vars: Record<string, unknown>): unknown {
  if (typeof value === 'string') {
    const whole = /^\$\{vars\.([\w-]+)\}$/.exec(value);
    if (whole) return vars[whole[1]!];
    return value
      .replace(/\$\{vars\.([\w-]+)\}/g, (_, name: string) => String(vars[name]))
      .replace(/\$\{config\((['"])(\w+)\1\)\}/g, (match, _quote: string, key: string) => CONFIG[key] ?? match);
  }
  if (Array.isArray(value)) return value.map((v) => resolveVariables(v, vars));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveVariables(v, vars)]));
  }
  return value;
}

/** An s.yaml with its variables resolved, as the fc3 component receives its props. */
export function readSYaml(file: string): SYaml {
  const parsed = parse(readFileSync(file, 'utf8')) as SYaml;
  const resources = Object.fromEntries(
    Object.entries(parsed.resources ?? {}).map(([name, r]) => [
      name,
      { ...r, props: resolveVariables(r.props, parsed.vars ?? {}) as Props },
    ]),
  );
  return { ...parsed, resources };
}

/**
 * What is wrong with an s.yaml's resources for fc3, one line each (none when it deploys): a
 * component other than fc3, props the schema refuses, a key the schema does not know (it allows
 * unknown keys, so a misplaced one, say `initializer` at the top, would pass), a variable left
 * unresolved.
 */
export function fc3ResourceProblems(sYaml: SYaml): string[] {
  const known = fc3Schema().properties;
  return Object.entries(sYaml.resources).flatMap(([name, resource]) => {
    const problems: string[] = [];
    if (resource.component !== 'fc3') problems.push(`${name}: component ${resource.component}, not fc3`);
    const { valid, errors } = validateFc3Props(resource.props);
    if (!valid) problems.push(`${name}: ${JSON.stringify(errors, null, 2)}`);
    const unknown = Object.keys(resource.props).filter((key) => !(key in known));
    if (unknown.length > 0) problems.push(`${name}: keys the schema does not know: ${unknown.join(', ')}`);
    if (JSON.stringify(resource.props).includes('${')) problems.push(`${name}: an unresolved variable`);
    return problems;
  });
}

/** The fields an object of FC's API has: each with the fields of its own, or `true` for a value. */
export interface FieldList {
  readonly [field: string]: FieldList | true;
}

/**
 * FC 3.0's EventBridge trigger config (API 2023-03-30: EventBridgeTriggerConfig and the structs
 * under it), whose nested objects fc3's schema leaves open: FC 2.0's `deliveryOption.mode` and
 * `runOptions.maximumTasks` fit the schema, and FC 3.0 ignores them.
 */
export const FC3_EVENTBRIDGE_FIELDS: FieldList = {
  triggerEnable: true,
  asyncInvocationType: true,
  eventRuleFilterPattern: true,
  eventSourceConfig: {
    eventSourceType: true,
    eventSourceParameters: {
      sourceMNSParameters: { RegionId: true, QueueName: true, IsBase64Decode: true },
      sourceRocketMQParameters: fields(
        'RegionId InstanceId Topic Tag Offset Timestamp GroupID InstanceType InstanceEndpoint InstanceUsername ' +
          'InstancePassword FilterType FilterSql AuthType InstanceVpcId InstanceVSwitchIds InstanceSecurityGroupId ' +
          'InstanceNetwork',
      ),
      sourceRabbitMQParameters: fields('RegionId InstanceId VirtualHostName QueueName'),
      sourceKafkaParameters: fields(
        'RegionId InstanceId Topic ConsumerGroup OffsetReset Network VpcId VSwitchIds SecurityGroupId',
      ),
      sourceDTSParameters: fields('RegionId TaskId BrokerUrl Topic Sid Username Password InitCheckPoint'),
      sourceMQTTParameters: fields('RegionId InstanceId Topic'),
    },
  },
  eventSinkConfig: { deliveryOption: { concurrency: true, eventSchema: true } },
  runOptions: {
    mode: true,
    errorsTolerance: true,
    retryStrategy: { PushRetryStrategy: true },
    deadLetterQueue: { Arn: true },
    batchWindow: { CountBasedWindow: true, TimeBasedWindow: true },
  },
};

function fields(names: string): FieldList {
  return Object.fromEntries(names.split(' ').map((name) => [name, true]));
}

/** The field list a schema definition spells out; an object it leaves open takes any field. */
function fieldsOfSchema(node: { properties?: Record<string, unknown> }): FieldList {
  return Object.fromEntries(
    Object.entries(node.properties ?? {}).map(([name, property]) => {
      const nested = (property as { properties?: Record<string, unknown> }).properties;
      return [name, nested && Object.keys(nested).length > 0 ? fieldsOfSchema({ properties: nested }) : true];
    }),
  );
}

/** FC 3.0's fields of each trigger type's `triggerConfig`: its API's where fc3's schema is open, else the schema's. */
export function triggerFields(type: string): FieldList | undefined {
  if (type === 'eventbridge') return FC3_EVENTBRIDGE_FIELDS;
  const definition = TRIGGER_CONFIG_DEFINITIONS[type];
  return definition ? fieldsOfSchema(fc3Schema().definitions[definition]!) : undefined;
}

/** The dotted paths of the fields of `value`, at any depth, that `list` does not have. */
export function unknownFields(value: unknown, list: FieldList, path = ''): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  return Object.entries(value).flatMap(([name, nested]) => {
    const known = list[name];
    const where = path === '' ? name : `${path}.${name}`;
    if (known === undefined) return [where];
    return known === true ? [] : unknownFields(nested, known, where);
  });
}

/**
 * What is wrong with an s.yaml's triggers: a type the schema does not define, a `triggerConfig`
 * its own type's definition refuses, or a field, at any depth, that FC 3.0's API does not have
 * for that type (the schema allows unknown keys, and leaves an EventBridge trigger's nested
 * objects open).
 */
export function triggerProblems(sYaml: SYaml): string[] {
  return Object.values(sYaml.resources).flatMap(({ props }) =>
    (props.triggers ?? []).flatMap((trigger) => {
      const where = `${props.functionName}: trigger ${trigger.triggerName}`;
      const checked = validateTriggerConfig(trigger.triggerType, trigger.triggerConfig);
      if (!checked) return [`${where}: type ${trigger.triggerType} is not one of the schema's`];
      const problems: string[] = [];
      if (!checked.valid) problems.push(`${where}: ${JSON.stringify(checked.errors)}`);
      const unknown = unknownFields(trigger.triggerConfig, triggerFields(trigger.triggerType)!);
      if (unknown.length > 0)
        problems.push(`${where}: fields FC 3.0 does not have for its type: ${unknown.join(', ')}`);
      return problems;
    }),
  );
}

/** FC's ranges of a custom container's health check (API, CustomHealthCheckConfig); the schema has none. */
const HEALTH_CHECK_RANGES: Record<string, [number, number]> = {
  initialDelaySeconds: [0, 120],
  periodSeconds: [1, 120],
  timeoutSeconds: [1, 3],
  failureThreshold: [1, 120],
  successThreshold: [1, 120],
};

/**
 * What is wrong with how FC would scale and probe an s.yaml's instances: an instance concurrency
 * FC 3.0 does not allow (1 to 200), no health check (FC would then send events to an instance
 * that is not listening yet), or a health-check field out of FC's range.
 */
export function instanceProblems(sYaml: SYaml): string[] {
  return Object.values(sYaml.resources).flatMap(({ props }) => {
    const name = props.functionName;
    const problems: string[] = [];
    const concurrency = props.instanceConcurrency;
    if (!Number.isInteger(concurrency) || concurrency! < 1 || concurrency! > 200) {
      problems.push(`${name}: instanceConcurrency ${concurrency} is not 1 to 200`);
    }
    const check = props.customContainerConfig?.healthCheckConfig;
    if (typeof check?.httpGetUrl !== 'string') return [...problems, `${name}: no healthCheckConfig.httpGetUrl`];
    for (const [field, value] of Object.entries(check)) {
      if (field === 'httpGetUrl') continue;
      const range = HEALTH_CHECK_RANGES[field];
      if (!range) problems.push(`${name}: healthCheckConfig.${field} is not one of FC's`);
      else if (typeof value !== 'number' || value < range[0] || value > range[1]) {
        problems.push(`${name}: healthCheckConfig.${field} ${value} is not ${range[0]} to ${range[1]}`);
      }
    }
    return problems;
  });
}

/**
 * What is wrong with an s.yaml's health check for the kernel that serves `functions` as `serve`
 * does: each `httpGetUrl` must be answered `GET` with 200 (FC sends no event until it is).
 */
export async function healthProbeProblems(sYaml: SYaml, functions: Constructor[]): Promise<string[]> {
  const kernel = createKernel({ functions, logSink: () => undefined, env: {} });
  try {
    const problems: string[] = [];
    for (const { props } of Object.values(sYaml.resources)) {
      const path = props.customContainerConfig?.healthCheckConfig?.httpGetUrl;
      if (path === undefined) continue;
      const answer = await kernel.dispatch({ method: 'GET', path, headers: {} });
      if (answer.statusCode !== 200 || answer.headers['x-fc-status'] !== '200') {
        problems.push(`${props.functionName}: GET ${path} answered ${answer.statusCode}: ${String(answer.body)}`);
      }
    }
    return problems;
  } finally {
    await kernel.close();
  }
}

export interface Dockerfile {
  /** Each stage's base image. */
  from: string[];
  expose: number[];
  /** The last CMD, parsed from its JSON form. */
  cmd: unknown;
  /** The last `USER`: who the image runs as. */
  user: string | undefined;
  /** Every instruction, one line each, comments left out. */
  lines: string[];
}

/** The instructions of a Dockerfile that a deployment depends on. */
export function readDockerfile(file: string): Dockerfile {
  const lines = readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const args = (instruction: string) =>
    lines
      .filter((l) => l.toUpperCase().startsWith(`${instruction} `))
      .map((l) => l.slice(instruction.length + 1).trim());
  const cmds = args('CMD');
  return {
    from: args('FROM').map((f) => f.split(/\s+/)[0]!),
    expose: args('EXPOSE').flatMap((e) => e.split(/\s+/).map((p) => Number(p.split('/')[0]))),
    cmd: cmds.length > 0 ? JSON.parse(cmds.at(-1)!) : undefined,
    user: args('USER').at(-1),
    lines,
  };
}

/**
 * What is wrong with how an s.yaml runs its image: each resource must be a custom container
 * whose image is a registry reference and whose port (fc3's default: 9000) the Dockerfile exposes.
 */
export function containerProblems(sYaml: SYaml, dockerfile: Dockerfile): string[] {
  return Object.entries(sYaml.resources).flatMap(([name, { props }]) => {
    const problems: string[] = [];
    if (props.runtime !== 'custom-container') problems.push(`${name}: runtime ${props.runtime}`);
    const image = props.customContainerConfig?.image;
    if (!/^\S+\/\S+:\S+$/.test(image ?? '')) problems.push(`${name}: image ${image} is not <registry>/<name>:<tag>`);
    const port = props.customContainerConfig?.port ?? 9000;
    if (!dockerfile.expose.includes(port)) problems.push(`${name}: port ${port} is not EXPOSEd`);
    return problems;
  });
}

/** The name a function answers to (`x-fc-function-name`), as the kernel names it. */
export function functionNameOf(target: Constructor): string {
  return metadataStore.functionOf(target)?.options.name ?? target.name;
}

/**
 * What is wrong with the functions an s.yaml deploys: its function names must be those `functions`
 * serve, and each must switch on FC's initializer and PreStop calls exactly when its class has the
 * hook (FC calls neither otherwise; a configured hook without one is a wasted call).
 */
export async function hookProblems(sYaml: SYaml, functions: Constructor[]): Promise<string[]> {
  const kernel = createKernel({ functions, logSink: () => undefined, env: {} });
  const served = kernel.functionNames;
  await kernel.close();
  const resources = Object.values(sYaml.resources).map((r) => r.props);
  const deployed = resources.map((p) => p.functionName!);
  const problems: string[] = [];
  if (JSON.stringify([...deployed].sort()) !== JSON.stringify([...served].sort())) {
    problems.push(`deploys ${deployed.join(', ')} but serves ${served.join(', ')}`);
  }
  for (const target of functions) {
    const props = resources.find((p) => p.functionName === functionNameOf(target));
    const kinds = new Set(metadataStore.hooksOf(target).map((h) => h.kind));
    const lifecycle = props?.instanceLifecycleConfig ?? {};
    if (Boolean(lifecycle.initializer?.handler) !== kinds.has('initialize')) {
      problems.push(`${target.name}: initializer configured ${Boolean(lifecycle.initializer?.handler)}`);
    }
    if (Boolean(lifecycle.preStop?.handler) !== kinds.has('preStop')) {
      problems.push(`${target.name}: preStop configured ${Boolean(lifecycle.preStop?.handler)}`);
    }
  }
  return problems;
}
