import Ajv, { type ValidateFunction } from 'ajv';
import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createKernel, metadataStore, type Constructor } from '../../src';
import { loadEntry } from '../../src/cli/loadEntry';
import { KafkaEventBatch } from '../../src/events';
import { PROJECT_ROOT, startSample } from './helpers';
import { readSYaml, SAMPLES_DIR, type Props } from './sYaml';
import {
  describeType,
  eventClassOf,
  eventTypeOf,
  isClassOrSubclass,
  KAFKA_SOURCE_OPTIONAL,
  KAFKA_SOURCE_REQUIRED,
  TRIGGER_CONFIG_DEFINITIONS,
} from './triggers';

const SCHEMA_PATH = join(PROJECT_ROOT, 'test/fixtures/fc3/props.schema.json');
const SHARED_SCHEMA_PATH = join(PROJECT_ROOT, '../shared/fc3/props.schema.json');

const sampleNames = readdirSync(SAMPLES_DIR, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

/** The functions a sample deploys: what its compiled index entry exports, as `fc-kernel invoke` loads it. */
function functionsOf(sample: string): Constructor[] {
  return loadEntry(`dist/samples/${sample}/index.js`, PROJECT_ROOT).functions;
}

/** The name a function answers to (`x-fc-function-name`). */
function nameOf(target: Constructor): string {
  return metadataStore.functionOf(target)!.options.name ?? target.name;
}

/** FC's ranges of a custom container's health check (API, CustomHealthCheckConfig); the schema has none. */
const HEALTH_CHECK_RANGES: Record<string, [number, number]> = {
  initialDelaySeconds: [0, 120],
  periodSeconds: [1, 120],
  timeoutSeconds: [1, 3],
  failureThreshold: [1, 120],
  successThreshold: [1, 120],
};

interface Dockerfile {
  from: string[];
  expose: number[];
  cmd: unknown;
  /** The last `USER`: who the image runs as. */
  user: string | undefined;
}

function readDockerfile(sample: string): Dockerfile {
  const lines = readFileSync(join(SAMPLES_DIR, sample, 'Dockerfile'), 'utf8')
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
  };
}

function allProps(sample: string): Props[] {
  return Object.values(readSYaml(sample).resources).map((r) => r.props);
}

