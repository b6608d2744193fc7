import { expect } from 'chai';
import { createKernel, ConfigurationError } from '../../src';
import { loadEntry } from '../../src/cli/loadEntry';
import { describeFunctions } from '../../src/plan/describeFunctions';
import { cli, fixture, ORDER_ENTRY, PROJECT_ROOT, spawnCli } from './helpers';

const EVENTS = fixture('inspectEvents');
const MISTAKES = fixture('inspectMistakes');
const CREDENTIALS = {
  ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAI5tInspectKeyId0001',
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'inspectSecret-9a8b7c6d5e',
  ALIBABA_CLOUD_SECURITY_TOKEN: 'CAISinspectSecurityToken+/==',
};

interface InspectJson {
  entry: string;
  functions: {
    name: string;
    className: string;
    hooks: unknown[];
    event: unknown;
    validation: unknown;
    services: unknown[];
  }[];
  problems: { code: string; where: Record<string, unknown>; message: string }[];
}

async function inspectJson(entry: string): Promise<{ code: number | null; json: InspectJson; stderr: string }> {
  const run = await cli(['inspect', entry, '--json']);
  return { code: run.code, json: JSON.parse(run.stdout) as InspectJson, stderr: run.stderr };
}

describe('fc-kernel inspect <entry>', () => {
  it('warns that an interface event is not validated, and still serves it: exit 0, no problem', async () => {
    const run = await cli(['inspect', fixture('inspectRawJson')]);
    expect(run.code, run.stderr).to.equal(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).to.equal(`${fixture('inspectRawJson')}: 1 function, no configuration problems`);
    const event = lines.indexOf('  event  Object: parsed JSON, unvalidated');
    expect(event, run.stdout).to.be.at.least(0);
    expect(lines[event + 1]).to.equal(
      '    ✗ nothing in it is validated: an interface or `object` leaves no class at run time. To validate the event, declare it as a class with class-validator decorators; to take raw JSON on purpose, keep it (or say so with @Event(Object))',
    );
  });

  describe('the order sample', () => {
    it('prints each function as a tree: hooks, the event with its nested constraints, settings, services; exit 0', async () => {
      const run = await cli(['inspect', ORDER_ENTRY]);
      expect(run.code, run.stderr).to.equal(0);
      expect(run.stderr).to.equal('');
      const lines = run.stdout.split('\n');
      expect(lines[0]).to.equal(`${ORDER_ENTRY}: 1 function, no configuration problems`);
      for (const line of [
        'create-order  class CreateOrderFunction',
        '    initialize  warmUp(ctx)',
        '    invoke      createOrder(event CreateOrder, ctx)',
        '    preStop     flush(ctx)',
        '  event  CreateOrder: a JSON object, transformed and validated',
        '    class CreateOrder',
        '        orderId: String  isString, isNotEmpty',
        '        customerEmail: String  isEmail',
        '        items: OrderItem[]  isArray, arrayMinSize(1), arrayMaxSize(100), nestedValidation [each]',
        '          sku: String  isString, isNotEmpty',
        '          quantity: Number  isInt, min(1)',
        '          unitPrice: Number  isNumber({"allowNaN":false,"allowInfinity":false}), min(0)',
        '        couponCode?: String  isOptional, isString',
        '    maxEventNodes 100000, maxObjectKeys 1000, maxArrayElements 10000',
        '    0  PricingService: class, transient',
        '    1  Symbol(OrderRepository): registered class InMemoryOrderRepository, singleton',
      ]) {
        expect(lines, line).to.include(line);
      }
      expect(run.stdout).to.match(/engine {2}compiled: /);
    });

    it('--json: the description with stable keys, { entry, functions, problems, warnings }', async () => {
      const { code, json } = await inspectJson(ORDER_ENTRY);
      expect(code).to.equal(0);
      expect(Object.keys(json)).to.deep.equal(['entry', 'functions', 'problems', 'warnings']);
      expect(json.entry).to.equal(ORDER_ENTRY);
      expect(json.problems).to.deep.equal([]);
      const [fn] = json.functions;
      expect(Object.keys(fn!)).to.deep.equal([
        'name',
        'className',
        'hooks',
        'interceptors',
        'event',
        'validation',
        'services',
        'warnings',
      ]);
      expect(fn).to.deep.include({ name: 'create-order', className: 'CreateOrderFunction' });
      // Exactly what describeFunctions answers for the entry's functions, as JSON carries it.
      const entry = loadEntry(ORDER_ENTRY, PROJECT_ROOT);
      expect(json.functions).to.deep.equal(
        JSON.parse(JSON.stringify(describeFunctions({ functions: entry.functions }).functions)),
      );
    });
  });

  describe('typed trigger events and array events', () => {
    it('shows OssEvent, [OrderLine], KafkaEventBatch and a Timer payload like any DTO', async () => {
      const run = await cli(['inspect', EVENTS]);
      expect(run.code, run.stdout + run.stderr).to.equal(0);
      for (const line of [
        '    invoke  handle(event OssEvent, inject AuditTrail)',
        '      parameter 1  AuditTrail: registered class, container-scoped',
        "        0  FC_LOGGER: the invocation's own",
        '  event  OssEvent: a JSON object, transformed and validated',
        '      settings  @ValidationSettings({"whitelist":true,"forbidNonWhitelisted":false}), over the function\'s',
        '        events: OssEventRecord[]  isArray, nestedValidation [each]',
        '    invoke  handle(event [OrderLine], header x-fc-qualifier)',
        '  event  [OrderLine]: a JSON array of at most 10000 objects, each validated on its own',
        '    set by @FcFunction: {"stopAtFirstError":true}',
        '  event  KafkaEventBatch: a JSON array of at most 10000 strings of JSON, each validated on its own, handed over as a KafkaEventBatch',
        '    each element (a string of JSON)',
        '      class KafkaEvent',
        '        payload in data, validated on its own',
        '          class KafkaMessage',
        '      payload in payload (a string of JSON), validated on its own',
        '        class ReportConfig',
        '            recipients: Array  isEmail({}) [each]',
        '  event  Buffer: the raw bytes',
        '        class MnsQueueMessage<Refund>',
        '          payload in messageBody (a string of JSON), validated on its own',
        '            class Refund',
        '                amountCents: Number  isInt, min(1)',
      ]) {
        expect(run.stdout.split('\n'), line).to.include(line);
      }
    });

    it('--json: the array form and the envelope as data', async () => {
      const { json } = await inspectJson(EVENTS);
      const byName = new Map(json.functions.map((f) => [f.name, f]));
      expect(byName.get('lines')!.event).to.deep.include({ type: '[OrderLine]', decoding: 'validated' });
      expect(byName.get('kafka')!.event).to.nested.include({
        'validation.form': 'array',
        'validation.elements': 'json-string',
        'validation.element.class': 'KafkaEvent',
        'validation.element.envelope.payload.class': 'KafkaMessage',
      });
      expect(byName.get('refund')!.event).to.nested.include({
        'validation.class': 'RefundMessage',
        'validation.envelope.payload.class': 'MnsQueueMessage<Refund>',
        'validation.envelope.payload.envelope.property': 'messageBody',
        'validation.envelope.payload.envelope.encoding': 'json-string',
        'validation.envelope.payload.envelope.payload.class': 'Refund',
      });
      expect(byName.get('report')!.event).to.nested.include({
        'validation.class': 'ReportTick',
        'validation.envelope.property': 'payload',
        'validation.envelope.encoding': 'json-string',
      });
    });
  });

  describe('configuration problems', () => {
    it('lists every one of them with its code and where, not only the first; exit 1', async () => {
      // Before: the kernel, and so serve and invoke, name the first only.
      const entry = loadEntry(MISTAKES, PROJECT_ROOT);
      let thrown: unknown;
      try {
        createKernel({ functions: entry.functions, env: {}, logSink: () => undefined });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).to.be.instanceOf(ConfigurationError);

      const run = await cli(['inspect', MISTAKES]);
      expect(run.code).to.equal(1);
      const lines = run.stdout.split('\n');
      expect(lines[0]).to.equal(`${MISTAKES}: 2 functions, 6 configuration problems`);
      expect(lines).to.include(
        '    invoke  handle(event Signup ✗ NESTED_WITHOUT_TYPE, (no decorator) ✗ UNDECORATED_PARAMETER, header x-fc-access-key-secret ✗ SECRET_HEADER)',
      );
      expect(lines).to.include('    0  Symbol(Mailer): not registered ✗ UNREGISTERED_DEPENDENCY');
      expect(lines).to.include("    0  FC_CONTEXT: the invocation's own ✗ CONTEXT_OUTSIDE_INVOCATION");
      const listed = lines.slice(lines.indexOf('6 configuration problems:') + 1).filter((l) => l.startsWith('  ✗ '));
      expect(listed).to.deep.equal([
        '  ✗ [NESTED_WITHOUT_TYPE] at SignupFunction.handle, parameter 0, property address',
        '  ✗ [UNDECORATED_PARAMETER] at SignupFunction.handle, parameter 1',
        '  ✗ [SECRET_HEADER] at SignupFunction.handle, parameter 2',
        '  ✗ [UNREGISTERED_DEPENDENCY] at SignupFunction constructor, parameter 0',
        '  ✗ [DUPLICATE_FUNCTION_NAME] at SignupAgain',
        '  ✗ [CONTEXT_OUTSIDE_INVOCATION] at SignupAgain constructor, parameter 0',
      ]);
      // Each listed with its message, the first as the kernel throws it.
      expect(run.stdout).to.include(`    ${(thrown as Error).message}\n`);
      expect(run.stdout).to.include('    Two functions are named "signup" (SignupFunction and SignupAgain)');
    });

    it('--json: the problems as data, the functions described as far as they can be', async () => {
      const { code, json } = await inspectJson(MISTAKES);
      expect(code).to.equal(1);
      expect(json.problems.map((p) => [p.code, p.where])).to.deep.equal([
        ['NESTED_WITHOUT_TYPE', { className: 'SignupFunction', method: 'handle', parameter: 0, property: 'address' }],
        ['UNDECORATED_PARAMETER', { className: 'SignupFunction', method: 'handle', parameter: 1 }],
        ['SECRET_HEADER', { className: 'SignupFunction', method: 'handle', parameter: 2 }],
        ['UNREGISTERED_DEPENDENCY', { className: 'SignupFunction', parameter: 0 }],
        ['DUPLICATE_FUNCTION_NAME', { className: 'SignupAgain' }],
        ['CONTEXT_OUTSIDE_INVOCATION', { className: 'SignupAgain', parameter: 0 }],
      ]);
      expect(json.functions.map((f) => f.className)).to.deep.equal(['SignupFunction', 'SignupAgain']);
    });

    it('two hooks of a kind: listed, and the function says no handler could be compiled', async () => {
      const run = await cli(['inspect', fixture('misconfigured')]);
      expect(run.code).to.equal(1);
      expect(run.stdout).to.include('  event  unknown: no @OnInvoke() handler could be compiled ✗\n');
      expect(run.stdout).to.include('  ✗ [DUPLICATE_HOOK] at Misconfigured.two\n');
    });

    it('a decorator misused, which throws while the entry loads: listed as the one problem, exit 1', async () => {
      const { code, json } = await inspectJson(fixture('inspectMisuse'));
      expect(code).to.equal(1);
      expect(json.functions).to.deep.equal([]);
      expect(json.problems.map((p) => p.code)).to.deep.equal(['DECORATOR_MISUSE']);
      expect(json.problems[0]!.message).to.include('@Event() is for handler parameters, not constructor parameters');
    });
  });

  describe('usage', () => {
    it('--help: the usage on stdout, exit 0', async () => {
      const run = await cli(['inspect', '--help']);
      expect(run.code).to.equal(0);
      expect(run.stdout).to.match(/^Usage:\n {2}fc-kernel inspect <entry> \[--json\]\n/);
      expect(run.stdout).to.include('Exit status:');
      expect((await cli(['--help'])).stdout).to.include('  inspect  describe the entry');
    });

    it('exit 2 for no entry, two, an unknown option, a missing entry, TypeScript source, an entry without functions', async () => {
      const cases: [string[], string][] = [
        [['inspect'], 'give exactly one entry to inspect'],
        [['inspect', ORDER_ENTRY, ORDER_ENTRY], 'give exactly one entry to inspect'],
        [['inspect', ORDER_ENTRY, '--jsn'], "Unknown option '--jsn'"],
        [['inspect', 'dist/nowhere/index.js'], 'cannot find the entry dist/nowhere/index.js'],
        [['inspect', 'samples/order-service/index.ts'], 'is TypeScript source'],
        [['inspect', fixture('noFunctions')], 'exports no @FcFunction class'],
        [['inspect', fixture('throwsOnLoad')], 'failed: Error: CONFIG_URL is not set'],
      ];
      for (const [argv, message] of cases) {
        const run = await cli(argv);
        expect(run.code, argv.join(' ')).to.equal(2);
        expect(run.stdout).to.equal('');
        expect(run.stderr).to.include(`fc-kernel inspect: `).and.include(message);
      }
    });
  });

  describe('credentials', () => {
    it('never appear, even where an entry put them into a constraint, a token or a value', async () => {
      for (const format of [[], ['--json']]) {
        const run = await spawnCli(['inspect', fixture('inspectSecrets'), ...format], { env: CREDENTIALS });
        expect(run.code, run.stderr).to.equal(0);
        for (const value of Object.values(CREDENTIALS)) {
          expect(run.stdout).to.not.include(value);
          expect(run.stderr).to.not.include(value);
        }
        // The places they would have been: redacted, not left out.
        expect(run.stdout).to.include('contains').and.include('[redacted]');
        expect(run.stdout).to.include('signing-key-[redacted]');
      }
    });
  });
});

