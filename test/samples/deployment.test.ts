import Ajv, { type ValidateFunction } from 'ajv';
import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { createKernel, metadataStore, type Constructor } from '../../src';
import { Hello } from '../../samples/hello/Hello';
import { CreateOrderFunction } from '../../samples/order-service/CreateOrderFunction';
import { invokeRequest, PROJECT_ROOT } from './helpers';

const SCHEMA_PATH = join(PROJECT_ROOT, 'test/fixtures/fc3/props.schema.json');
const SHARED_SCHEMA_PATH = join(PROJECT_ROOT, '../shared/fc3/props.schema.json');
const SAMPLES_DIR = join(PROJECT_ROOT, 'samples');

/** The function classes each sample's main.ts serves. */
const SAMPLE_FUNCTIONS: Record<string, Constructor[]> = {
  'order-service': [CreateOrderFunction],
  hello: [Hello],
};

const sampleNames = readdirSync(SAMPLES_DIR, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

type Props = Record<string, unknown> & {
  functionName?: string;
  runtime?: string;
  customContainerConfig?: { port?: number; image?: string };
  instanceLifecycleConfig?: { initializer?: { handler?: string }; preStop?: { handler?: string } };
};

interface SYaml {
  edition: string;
  vars?: Record<string, unknown>;
  resources: Record<string, { component: string; props: Props }>;
}

/** Serverless Devs replaces `${vars.name}` with the top-level `vars` before the component sees props. */
function resolveVars(value: unknown, vars: Record<string, unknown>): unknown {
  if (typeof value === 'string') {
    const whole = /^\$\{vars\.([\w-]+)\}$/.exec(value);
    if (whole) return vars[whole[1]!];
    return value.replace(/\$\{vars\.([\w-]+)\}/g, (_, name: string) => String(vars[name]));
  }
  if (Array.isArray(value)) return value.map((v) => resolveVars(v, vars));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveVars(v, vars)]));
  }
  return value;
}

function readSYaml(sample: string, file = 's.yaml'): SYaml {
  const parsed = parse(readFileSync(join(SAMPLES_DIR, sample, file), 'utf8')) as SYaml;
  const resources = Object.fromEntries(
    Object.entries(parsed.resources ?? {}).map(([name, r]) => [
      name,
      { ...r, props: resolveVars(r.props, parsed.vars ?? {}) as Props },
    ]),
  );
  return { ...parsed, resources };
}

interface Dockerfile {
  from: string[];
  expose: number[];
  run: string[];
  cmd: unknown;
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
    run: args('RUN'),
    cmd: cmds.length > 0 ? JSON.parse(cmds.at(-1)!) : undefined,
  };
}

