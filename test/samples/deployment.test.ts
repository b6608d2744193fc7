import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Event, FcFunction, OnInitialize, OnInvoke } from '../../src';
import { KafkaEventBatch } from '../../src/events';
import {
  containerProblems,
  FC3_SCHEMA_PATH,
  fc3ResourceProblems,
  functionNameOf,
  healthProbeProblems,
  hookProblems,
  instanceProblems,
  triggerProblems,
  validateFc3Props,
  type Props,
  type SYaml,
} from '../helpers/fc3Deployment';
import { PROJECT_ROOT, startSample } from './helpers';
import {
  propsOf,
  SAMPLES_DIR,
  sampleDockerfile,
  sampleFunctions,
  sampleNames,
  sampleProps,
  sampleSYaml,
} from './sampleFiles';
import {
  describeType,
  eventClassOf,
  eventTypeOf,
  isClassOrSubclass,
  KAFKA_SOURCE_OPTIONAL,
  KAFKA_SOURCE_REQUIRED,
} from './triggers';

const SHARED_SCHEMA_PATH = join(PROJECT_ROOT, '../shared/fc3/props.schema.json');

/** A deployable resource of one function, `props` layered over it. */
function oneResource(props: Partial<Props>): SYaml {
  const base: Props = {
    region: 'cn-hangzhou',
    functionName: 'f',
    runtime: 'custom-container',
    instanceConcurrency: 10,
    customContainerConfig: {
      image: 'registry.cn-hangzhou.aliyuncs.com/ns/f:1',
      healthCheckConfig: { httpGetUrl: '/' },
    },
  };
  return { edition: '3.0.0', resources: { f: { component: 'fc3', props: { ...base, ...props } } } };
}

@FcFunction({ name: 'f' })
class Echo {
  @OnInvoke() handle(@Event() event: unknown) {
    return event;
  }
}

@FcFunction({ name: 'g' })
class WarmEcho {
  @OnInitialize() warmUp() {}
  @OnInvoke() handle(@Event() event: unknown) {
    return event;
  }
}