describe('fc-kernel inspect: batch handlers and their triggers', () => {
  const ENTRY = fixture('batchTriggers/index');

  it("shows each batch handler's policy, and warns of what the s.yaml beside it sets against it", async () => {
    const run = await cli(['inspect', ENTRY]);
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.match(
      /batch: fail-batch over KafkaEventBatch, ordered by partition, 1 at a time, records remembered +provider/,
    );
    expect(run.stdout).to.match(/batch: dead-letter over \[MnsQueueEvent\], 1 at a time, not remembered +provider/);
    expect(run.stdout).to.include('2 warnings:');
    expect(run.stdout).to.include(
      'test/cli/fixtures/batchTriggers/s.yaml: resource ingest, trigger topic: errorsTolerance NONE (the default) before ingest, whose batch policy is fail-batch: one record that always fails blocks the stream',
    );
    expect(run.stdout).to.include(
      'test/cli/fixtures/batchTriggers/s.yaml: resource refunds, trigger queue: has a deadLetterQueue but errorsTolerance NONE: FC sends a batch to the dead-letter queue only with errorsTolerance: ALL',
    );
    const json = JSON.parse((await cli(['inspect', ENTRY, '--json'])).stdout) as { warnings: string[] };
    expect(json.warnings).to.have.length(2);
  });

  it('an entry without a batch handler reads no s.yaml and has no warnings', async () => {
    const json = JSON.parse((await cli(['inspect', ORDER_ENTRY, '--json'])).stdout) as { warnings: string[] };
    expect(json.warnings).to.deep.equal([]);
  });
});