describe('samples deployment files', () => {
  let validateProps: ValidateFunction;
  let triggerConfigValidator: (type: string) => ValidateFunction | undefined;
  let schema: { properties: Record<string, unknown>; definitions: Record<string, { properties?: object }> };

  before(() => {
    schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as typeof schema;
    const ajv = new Ajv({ allErrors: true, strict: false });
    ajv.addSchema(schema, 'fc3');
    validateProps = ajv.getSchema('fc3')!;
    triggerConfigValidator = (type) => {
      const definition = TRIGGER_CONFIG_DEFINITIONS[type];
      return definition ? ajv.getSchema(`fc3#/definitions/${definition}`) : undefined;
    };
  });

  it('vendors the fc3 schema unchanged', function () {
    if (!existsSync(SHARED_SCHEMA_PATH)) this.skip();
    expect(readFileSync(SCHEMA_PATH, 'utf8')).to.equal(readFileSync(SHARED_SCHEMA_PATH, 'utf8'));
  });

  it('the schema rejects a custom container without customContainerConfig', () => {
    expect(validateProps({ region: 'cn-hangzhou', functionName: 'f', runtime: 'custom-container' })).to.equal(false);
    expect(validateProps({ region: 'nowhere', functionName: 'f', runtime: 'custom-container' })).to.equal(false);
  });

  it("checks a trigger's config against its own type's definition, which the schema's anyOf does not", () => {
    const timerConfig = { cronExpression: '0 0 8 * * *', enable: true };
    const props = {
      region: 'cn-hangzhou',
      functionName: 'f',
      runtime: 'custom-container',
      customContainerConfig: { image: 'registry.cn-hangzhou.aliyuncs.com/ns/f:1' },
      triggers: [{ triggerName: 't', triggerType: 'oss', triggerConfig: timerConfig }],
    };
    expect(validateProps(props)).to.equal(true);
    expect(triggerConfigValidator('oss')!(timerConfig)).to.equal(false);
    expect(triggerConfigValidator('timer')!(timerConfig)).to.equal(true);
  });

  it('finds every sample, the new ones included', () => {
    expect(sampleNames).to.include.members([
      'hello',
      'order-service',
      'oss-image-audit',
      'timer-report',
      'kafka-ingest',
    ]);
  });

  for (const sample of sampleNames) {
    describe(`samples/${sample}`, () => {
      it('has a README.md, a Dockerfile, an s.yaml, an index.ts entry and a main.ts', () => {
        for (const file of ['README.md', 'Dockerfile', 's.yaml', 'index.ts', 'main.ts']) {
          expect(existsSync(join(SAMPLES_DIR, sample, file)), file).to.equal(true);
        }
      });

      it('s.yaml parses and every resource is an fc3 resource whose props fit the schema', () => {
        const sYaml = readSYaml(sample);
        expect(sYaml.edition).to.equal('3.0.0');
        const resources = Object.entries(sYaml.resources);
        expect(resources.length).to.be.greaterThan(0);
        for (const [name, resource] of resources) {
          expect(resource.component, name).to.equal('fc3');
          const valid = validateProps(resource.props);
          expect(valid, `${name}: ${JSON.stringify(validateProps.errors, null, 2)}`).to.equal(true);
          // The schema allows unknown keys: a misplaced one (say, initializer at the top) would pass.
          expect(
            Object.keys(resource.props).filter((k) => !(k in schema.properties)),
            name,
          ).to.deep.equal([]);
          expect(JSON.stringify(resource.props), `${name}: an unresolved variable`).to.not.include('${');
        }
      });

      it('deploys a custom container on the port its Dockerfile exposes', () => {
        const dockerfile = readDockerfile(sample);
        for (const props of allProps(sample)) {
          const name = props.functionName;
          expect(props.runtime, name).to.equal('custom-container');
          expect(props.customContainerConfig?.image, name).to.match(/^\S+\/\S+:\S+$/);
          // fc3 documents 9000 as the port when none is given.
          expect(dockerfile.expose, name).to.include(props.customContainerConfig?.port ?? 9000);
        }
      });

      it('sets an instance concurrency FC 3.0 allows, and a health check, if any, on GET / within its ranges', () => {
        for (const props of allProps(sample)) {
          const name = props.functionName;
          expect(props.instanceConcurrency, name).to.be.a('number').within(1, 200);
          const check = props.customContainerConfig?.healthCheckConfig;
          if (!check) continue;
          // The kernel's readiness answer: GET / is 200 once the server listens.
          expect(check.httpGetUrl, name).to.equal('/');
          for (const [field, value] of Object.entries(check)) {
            if (field === 'httpGetUrl') continue;
            expect(HEALTH_CHECK_RANGES, `${name}: healthCheckConfig.${field}`).to.have.property(field);
            expect(value, `${name}: healthCheckConfig.${field}`).to.be.within(...HEALTH_CHECK_RANGES[field]!);
          }
        }
      });

      it("the Dockerfile builds on node:20-slim and runs the sample's compiled main.js, not as root", () => {
        const dockerfile = readDockerfile(sample);
        expect(dockerfile.user).to.equal('node');
        expect(dockerfile.from).to.have.length.of.at.least(2);
        for (const image of dockerfile.from) expect(image).to.equal('node:20-slim');
        const entry = `dist/samples/${sample}/main.js`;
        expect(dockerfile.cmd).to.deep.equal(['node', entry]);
        expect(existsSync(join(PROJECT_ROOT, entry)), `${entry} after npm run build`).to.equal(true);
      });

      it('deploys the functions its entry exports, and configures FC to call the hooks they declare', async () => {
        const functions = functionsOf(sample);
        const kernel = createKernel({ functions, logSink: () => undefined, env: {} });
        const served = kernel.functionNames;
        await kernel.close();
        const resources = allProps(sample);
        expect(resources.map((p) => p.functionName).sort()).to.deep.equal([...served].sort());
        for (const target of functions) {
          const props = resources.find((p) => p.functionName === nameOf(target))!;
          const kinds = new Set(metadataStore.hooksOf(target).map((h) => h.kind));
          const lifecycle = props.instanceLifecycleConfig ?? {};
          expect(Boolean(lifecycle.initializer?.handler), 'initializer').to.equal(kinds.has('initialize'));
          expect(Boolean(lifecycle.preStop?.handler), 'preStop').to.equal(kinds.has('preStop'));
        }
      });

      it("configures each trigger as its type's definition says, for the event class the function takes", () => {
        for (const target of functionsOf(sample)) {
          const props = allProps(sample).find((p) => p.functionName === nameOf(target))!;
          for (const trigger of props.triggers ?? []) {
            const where = `${props.functionName}: trigger ${trigger.triggerName}`;
            const validate = triggerConfigValidator(trigger.triggerType);
            expect(validate, `${where}: a trigger type of the schema`).to.not.equal(undefined);
            expect(validate!(trigger.triggerConfig), `${where}: ${JSON.stringify(validate!.errors)}`).to.equal(true);
            const definition = schema.definitions[TRIGGER_CONFIG_DEFINITIONS[trigger.triggerType]!]!;
            expect(
              Object.keys(trigger.triggerConfig).filter((k) => !(k in (definition.properties ?? {}))),
              `${where}: keys its type does not have`,
            ).to.deep.equal([]);
            const expected = eventClassOf(trigger);
            expect(expected, `${where}: an event class of fc-kernel/events is known for it`).to.not.equal(undefined);
            const takes = eventTypeOf(target);
            expect(
              isClassOrSubclass(takes, expected!),
              `${where}: the function takes ${describeType(takes)}, the trigger sends ${expected!.name}`,
            ).to.equal(true);
          }
        }
      });

      const kafkaTriggers = allProps(sample).flatMap((props) =>
        (props.triggers ?? [])
          .filter((t) => eventClassOf(t) === KafkaEventBatch)
          .map((trigger) => ({ props, trigger })),
      );
      if (kafkaTriggers.length > 0) {
        it('a Kafka trigger sends CloudEvents in event-streaming mode, from a complete source, as KafkaEventBatch reads them', () => {
          for (const { props, trigger } of kafkaTriggers) {
            const config = trigger.triggerConfig as {
              eventSourceConfig: { eventSourceParameters: { sourceKafkaParameters?: Record<string, unknown> } };
              eventSinkConfig: { deliveryOption: Record<string, unknown> };
              runOptions: Record<string, unknown>;
            };
            const source = config.eventSourceConfig.eventSourceParameters.sourceKafkaParameters ?? {};
            expect(source).to.include.all.keys(KAFKA_SOURCE_REQUIRED);
            expect(Object.keys(source)).to.satisfy((keys: string[]) =>
              keys.every((k) => [...KAFKA_SOURCE_REQUIRED, ...KAFKA_SOURCE_OPTIONAL].includes(k)),
            );
            expect(source.OffsetReset).to.be.oneOf(['earliest', 'latest']);
            expect(source.RegionId, 'the Kafka instance is in the function region').to.equal(props.region);
            expect(config.eventSinkConfig.deliveryOption).to.include({
              mode: 'event-streaming',
              eventSchema: 'CloudEvents',
            });
            expect(config.runOptions).to.include({ mode: 'event-streaming' });
          }
        });
      }

      if (existsSync(join(SAMPLES_DIR, sample, 'event.json'))) {
        it("event.json is answered by `fc-kernel invoke`, in the environment of the sample's s.yaml", async () => {
          const [target, ...others] = functionsOf(sample);
          expect(others, 'one function, so that event.json has one to go to').to.deep.equal([]);
          const env = allProps(sample).find((p) => p.functionName === nameOf(target!))!.environmentVariables ?? {};
          // Its own process, as a user runs it: the sample's default services, not this process's.
          const invoked = startSample('src/cli/main.js', env, [
            'invoke',
            `dist/samples/${sample}/index.js`,
            '--event',
            `samples/${sample}/event.json`,
          ]);
          expect(await invoked.exited, invoked.stdout() + invoked.stderr()).to.deep.equal({ code: 0, signal: null });
          expect(() => JSON.parse(invoked.stdout())).to.not.throw();
        });
      }
    });
  }
});