describe('samples deployment files', () => {
  it('vendors the fc3 schema unchanged', function () {
    if (!existsSync(SHARED_SCHEMA_PATH)) this.skip();
    expect(readFileSync(FC3_SCHEMA_PATH, 'utf8')).to.equal(readFileSync(SHARED_SCHEMA_PATH, 'utf8'));
  });

  it('the schema rejects a custom container without customContainerConfig', () => {
    expect(validateFc3Props({ region: 'cn-hangzhou', functionName: 'f', runtime: 'custom-container' }).valid).to.equal(
      false,
    );
    expect(validateFc3Props({ region: 'nowhere', functionName: 'f', runtime: 'custom-container' }).valid).to.equal(
      false,
    );
  });

  it('the checks find a resource that is not fc3, an unknown key and an unresolved variable', () => {
    const props = { region: 'cn-hangzhou', functionName: 'f', runtime: 'custom-container', customContainerConfig: {} };
    const problems = fc3ResourceProblems({
      edition: '3.0.0',
      resources: { f: { component: 'fc', props: { ...props, initializer: {}, description: '${vars.nope}' } } },
    });
    expect(problems).to.have.length(3);
    expect(problems[0]).to.include('not fc3');
    expect(problems[1]).to.include('initializer');
    expect(problems[2]).to.include('unresolved');
  });

  it("checks a trigger's config against its own type's definition, which the schema's anyOf does not", () => {
    const timerConfig = { cronExpression: '0 0 8 * * *', enable: true };
    const timerUnderOss = oneResource({
      triggers: [{ triggerName: 't', triggerType: 'oss', triggerConfig: timerConfig }],
    });
    expect(fc3ResourceProblems(timerUnderOss)).to.deep.equal([]);
    const problems = triggerProblems(timerUnderOss);
    expect(problems).to.have.length(2);
    expect(problems[0]).to.include('f: trigger t: ');
    expect(problems[1]).to.include('fields FC 3.0 does not have for its type: cronExpression, enable');
    expect(
      triggerProblems(
        oneResource({ triggers: [{ triggerName: 't', triggerType: 'timer', triggerConfig: timerConfig }] }),
      ),
    ).to.deep.equal([]);
    expect(
      triggerProblems(
        oneResource({ triggers: [{ triggerName: 't', triggerType: 'carrier-pigeon', triggerConfig: {} }] }),
      ),
    ).to.deep.equal(["f: trigger t: type carrier-pigeon is not one of the schema's"]);
  });

  it("checks an EventBridge trigger's nested fields against FC 3.0's, which the schema leaves open: FC 2.0's are found", () => {
    const kafka = (deliveryOption: object, runOptions: object) =>
      oneResource({
        triggers: [
          {
            triggerName: 'k',
            triggerType: 'eventbridge',
            triggerConfig: {
              triggerEnable: true,
              asyncInvocationType: false,
              eventRuleFilterPattern: '{}',
              eventSourceConfig: {
                eventSourceType: 'Kafka',
                eventSourceParameters: { sourceKafkaParameters: { RegionId: 'cn-hangzhou', Topic: 't' } },
              },
              eventSinkConfig: { deliveryOption },
              runOptions,
            },
          },
        ],
      });
    const fc2 = kafka(
      { mode: 'event-streaming', eventSchema: 'CloudEvents' },
      { mode: 'event-streaming', maximumTasks: 2, batchWindow: { CountBasedWindow: 100, TimeWindow: 10 } },
    );
    expect(fc3ResourceProblems(fc2)).to.deep.equal([]);
    expect(triggerProblems(fc2)).to.deep.equal([
      'f: trigger k: fields FC 3.0 does not have for its type: eventSinkConfig.deliveryOption.mode, ' +
        'runOptions.maximumTasks, runOptions.batchWindow.TimeWindow',
    ]);
    const fc3 = kafka(
      { concurrency: 2, eventSchema: 'CloudEvents' },
      { mode: 'event-streaming', batchWindow: { CountBasedWindow: 100, TimeBasedWindow: 10 } },
    );
    expect(triggerProblems(fc3)).to.deep.equal([]);
  });

  it('the checks find an instance concurrency FC does not allow, a missing health check and one out of range', () => {
    expect(instanceProblems(oneResource({}))).to.deep.equal([]);
    expect(instanceProblems(oneResource({ instanceConcurrency: 201 }))).to.deep.equal([
      'f: instanceConcurrency 201 is not 1 to 200',
    ]);
    expect(instanceProblems(oneResource({ customContainerConfig: { image: 'r/f:1' } }))).to.deep.equal([
      'f: no healthCheckConfig.httpGetUrl',
    ]);
    const check = { httpGetUrl: '/', timeoutSeconds: 5, periodSeconds: 3, every: 1 };
    expect(instanceProblems(oneResource({ customContainerConfig: { healthCheckConfig: check } }))).to.deep.equal([
      'f: healthCheckConfig.timeoutSeconds 5 is not 1 to 3',
      "f: healthCheckConfig.every is not one of FC's",
    ]);
  });

  it("the hook check reads each function's own resource", async () => {
    const f = oneResource({}).resources.f!;
    const g = {
      component: 'fc3',
      props: { ...f.props, functionName: 'g', instanceLifecycleConfig: { initializer: { handler: 'init' } } },
    };
    expect(await hookProblems({ edition: '3.0.0', resources: { f, g } }, [Echo, WarmEcho])).to.deep.equal([]);
    const swapped = {
      f: { ...f, props: { ...f.props, ...g.props, functionName: 'f' } },
      g: { ...g, props: { ...f.props, functionName: 'g' } },
    };
    expect(await hookProblems({ edition: '3.0.0', resources: swapped }, [Echo, WarmEcho])).to.deep.equal([
      'Echo: initializer configured true',
      'WarmEcho: initializer configured false',
    ]);
  });

  it('the probe check finds a health check path the kernel does not answer', async () => {
    expect(await healthProbeProblems(oneResource({}), [Echo])).to.deep.equal([]);
    const unanswered = oneResource({ customContainerConfig: { healthCheckConfig: { httpGetUrl: '/healthz' } } });
    const problems = await healthProbeProblems(unanswered, [Echo]);
    expect(problems).to.have.length(1);
    expect(problems[0]).to.match(/^f: GET \/healthz answered 404/);
  });

  it('finds every sample, the new ones included', () => {
    expect(sampleNames()).to.include.members([
      'hello',
      'order-service',
      'oss-image-audit',
      'timer-report',
      'kafka-ingest',
    ]);
  });

  for (const sample of sampleNames()) {
    describe(`samples/${sample}`, () => {
      it('has a README.md, a Dockerfile, an s.yaml, an index.ts entry and a main.ts', () => {
        for (const file of ['README.md', 'Dockerfile', 's.yaml', 'index.ts', 'main.ts']) {
          expect(existsSync(join(SAMPLES_DIR, sample, file)), file).to.equal(true);
        }
      });

      it('s.yaml parses and every resource is an fc3 resource whose props fit the schema', () => {
        const sYaml = sampleSYaml(sample);
        expect(sYaml.edition).to.equal('3.0.0');
        expect(Object.keys(sYaml.resources).length).to.be.greaterThan(0);
        expect(fc3ResourceProblems(sYaml)).to.deep.equal([]);
      });

      it('deploys a custom container on the port its Dockerfile exposes', () => {
        expect(containerProblems(sampleSYaml(sample), sampleDockerfile(sample))).to.deep.equal([]);
      });

      it('sets an instance concurrency FC 3.0 allows, and a health check within its ranges', () => {
        expect(instanceProblems(sampleSYaml(sample))).to.deep.equal([]);
      });

      it("its functions' kernel answers the health check's httpGetUrl with 200, as FC's probe needs before any event", async () => {
        expect(await healthProbeProblems(sampleSYaml(sample), sampleFunctions(sample))).to.deep.equal([]);
      });

      it("the Dockerfile builds on node:20-slim and runs fc-kernel build's bundle of the sample's entry or main module, not as root", () => {
        const dockerfile = sampleDockerfile(sample);
        expect(dockerfile.user).to.equal('node');
        expect(dockerfile.from).to.have.length.of.at.least(2);
        for (const image of dockerfile.from) expect(image).to.equal('node:20-slim');
        // The main module when it passes serve() options (order-service's idempotency store).
        const entry = ['index.js', 'main.js']
          .map((file) => `dist/samples/${sample}/${file}`)
          .find((file) => dockerfile.lines.includes(`RUN node dist/src/cli/main.js build ${file} --out dist-bundle`));
        expect(entry, 'a RUN line that builds the entry or the main module').to.not.equal(undefined);
        expect(dockerfile.cmd).to.deep.equal(['node', 'index.js']);
        expect(existsSync(join(PROJECT_ROOT, entry!)), `${entry} after npm run build`).to.equal(true);
      });

      it('deploys the functions its entry exports, and configures FC to call the hooks they declare', async () => {
        expect(await hookProblems(sampleSYaml(sample), sampleFunctions(sample))).to.deep.equal([]);
      });

      it("configures each trigger as its type's definition says, for the event class the function takes", () => {
        expect(triggerProblems(sampleSYaml(sample))).to.deep.equal([]);
        for (const target of sampleFunctions(sample)) {
          const props = propsOf(sample, functionNameOf(target));
          for (const trigger of props.triggers ?? []) {
            const where = `${props.functionName}: trigger ${trigger.triggerName}`;
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

      const kafkaTriggers = sampleProps(sample).flatMap((props) =>
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
            expect(config.eventSinkConfig.deliveryOption).to.include({ eventSchema: 'CloudEvents' });
            expect(config.runOptions).to.include({ mode: 'event-streaming' });
          }
        });
      }

      if (existsSync(join(SAMPLES_DIR, sample, 'event.json'))) {
        it("event.json is answered by `fc-kernel invoke`, in the environment of the sample's s.yaml", async () => {
          const [target, ...others] = sampleFunctions(sample);
          expect(others, 'one function, so that event.json has one to go to').to.deep.equal([]);
          const env = propsOf(sample, functionNameOf(target!)).environmentVariables ?? {};
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