describe('samples deployment files', () => {
  let validateProps: ValidateFunction;
  let schema: { properties: Record<string, unknown> };

  before(() => {
    schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as typeof schema;
    validateProps = new Ajv({ allErrors: true, strict: false }).compile(schema);
  });

  it('finds every sample directory in the table of their functions', () => {
    expect(sampleNames).to.deep.equal(Object.keys(SAMPLE_FUNCTIONS).sort());
  });

  it('vendors the fc3 schema unchanged', function () {
    if (!existsSync(SHARED_SCHEMA_PATH)) this.skip();
    expect(readFileSync(SCHEMA_PATH, 'utf8')).to.equal(readFileSync(SHARED_SCHEMA_PATH, 'utf8'));
  });

  it('the schema rejects a custom container without customContainerConfig', () => {
    expect(validateProps({ region: 'cn-hangzhou', functionName: 'f', runtime: 'custom-container' })).to.equal(false);
    expect(validateProps({ region: 'nowhere', functionName: 'f', runtime: 'custom-container' })).to.equal(false);
  });

  for (const sample of sampleNames) {
    describe(`samples/${sample}`, () => {
      it('has a README.md, a Dockerfile and an s.yaml', () => {
        for (const file of ['README.md', 'Dockerfile', 's.yaml', 'main.ts']) {
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
        for (const [name, { props }] of Object.entries(readSYaml(sample).resources)) {
          expect(props.runtime, name).to.equal('custom-container');
          expect(props.customContainerConfig?.image, name).to.match(/^\S+\/\S+:\S+$/);
          // fc3 documents 9000 as the port when none is given.
          expect(dockerfile.expose, name).to.include(props.customContainerConfig?.port ?? 9000);
        }
      });

      it("the Dockerfile builds on node:20-slim and runs fc-kernel build's bundle of the sample's entry", () => {
        const dockerfile = readDockerfile(sample);
        expect(dockerfile.from).to.have.length.of.at.least(2);
        for (const image of dockerfile.from) expect(image).to.equal('node:20-slim');
        const entry = `dist/samples/${sample}/index.js`;
        expect(dockerfile.run).to.include(`node dist/src/cli/main.js build ${entry} --out dist-bundle`);
        expect(dockerfile.cmd).to.deep.equal(['node', 'index.js']);
        expect(existsSync(join(PROJECT_ROOT, entry)), `${entry} after npm run build`).to.equal(true);
      });

      it('names the functions it serves, and configures FC to call the hooks they declare', async () => {
        const functions = SAMPLE_FUNCTIONS[sample]!;
        const kernel = createKernel({ functions, logSink: () => undefined });
        const served = kernel.functionNames;
        await kernel.close();
        const resources = Object.values(readSYaml(sample).resources).map((r) => r.props);
        expect(resources.map((p) => p.functionName).sort()).to.deep.equal([...served].sort());
        for (const target of functions) {
          const props = resources.find((p) => served.includes(p.functionName!))!;
          const kinds = new Set(metadataStore.hooksOf(target).map((h) => h.kind));
          const lifecycle = props.instanceLifecycleConfig ?? {};
          expect(Boolean(lifecycle.initializer?.handler), 'initializer').to.equal(kinds.has('initialize'));
          expect(Boolean(lifecycle.preStop?.handler), 'preStop').to.equal(kinds.has('preStop'));
        }
      });
    });
  }

  describe('samples/hello/s.custom-runtime.yaml', () => {
    const file = 's.custom-runtime.yaml';

    it('deploys the code package fc-kernel build writes, on custom.debian12, with props that fit the schema', () => {
      const { edition, resources } = readSYaml('hello', file);
      expect(edition).to.equal('3.0.0');
      const [[name, resource], ...others] = Object.entries(resources);
      expect(others, 'one resource').to.deep.equal([]);
      expect(resource!.component).to.equal('fc3');
      const { props } = resource!;
      expect(validateProps(props), `${name}: ${JSON.stringify(validateProps.errors, null, 2)}`).to.equal(true);
      expect(Object.keys(props).filter((k) => !(k in schema.properties))).to.deep.equal([]);
      expect(props.runtime).to.equal('custom.debian12');
      // The command in the file's comment writes the directory the resource deploys.
      const text = readFileSync(join(SAMPLES_DIR, 'hello', file), 'utf8');
      const out = / build dist\/samples\/hello\/index\.js --target custom-runtime --out (\S+)\n/.exec(text)?.[1];
      expect(out, 'the build command').to.be.a('string');
      expect(join(SAMPLES_DIR, 'hello', props.code as string)).to.equal(join(PROJECT_ROOT, out!));
      // FC mounts the package at /code and starts the bootstrap there; 9000 is what it listens on.
      expect(props.customRuntimeConfig).to.deep.equal({ command: ['/code/bootstrap'], port: 9000 });
    });
  });

  it('samples/order-service/event.json is an order the function accepts', async () => {
    const event: unknown = JSON.parse(readFileSync(join(SAMPLES_DIR, 'order-service/event.json'), 'utf8'));
    const kernel = createKernel({ functions: [CreateOrderFunction], logSink: () => undefined });
    try {
      const res = await kernel.dispatch(invokeRequest(event));
      expect(res.statusCode, String(res.body)).to.equal(200);
      expect(JSON.parse(String(res.body))).to.include({ orderId: 'A-1001', status: 'ACCEPTED' });
    } finally {
      await kernel.close();
    }
  });
});
